/**
 * CLI benchmark: cold runs of the compiled `portalops` (built first if dist/ is stale), each in a
 * fresh node process as an admin's script would run them. Prints the medians of `--help`, of
 * `parse "<text>"` and of `sites --env dev` against a simulator already running, and the time
 * from `npm start` to the bot answering its readiness check.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDistFresh } from '../bin/dist-state.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'portalops.js');
const RUNS = Number(process.env.BENCH_CLI_RUNS) || 7;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Runs the CLI once to its exit; resolves with the wall time, failing on a non-zero exit. */
function timeRun(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`portalops ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

async function medianOf(args: string[], env: Record<string, string> = {}): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeRun(args, env));
  return Number(median(times).toFixed(0));
}

/** Resolves with the first line of the child's stdout matching `pattern` (its first group). */
function lineOf(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = pattern.exec(out)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready:\n${out}`)));
  });
}

/** Ends a process started with `detached` and everything it started, and waits for it. */
async function endGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGINT');
  const forced = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(forced);
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'portalops-bench-cli-'));
try {
  const buildStarted = performance.now();
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js'), '--if-stale'], {
    stdio: 'inherit',
  });
  const buildMs = Number((performance.now() - buildStarted).toFixed(0));

  const helpMs = await medianOf(['--help']);
  const parseMs = await medianOf(['parse', 'provision a customer portal called Fabrikam in dev']);

  // `portalops simulator` as an admin leaves it running in another terminal.
  const simulator = spawn(process.execPath, [BIN, 'simulator', '--port', '0'], {
    detached: true,
    env: { ...process.env, PORTALOPS_DATA_DIR: path.join(dataDir, 'simulator') },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let sitesMs: number;
  try {
    const port = await lineOf(simulator, /listening on http:\/\/[^:]+:(\d+)/, 'portalops simulator');
    sitesMs = await medianOf(['sites', '--env', 'dev'], {
      PORTALOPS_DATA_DIR: path.join(dataDir, 'cli'),
      PORTALOPS_SIMULATOR_PORT: port,
    });
  } finally {
    await endGroup(simulator);
  }

  // `npm start` (its prestart checks that dist/ is current) until the bot answers /readyz.
  const startStarted = performance.now();
  const start = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      PORTALOPS_DATA_DIR: path.join(dataDir, 'start'),
      PORTALOPS_SIMULATOR_PORT: '0',
      PORTALOPS_PLAYGROUND: 'off',
      TEAMS_PORT: '0',
      SLACK_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let startReadyMs: number;
  try {
    const readyz = await lineOf(start, /readiness (http:\/\/\S+\/readyz)/, 'npm start');
    for (;;) {
      const answer = await fetch(readyz).catch(() => undefined);
      if (answer?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    startReadyMs = Number((performance.now() - startStarted).toFixed(0));
  } finally {
    await endGroup(start);
  }

  // bin runs the sources when they changed after the build: such runs measured tsx, not the build.
  if (!isDistFresh())
    console.error('The sources changed during the benchmark, so later runs ran from sources: run it again.');
  console.log(JSON.stringify({ runs: RUNS, helpMs, parseMs, sitesMs, startReadyMs, buildMs }));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
