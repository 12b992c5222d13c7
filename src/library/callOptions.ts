// Per-call user and tags, given through each SDK's own request options: the headers
// `x-prompt-budget-user` and `x-prompt-budget-tags` (comma-separated), which are taken off before
// the request is sent, or the request's own user fields (OpenAI's `safety_identifier` and `user`,
// Anthropic's `metadata.user_id`).

export const USER_HEADER = 'x-prompt-budget-user';
export const TAGS_HEADER = 'x-prompt-budget-tags';

export interface CallParty {
  user?: string;
  tags?: string[];
}

type HeaderBag = Record<string, unknown> | Headers | undefined;

/** The user and tags named by `headers` or the request body, and the headers without ours. */
export function callParty(headers: unknown, body: unknown): { party: CallParty; headers: HeaderBag } {
  const party: CallParty = {};
  let rest: HeaderBag = headers as HeaderBag;
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    party.user = headers.get(USER_HEADER) ?? undefined;
    party.tags = splitTags(headers.get(TAGS_HEADER) ?? undefined);
    if (headers.has(USER_HEADER) || headers.has(TAGS_HEADER)) {
      rest = new Headers(headers);
      rest.delete(USER_HEADER);
      rest.delete(TAGS_HEADER);
    }
  } else if (typeof headers === 'object' && headers !== null) {
    const copy: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (lower === USER_HEADER) party.user = typeof value === 'string' ? value : undefined;
      else if (lower === TAGS_HEADER) party.tags = splitTags(typeof value === 'string' ? value : undefined);
      else copy[name] = value;
    }
    rest = copy;
  }
  if (party.user === undefined && typeof body === 'object' && body !== null) {
    const fields = body as Record<string, unknown>;
    const metadata = typeof fields.metadata === 'object' && fields.metadata !== null ? (fields.metadata as Record<string, unknown>) : {};
    const user = metadata.user_id ?? fields.safety_identifier ?? fields.user;
    if (typeof user === 'string' && user !== '') party.user = user;
  }
  return { party, headers: rest };
}

function splitTags(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}
