import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledChild } from './compiled-child.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crash-child.ts');

/** Runs the crash-test job runner in a child process; resolves with how it ended. */
export async function runCrashChild(
  input: object,
): Promise<{ signal: NodeJS.Signals | null; code: number | null }> {
  const child = fork(await compiledChild(CHILD), [], {
    execArgv: [],
    env: { ...process.env, CRASH_INPUT: JSON.stringify(input) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}
