/**
 * Runs the engine until one job ends, showing its progress as a bar on a terminal (a line per
 * step otherwise), then prints the outcome: the result, or the failure with its guidance.
 */
import cliProgress from 'cli-progress';
import { currentStep, isTerminal, type Job, percentDone } from '../domain/job.ts';
import type { Problem } from '../domain/provisioning-rules.ts';
import { guidanceFor } from '../guidance/catalog.ts';
import type { Runtime } from '../main.ts';
import type { CliIo } from './main.ts';

/** Follows `job` to its end; returns the final job. Ctrl-C stops following, the job resumes later. */
export async function followJob(
  runtime: Runtime,
  job: Job,
  io: CliIo,
  options: { json?: boolean; tty?: boolean } = {},
): Promise<Job> {
  const tty = options.tty ?? (process.stderr.isTTY === true && !options.json);
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          format: ' {bar} {percentage}% | {step}',
          hideCursor: true,
          clearOnComplete: false,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(100, 0, { step: 'queued' });
  let lastStep = '';
  let settle!: (job: Job) => void;
  const ended = new Promise<Job>((resolve) => {
    settle = resolve;
  });
  const unsubscribe = runtime.engine.subscribe((event) => {
    if (event.job.id !== job.id) return;
    const step = currentStep(event.job);
    const detail = event.job.progress?.detail;
    bar?.update(percentDone(event.job), {
      step: `${step?.title ?? event.job.state}${detail ? ` (${detail})` : ''}`,
    });
    if (!bar && !options.json && event.type === 'step.started' && step && step.title !== lastStep) {
      lastStep = step.title;
      io.err(`… ${step.title}`);
    }
    if (isTerminal(event.job)) settle(event.job);
  });
  const interrupted = new Promise<'interrupted'>((resolve) =>
    process.once('SIGINT', () => resolve('interrupted')),
  );
  runtime.engine.start();
  try {
    const current = runtime.engine.get(job.id);
    if (current && isTerminal(current)) settle(current);
    const outcome = await Promise.race([ended, interrupted]);
    if (outcome === 'interrupted') {
      bar?.stop();
      io.err(
        `Stopped following ${job.id}; it is left where it is. Resume it with "portalops resume ${job.id}" (or "portalops start" resumes it), stop it with "portalops cancel ${job.id}".`,
      );
      return runtime.engine.get(job.id) ?? job;
    }
    bar?.update(outcome.state === 'succeeded' ? 100 : percentDone(outcome), { step: outcome.state });
    bar?.stop();
    return outcome;
  } finally {
    unsubscribe();
  }
}

/** What a person reads when a job ended. */
export function describeOutcome(job: Job): { ok: boolean; lines: string[] } {
  if (job.state === 'succeeded') {
    const lines = [`✔ ${job.title}: done (${job.id}).`];
    for (const [key, value] of Object.entries(job.result ?? {})) lines.push(`  ${key}: ${String(value)}`);
    return { ok: true, lines };
  }
  if (job.state !== 'failed' || !job.lastError)
    return { ok: job.state !== 'failed', lines: [`${job.title}: ${job.state} (${job.id}).`] };
  const guidance = guidanceFor(job.lastError.code);
  const lines = [`✖ ${job.title} failed (${job.id}): ${guidance.title}.`];
  const problems = job.lastError.details?.problems as Problem[] | undefined;
  if (problems) {
    for (const p of problems) lines.push(`  • ${p.field}: ${p.message}\n    → ${p.fix}`);
  } else {
    lines.push(`  ${job.lastError.message}`);
    for (const step of guidance.steps) lines.push(`  → ${step}`);
  }
  if (job.lastError.retryable || guidance.actions.includes('retry'))
    lines.push(`  Retry from the failed step: portalops retry ${job.id}`);
  return { ok: false, lines };
}
