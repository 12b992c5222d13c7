// `prompt-budget` command line: maps argv and console onto the core.
process.exitCode = 0;
