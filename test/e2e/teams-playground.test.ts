/**
 * End to end through the Microsoft 365 Agents Playground: `portalops start` (bot, embedded
 * simulator, playground) driven from headless Debian Chromium, with every request that would
 * leave the machine blocked. Screenshots land in test-artifacts/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const CHROMIUM = '/usr/bin/chromium';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('Teams in the Agents Playground', () => {
  let bot: ChildProcess;
  let browser: Browser;
  let page: Page;
  let removeDir: () => void;
  let output = '';

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const temp = makeTempDir('e2e-teams-');
    removeDir = temp.remove;
    bot = spawn(process.execPath, ['bin/portalops.js', 'start'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORTALOPS_DATA_DIR: temp.dir,
        PORTALOPS_SIMULATOR_PORT: '0',
        PORTALOPS_SIMULATOR_TIME_SCALE: '0.01',
        PORTALOPS_JOB_POLL_INTERVAL_MS: '200',
        PORTALOPS_LOG_LEVEL: 'warn',
        TEAMS_PORT: '0',
        PORTALOPS_PLAYGROUND_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bot.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`portalops start did not open the playground:\n${output}`)),
        60_000,
      );
      bot.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Agents Playground: open (\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      bot.once('exit', (code) => reject(new Error(`portalops start exited (${code}):\n${output}`)));
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    // Only this machine: the playground's font requests to a CDN fail harmlessly.
    await page.route('**/*', (route) =>
      ['localhost', '127.0.0.1'].includes(new URL(route.request().url()).hostname)
        ? route.continue()
        : route.abort(),
    );
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.getByRole('textbox').waitFor({ timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (bot && bot.exitCode === null) {
      const exited = new Promise((resolve) => bot.once('exit', resolve));
      bot.kill('SIGINT');
      await exited;
    }
    removeDir?.();
  }, 30_000);

  const say = async (text: string) => {
    await page.getByRole('textbox').click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  };

  it('answers help with the help card', async () => {
    await say('help');
    await expect.poll(() => page.getByText('What I can do').count(), { timeout: 20_000 }).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'teams-help.png') });
  }, 40_000);

  it('runs a provisioning to its success card, updating one card in place', async () => {
    await say(
      'provision name="Playground Site" subdomain=playground-site template=CustomerSelfServicePortal in dev',
    );
    const card = page.getByText(/Provision playground-site in dev/);
    const states: string[] = [];
    await expect
      .poll(
        async () => {
          const text = await page.locator('body').innerText();
          const state = /Provision playground-site in dev\s*\n+\s*([a-z ]+) ·/.exec(text)?.[1];
          if (state && states.at(-1) !== state) states.push(state);
          return text.includes('✔ Provision playground-site in dev');
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'teams-provision-success.png') });
    // One message, edited: never a second card for the same job.
    expect(await card.count()).toBe(1);
    expect(states.length).toBeGreaterThan(0);
  }, 90_000);

  it('shows the reset confirmation card and takes the typed confirmation', async () => {
    await say('reset contoso-dev in dev');
    await page.getByText('Type contoso-dev to confirm').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'teams-reset-confirmation.png') });
    const input = page.locator('input[type="text"], .ac-input input, input.ac-textInput').last();
    await input.fill('contoso-dev');
    await page.getByRole('button', { name: 'Reset', exact: true }).last().click();
    await expect
      .poll(async () => (await page.locator('body').innerText()).includes('Confirmed by you'), {
        timeout: 20_000,
      })
      .toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'teams-reset-confirmed.png') });
  }, 60_000);
});
