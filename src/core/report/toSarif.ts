// SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`) and other viewers.

import type { Problem, Severity } from '../types';
import { RULE_DESCRIPTIONS } from './ruleDescriptions';

export interface SarifOptions {
  toolVersion: string;
  /** Where rules are explained: a base such as the README's rules section (`#<rule>` is appended), or a function of the rule id. */
  rulesHelpUri?: string | ((rule: string) => string);
  /** The tool's home page. */
  informationUri?: string;
  /** Descriptions for rules from other parts of the tool; these win over the built-in ones. */
  ruleDescriptions?: Readonly<Record<string, string>>;
  /** Absolute folder that problem paths are made relative to (paths already relative are kept). */
  root?: string;
}

type SarifLevel = 'error' | 'warning' | 'note';

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
}

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine?: number;
  endColumn?: number;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: SarifRegion } }[];
}

/** The SARIF 2.1.0 document shape this writer produces. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; version: string; semanticVersion: string; informationUri?: string; rules: SarifRule[] } };
    columnKind: 'utf16CodeUnits';
    originalUriBaseIds: { '%SRCROOT%': { description: { text: string } } };
    results: SarifResult[];
  }[];
}

/** Problems as a SARIF 2.1.0 log (JSON text) with one rule per rule id and repository-relative file uris. */
export function toSarif(problems: readonly Problem[], options: SarifOptions): string {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  for (const problem of problems) {
    const index = ruleIndex.get(problem.rule);
    if (index === undefined) {
      ruleIndex.set(problem.rule, rules.length);
      rules.push(ruleFor(problem.rule, problem.severity, options));
    } else if (rank(levelOf(problem.severity)) > rank(rules[index].defaultConfiguration.level)) {
      rules[index].defaultConfiguration.level = levelOf(problem.severity);
    }
  }

  const results = problems.map((problem): SarifResult => {
    const startLine = Math.max(1, problem.line);
    const startColumn = Math.max(1, problem.column);
    const region: SarifRegion = { startLine, startColumn };
    const endLine = problem.endLine ?? startLine;
    const endColumn = problem.endColumn;
    // Only a region that ends after it starts; SARIF readers differ on empty ones.
    if (endColumn !== undefined && (endLine > startLine || (endLine === startLine && endColumn > startColumn))) {
      region.endLine = endLine;
      region.endColumn = endColumn;
    }
    return {
      ruleId: problem.rule,
      ruleIndex: ruleIndex.get(problem.rule) ?? 0,
      level: levelOf(problem.severity),
      message: { text: problem.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(problem.file, options.root), region } }],
    };
  });

  const log: SarifLog = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Prompt Budget',
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules,
          },
        },
        // Problem columns count UTF-16 code units, as editors do.
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the repository that was checked.' } } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function ruleFor(id: string, severity: Severity, options: SarifOptions): SarifRule {
  const text = options.ruleDescriptions?.[id] ?? RULE_DESCRIPTIONS[id] ?? id;
  const helpUri = typeof options.rulesHelpUri === 'function' ? options.rulesHelpUri(id) : options.rulesHelpUri ? `${options.rulesHelpUri.replace(/#.*$/, '')}#rule-${id}` : undefined;
  return {
    id,
    // SARIF suggests a PascalCase name: 'budget-cost-per-call' -> 'BudgetCostPerCall'.
    name: id.replace(/(^|-)(\w)/g, (_match, _dash: string, letter: string) => letter.toUpperCase()),
    shortDescription: { text },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: levelOf(severity) },
  };
}

function artifactLocation(file: string, root: string | undefined): { uri: string; uriBaseId?: string } {
  let path = file.replace(/\\/g, '/');
  if (root) {
    const base = root.replace(/\\/g, '/').replace(/\/+$/, '') + '/';
    if (path.startsWith(base)) path = path.slice(base.length);
  }
  const absolute = path.startsWith('/') || /^[A-Za-z]:\//.test(path);
  const encoded = path
    .replace(/^(\.\/)+/, '')
    .split('/')
    .map((segment, index) => (absolute && index === 0 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join('/');
  // Code scanning needs repository-relative paths; an absolute one outside the root stays a file URI.
  if (absolute) return { uri: `file://${encoded.startsWith('/') ? '' : '/'}${encoded}` };
  return { uri: encoded, uriBaseId: '%SRCROOT%' };
}

function levelOf(severity: Severity): SarifLevel {
  return severity === 'info' ? 'note' : severity;
}

function rank(level: SarifLevel): number {
  return level === 'error' ? 2 : level === 'warning' ? 1 : 0;
}
