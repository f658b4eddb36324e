/**
 * The Dockerfile and compose.yaml, read as the tools read them (no Docker daemon here): the image
 * runs the compiled CLI as a non-root user with production dependencies only, and the example
 * runs three replicas on one PostgreSQL with settings PortalOps knows, draining before Docker
 * kills them and checked through /readyz.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema } from '../../../src/config/config-schema.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const KNOWN = new Set(Object.keys(envSchema.shape));

/** Dockerfile instructions per stage, continuation lines joined. */
function stagesOf(dockerfile: string): { name?: string; lines: string[] }[] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: { name?: string; lines: string[] }[] = [];
  for (const line of lines) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ ...(from[1] ? { name: from[1] } : {}), lines: [] });
    stages.at(-1)?.lines.push(line);
  }
  return stages;
}

/** Durations as compose writes them (`30s`, `1m30s`) in ms. */
function durationMs(value: string): number {
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+)(ms|s|m|h)/g))
    total += Number(n) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  return total;
}

describe('container image', () => {
  const stages = stagesOf(read('Dockerfile'));
  const runtime = stages.at(-1)!;

  it('runs the compiled CLI as a non-root user with production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime.lines.find((l) => /^USER\s/.test(l))).toMatch(/^USER\s+(node|\d{3,})$/);
    const installs = runtime.lines.filter((l) => /npm (ci|install)/.test(l));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toMatch(/--omit=dev/);
    // The compiled output comes from the build stage, not TypeScript sources.
    expect(runtime.lines).toContain(`COPY --from=${stages[0]!.name} /app/dist ./dist`);
    expect(runtime.lines.some((l) => /^COPY\s+src\b/.test(l))).toBe(false);
    expect(stages[0]!.lines.some((l) => /npm run build/.test(l))).toBe(true);
    const entry = runtime.lines.find((l) => l.startsWith('ENTRYPOINT'))!;
    expect(JSON.parse(entry.slice('ENTRYPOINT'.length))).toEqual([
      'node',
      '--enable-source-maps',
      '/app/docker/portalops.mjs',
    ]);
    expect(read('docker/portalops.mjs')).toContain("import('../dist/cli/main.js')");
    // …which the build writes from src/cli/main.ts, exporting runCli.
    expect(read('src/cli/main.ts')).toMatch(/export async function runCli/);
  });

  it('copies only files that exist, keeps local state and secrets out, and sets only known settings', () => {
    for (const stage of stages)
      for (const line of stage.lines.filter((l) => /^COPY\s/.test(l) && !l.includes('--from'))) {
        const sources = line.split(/\s+/).slice(1, -1);
        for (const source of sources) expect(existsSync(path.join(ROOT, source)), source).toBe(true);
      }
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.git', 'node_modules', '.env', '.data', 'dist']) expect(ignored).toContain(entry);
    const env = runtime.lines
      .filter((l) => l.startsWith('ENV '))
      .flatMap((l) => [...l.matchAll(/(\w+)=/g)].map((m) => m[1]!))
      .filter((name) => name !== 'NODE_ENV');
    expect(env.length).toBeGreaterThan(0);
    for (const name of env) expect(KNOWN.has(name), name).toBe(true);
    expect(runtime.lines.find((l) => l.startsWith('HEALTHCHECK'))).toContain('/healthz');
  });
});

describe('compose example', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };
  const replicas = Object.entries(compose.services).filter(([name]) => name.startsWith('portalops'));

  it('runs three replicas of the image on one PostgreSQL 15', () => {
    expect(replicas).toHaveLength(3);
    expect(compose.services.postgres?.image).toBe('postgres:15');
    const hostPorts = new Set<string>();
    for (const [, service] of replicas) {
      const env = service.environment as Record<string, string>;
      expect(new URL(env.PORTALOPS_DATABASE_URL!.replace(/\$\{[^}]+\}/, 'secret')).host).toBe(
        'postgres:5432',
      );
      expect(service.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
      expect(service.build).toBe('.');
      for (const port of service.ports as string[]) hostPorts.add(port.split(':')[0]!);
    }
    expect(hostPorts.size).toBe(3);
  });

  it('drains before Docker kills a replica, checks readiness, shares snapshots, and sets only known settings', () => {
    for (const [name, service] of replicas) {
      const env = service.environment as Record<string, string>;
      for (const key of Object.keys(env)) expect(KNOWN.has(key), `${name}: ${key}`).toBe(true);
      expect(Number(env.PORTALOPS_DRAIN_TIMEOUT_MS)).toBeLessThan(
        durationMs(String(service.stop_grace_period)),
      );
      expect(JSON.stringify((service.healthcheck as { test: unknown }).test)).toContain('/readyz');
      expect(env.TEAMS_HOST).toBe('0.0.0.0');
      const volumes = service.volumes as string[];
      expect(volumes).toContain('snapshots:/var/lib/portalops/snapshots');
      expect(volumes).toContain('credentials:/var/lib/portalops/credentials');
    }
    expect(Object.keys(compose.volumes)).toEqual(
      expect.arrayContaining(['snapshots', 'credentials', 'postgres']),
    );
  });
});
