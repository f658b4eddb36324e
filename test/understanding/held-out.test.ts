/**
 * Understanding, measured: the parser on phrasings written without reading it (held-out.json,
 * which nothing in src/ imports), and the guarantees that hold whatever the accuracy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Intent } from '../../src/intents/intent.ts';
import { parseIntent } from '../../src/intents/parser.ts';
import { isDestructive } from '../../src/intents/questions.ts';
import { contextOf, mismatch, readHeldOut } from './held-out-score.ts';

const set = readHeldOut();
const context = contextOf(set);
const parse = (text: string) => parseIntent(text, context);
const aliases = set.environments.map((e) => e.alias);

describe('held-out understanding', () => {
  it('has at least 150 varied phrasings', () => {
    expect(set.cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(set.cases.map((c) => c.kind)).size).toBeGreaterThanOrEqual(20);
  });

  it('reads at least 95% of them as meant', () => {
    const misses = set.cases
      .map((c) => ({ text: c.text, why: mismatch(parse(c.text), c, aliases) }))
      .filter((m) => m.why !== undefined);
    const accuracy = (set.cases.length - misses.length) / set.cases.length;
    expect(
      accuracy,
      `missed ${misses.length}:\n${misses.map((m) => `${m.text} → ${m.why}`).join('\n')}`,
    ).toBeGreaterThanOrEqual(0.95);
  });

  it('never answers a phrasing it misreads with a change that was not asked for', () => {
    for (const c of set.cases) {
      const intent = parse(c.text);
      if (intent.kind === 'unknown' || intent.kind === c.kind || !mismatch(intent, c, aliases)) continue;
      expect(isDestructive(intent), `${c.text} → ${intent.kind}`).toBe(false);
    }
  });

  it('never turns a question into a destructive command', () => {
    const questions = set.cases.filter((c) => c.question);
    expect(questions.length).toBeGreaterThanOrEqual(40);
    for (const c of questions) {
      const intent = parse(c.text);
      expect(intent.kind === 'unknown' || !isDestructive(intent as Intent), c.text).toBe(true);
    }
  });

  it('asks for a destructive request’s site or environment instead of guessing', () => {
    for (const text of [
      'reset it',
      'wipe the whole thing',
      'restart everything in prod',
      'delete all of it',
      'reset the portal please',
      'restart the site',
    ]) {
      const intent = parse(text);
      expect(intent.kind === 'unknown' || (intent as { site?: string }).site === undefined, text).toBe(true);
    }
    // An environment that is not registered is kept as the name given, never taken for one.
    for (const [text, name] of [
      ['reset contoso-dev in preprod', 'preprod'],
      ['restart contoso-dev in prodution', 'prodution'],
      ['migrate contoso-dev from dev to staging2', 'staging2'],
      ['reset contoso-dev env=tst', 'tst'],
    ] as const) {
      const intent = parse(text) as { environment?: string; target?: string; unknownEnvironment?: string };
      expect(intent.environment ?? intent.target, text).toBeUndefined();
      expect(intent.unknownEnvironment, text).toBe(name);
    }
  });

  it('resolves aliases, display names and common words through the registry’s names', () => {
    for (const [words, alias] of [
      ['prod', 'prod'],
      ['production', 'prod'],
      ['Contoso Production', 'prod'],
      ['live', 'prod'],
      ['dev', 'dev'],
      ['development', 'dev'],
      ['Contoso Dev', 'dev'],
      ['test', 'test'],
      ['staging', 'test'],
      ['uat', 'test'],
      ['Contoso Test', 'test'],
    ] as const) {
      expect(parse(`sites in ${words}`), words).toEqual({ kind: 'sites', environment: alias });
      expect(parse(`reset contoso-dev in ${words}`), words).toMatchObject({ environment: alias });
    }
  });

  it('resolves job ids in every form people type', () => {
    for (const text of [
      'status J-7K2Q9',
      'status j-7k2q9',
      'status J7K2Q9',
      'job 7K2Q9',
      'job #7k2q9',
      'job #J-7K2Q9',
      '#7K2Q9',
      '#J-7K2Q9',
      'how is job J-7K2Q9 doing',
    ]) {
      expect(parse(text), text).toEqual({ kind: 'status', jobId: 'J-7K2Q9' });
    }
    for (const text of ['job 42', 'job #42', '#42', 'how is job 42 doing', 'job number 42']) {
      expect(parse(text), text).toEqual({ kind: 'status', jobId: '42' });
    }
  });
});

describe("README's example phrasings", () => {
  const readme = readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
  const examples: [string, Record<string, unknown>][] = [
    ['reset portal contoso-dev', { kind: 'reset', site: 'contoso-dev' }],
    ['migrate dev to prod', { kind: 'migrate', source: 'dev', target: 'prod' }],
    ['sites in dev', { kind: 'sites', environment: 'dev' }],
    ["what's going on with contoso-broken", { kind: 'status', site: 'contoso-broken' }],
    [
      'provision a partner portal in dev',
      { kind: 'provision', environment: 'dev', templateId: 'PartnerPortal' },
    ],
    ['reset contoso-dev in dev', { kind: 'reset', site: 'contoso-dev', environment: 'dev' }],
    ['promote test to prod', { kind: 'migrate', source: 'test', target: 'prod' }],
    ['subscribe this channel to prod alerts', { kind: 'subscribe', environment: 'prod' }],
    ['unsubscribe from prod alerts', { kind: 'unsubscribe', environment: 'prod' }],
    ['alerts', { kind: 'alerts' }],
    ['what does the partner portal include?', { kind: 'templates', templateId: 'PartnerPortal' }],
    ['templates', { kind: 'templates' }],
    ['migrate dev to prod site contoso-construction', { kind: 'migrate', site: 'contoso-construction' }],
    [
      'retry the package install for contoso-setup in dev',
      { kind: 'retry-package-install', site: 'contoso-setup' },
    ],
    ['restart contoso-dev in dev', { kind: 'restart-site', site: 'contoso-dev', environment: 'dev' }],
    ['reset contoso-dev in preprod', { kind: 'reset', site: 'contoso-dev', unknownEnvironment: 'preprod' }],
    [
      'the site is super slow, can u restart hr-hub in Contoso Production',
      { kind: 'restart-site', site: 'hr-hub', environment: 'prod' },
    ],
    [
      'contoso-broken (dev) is the failed one – please kick off its provisioning again',
      { kind: 'restart-provisioning', site: 'contoso-broken', environment: 'dev' },
    ],
    [
      'reset contoso-events, sorry, I meant contoso-construction',
      { kind: 'reset', site: 'contoso-construction' },
    ],
    [
      'restart contoso-dev in prod, oops, in dev',
      { kind: 'restart-site', site: 'contoso-dev', environment: 'dev' },
    ],
    ['cancel J-7K2Q9 — no, J-7K2Q8', { kind: 'cancel', jobId: 'J-7K2Q8' }],
    ['not dev, prod: list the sites', { kind: 'sites', environment: 'prod' }],
    ["don't reset contoso-dev, just restart it", { kind: 'restart-site', site: 'contoso-dev' }],
    [
      "show me contoso-broken's status and then restart provisioning on it",
      { kind: 'status', site: 'contoso-broken' },
    ],
    [
      'make Contoso Test look exactly like Contoso Dev for hr-hub',
      { kind: 'migrate', source: 'dev', target: 'test', site: 'hr-hub' },
    ],
    ['start over with contoso-test from scratch', { kind: 'reset', site: 'contoso-test' }],
    [
      'restart-site --env dev --site contoso-dev',
      { kind: 'restart-site', site: 'contoso-dev', environment: 'dev' },
    ],
    ['src=dev dst=prod site=', { kind: 'migrate', source: 'dev', target: 'prod' }],
  ];

  it.each(examples)('%s', (text, expected) => {
    expect(readme.replace(/\s+/g, ' ')).toContain(text);
    expect(parse(text)).toMatchObject(expected);
  });

  it('keeps the held-out set out of the parser', () => {
    const sources = readdirSync(path.join(import.meta.dirname, '../../src/intents'));
    for (const file of sources) {
      const text = readFileSync(path.join(import.meta.dirname, '../../src/intents', file), 'utf8');
      expect(text, file).not.toMatch(/from ['"][^'"]*(test\/|held-out)/);
    }
  });
});
