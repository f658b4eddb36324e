/** Pieces the benchmarks share (not a benchmark itself). */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/**
 * CPU time the process's main thread has used, in ms (Linux: /proc/self/task/<pid>/stat, at the
 * kernel's 10 ms tick), or undefined elsewhere. Unlike latency, it hardly depends on what else
 * the machine runs, so it compares two versions fairly on a busy machine.
 */
export function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
