/** Pieces the benchmarks share (not a benchmark itself). */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';

/** Asks the worker playing the other side something and waits for its answer of that type. */
export function ask<T>(worker: Worker, message: object, type: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (answer: { type: string } & T) => {
      if (answer.type !== type) return;
      worker.off('message', listener);
      resolve(answer);
    };
    worker.on('message', listener);
    worker.postMessage(message);
  });
}

/** The p-th percentile (nearest rank) of some values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * Starts `portalops simulator` in a process of its own (the Power Platform is another machine)
 * and resolves with its port once it listens.
 */
export async function startSimulatorProcess(): Promise<{
  port: string;
  process: ChildProcessWithoutNullStreams;
}> {
  const child = spawn(process.execPath, [
    fileURLToPath(new URL('../../bin/portalops.js', import.meta.url)),
    'simulator',
    '--port',
    '0',
  ]);
  child.stderr.resume();
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /listening on http:\/\/[^:]+:(\d+)/.exec(out)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`The simulator exited (${code}).`)));
  });
  child.stdout.resume();
  return { port, process: child };
}
