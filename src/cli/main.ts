/**
 * Entry point of the `portalops` command.
 * @returns the process exit code
 */
export async function runCli(argv: string[]): Promise<number> {
  void argv;
  return 0;
}
