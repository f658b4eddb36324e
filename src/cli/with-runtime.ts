import { loadConfig } from '../config/config.ts';
import { createLogger } from '../logging/logger.ts';
import { createRuntime, type Runtime } from '../main.ts';
import type { CliIo } from './main.ts';

/**
 * Opens the runtime for a one-shot command and closes it afterwards. With the embedded
 * simulator, a simulator already running locally (`npm start`, `portalops simulator`) is used,
 * so commands see the same sites; otherwise a private one starts on a free port.
 */
export async function withRuntime<T>(io: CliIo, run: (runtime: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig({ PORTALOPS_LOG_LEVEL: 'warn', ...io.env });
  const runtime = await createRuntime(config, {
    logger: createLogger(config.logLevel),
    reuseRunningSimulator: true,
  });
  try {
    return await run(runtime);
  } finally {
    await runtime.close();
  }
}
