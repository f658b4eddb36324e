import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReplicaInput } from './replica-child.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'replica-child.ts');

/** What replicas told their parent. */
export interface ReplicaReports {
  /** Every chat post: which replica, in which conversation, what kind of view. */
  posts: { replica: string; conversationId: string; view: string }[];
  /** Every alert occurrence a replica posted. */
  alerts: { replica: string; id: string }[];
  /** Every job claim and how long it took. */
  claims: { replica: string; jobId: string; ms: number }[];
  /** How each replica process ended. */
  exits: { replica: string; signal: NodeJS.Signals | null; code: number | null }[];
}

/** One running replica process. */
export interface Replica {
  name: string;
  child: ChildProcess;
  /** Resolves once the process exited. */
  exited: Promise<{ signal: NodeJS.Signals | null; code: number | null }>;
  /** Submits a job on this replica; resolves with its id, or rejects with the refusal. */
  submit(job: { kind: string; params: Record<string, unknown>; siteKey: string }): Promise<string>;
  /** Delivers an inbound chat message; resolves once this replica handled (or skipped) it. */
  deliver(message: { eventId: string; conversationId: string; text: string }): Promise<void>;
  /** Starts a standby (started with `hold`). */
  go(): void;
  /** Stops the engine (releasing leases) and waits for the process to end. */
  stop(): Promise<void>;
}

/** Starts replica processes sharing one database and one simulator, collecting their reports. */
export function replicaSet(common: Omit<ReplicaInput, 'name'>) {
  const reports: ReplicaReports = { posts: [], alerts: [], claims: [], exits: [] };
  const running = new Set<Replica>();
  let ref = 0;

  function start(name: string, options: { hold?: boolean } = {}): Promise<Replica> {
    const input: ReplicaInput = { ...common, name, ...options };
    const child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, REPLICA_INPUT: JSON.stringify(input) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const waiting = new Map<number, { resolve: (id: string) => void; reject: (e: Error) => void }>();
    const handled = new Map<string, (() => void)[]>();
    const exited = new Promise<{ signal: NodeJS.Signals | null; code: number | null }>((resolve) =>
      child.on('exit', (code, signal) => {
        running.delete(replica);
        reports.exits.push({ replica: name, code, signal });
        for (const w of waiting.values()) w.reject(new Error(`${name} exited`));
        for (const waiting of handled.values()) for (const h of waiting) h();
        resolve({ code, signal });
      }),
    );
    const replica: Replica = {
      name,
      child,
      exited,
      submit(job) {
        const id = ++ref;
        return new Promise((resolve, reject) => {
          waiting.set(id, { resolve, reject });
          child.send({ type: 'submit', ref: id, job });
        });
      },
      deliver(message) {
        if (child.exitCode !== null || child.signalCode !== null)
          return Promise.reject(new Error(`${name} is not running`));
        return new Promise((resolve) => {
          handled.set(message.eventId, [...(handled.get(message.eventId) ?? []), resolve]);
          child.send({ type: 'message', ...message });
        });
      },
      go() {
        child.send({ type: 'go' });
      },
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.send({ type: 'stop' });
        await exited;
      },
    };
    running.add(replica);
    return new Promise((resolve, reject) => {
      child.on('message', (message: { type: string } & Record<string, unknown>) => {
        if (message.type === 'ready') resolve(replica);
        else if (message.type === 'posted')
          reports.posts.push({
            replica: name,
            conversationId: String(message.conversationId),
            view: String(message.view),
          });
        else if (message.type === 'alert') reports.alerts.push({ replica: name, id: String(message.id) });
        else if (message.type === 'claimed')
          reports.claims.push({ replica: name, jobId: String(message.jobId), ms: Number(message.ms) });
        else if (message.type === 'handled') {
          // Answers come in the order deliveries went out (one IPC channel).
          const waiting = handled.get(String(message.eventId));
          waiting?.shift()?.();
          if (waiting?.length === 0) handled.delete(String(message.eventId));
        } else if (message.type === 'submitted') {
          const w = waiting.get(Number(message.ref));
          waiting.delete(Number(message.ref));
          if (message.error) w?.reject(new Error(String(message.error)));
          else w?.resolve(String(message.jobId));
        }
      });
      child.once('exit', (code, signal) =>
        reject(new Error(`${name} exited before it was ready (${code ?? signal})`)),
      );
    });
  }

  return {
    reports,
    start,
    /** Stops every replica still running. */
    async stopAll(): Promise<void> {
      await Promise.all([...running].map((r) => r.stop()));
    },
  };
}
