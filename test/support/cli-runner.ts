/**
 * Runs the CLI in process against a private, fast simulator (port 1 never answers, so no running
 * simulator is reused), with the data dir given, and collects what it printed.
 */
import { runCli } from '../../src/cli/main.ts';

/** One CLI run's exit code and output. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** A CLI runner on `dataDir`; `extraEnv` adds or overrides settings for one run. */
export function cliRunner(dataDir: string) {
  return async (args: string[], extraEnv: Record<string, string> = {}): Promise<CliRun> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env: {
        PORTALOPS_LOG_LEVEL: 'silent',
        PORTALOPS_DATA_DIR: dataDir,
        PORTALOPS_SIMULATOR_PORT: '1',
        PORTALOPS_SIMULATOR_TIME_SCALE: '0.001',
        PORTALOPS_JOB_POLL_INTERVAL_MS: '10',
        ...extraEnv,
      },
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}
