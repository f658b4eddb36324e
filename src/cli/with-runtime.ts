import { loadConfig } from '../config/config.ts';
import { isPortalOpsError, PortalOpsError } from '../domain/errors.ts';
import { createLogger } from '../logging/logger.ts';
import { createRuntime, type Runtime } from '../main.ts';
import type { CliIo } from './main.ts';

/**
 * Opens the runtime for a one-shot command and closes it afterwards. With the embedded
 * simulator, a simulator already running locally (`npm start`, `portalops simulator`) is used,
 * so commands see the same sites; otherwise a private one starts on a free port.
 *
 * The command holds the data dir's lock while it runs. While `portalops start` holds it, the
 * command is refused at once with that process's pid: the running one owns the jobs, and a
 * second writer would resume them under its feet.
 */
export async function withRuntime<T>(io: CliIo, run: (runtime: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig({ PORTALOPS_LOG_LEVEL: 'warn', ...io.env });
  let runtime: Runtime;
  try {
    runtime = await createRuntime(config, {
      logger: createLogger(config.logLevel),
      reuseRunningSimulator: true,
    });
  } catch (error) {
    if (isPortalOpsError(error) && error.code === 'data_dir_locked')
      throw new PortalOpsError(
        'data_dir_locked',
        `${error.message} To use the running PortalOps, ask it in chat (the Agents Playground, Teams or Slack); a command run with PORTALOPS_DATA_DIR set to another folder uses its simulator, so it sees the same sites, with jobs of its own.`,
        { cause: error },
      );
    throw error;
  }
  try {
    return await run(runtime);
  } finally {
    await runtime.close();
  }
}
