/**
 * The process's environment variables, as the configuration reads them. Kept apart from
 * `config.ts` so the command line can hand them to a command without loading the schema (zod)
 * for `--help` or a mistyped command.
 */
export function processEnvironment(): Record<string, string | undefined> {
  return process.env;
}
