/**
 * `portalops start` (bot, embedded simulator, Agents Playground) driven from headless Debian
 * Chromium, with every request that would leave the machine blocked. One start per test file;
 * screenshots go to a temporary folder (printed on failure), never into the repository.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { makeTempDir } from '../support/temp-dir.ts';

const CHROMIUM = '/usr/bin/chromium';
const DEFAULT_SCENARIO = path.resolve('src/simulator/scenarios/default.yml');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The default scenario with `faults` added (e.g. a provisioning that fails), written to `dir`;
 * its sites' configuration folders are made absolute so they are found from there.
 */
function scenarioWith(faults: object[], dir: string): string {
  const scenario = parse(readFileSync(DEFAULT_SCENARIO, 'utf8')) as {
    sites?: { configuration?: string }[];
    faults?: object[];
  };
  for (const site of scenario.sites ?? []) {
    if (site.configuration)
      site.configuration = path.resolve(path.dirname(DEFAULT_SCENARIO), site.configuration);
  }
  scenario.faults = [...(scenario.faults ?? []), ...faults];
  const file = path.join(dir, 'scenario.yml');
  writeFileSync(file, stringify(scenario));
  return file;
}

/** A running PortalOps with the playground open in a browser page. */
export interface Playground {
  page: Page;
  /** Where screenshots of this run go (outside the repository). */
  screenshots: string;
  /** Types a message into the chat and sends it. */
  say(text: string): Promise<void>;
  /**
   * Says `text` and waits for a card posted after it that matches `match` (earlier cards with
   * the same words do not count); returns that card, which stays the same message when edited.
   */
  ask(text: string, match: RegExp, timeoutMs?: number): Promise<Locator>;
  /** The chat's cards (every PortalOps answer is one), oldest first. */
  messages(): Locator;
  /** The last message whose text matches. */
  message(match: RegExp): Locator;
  /** Waits until a message matching `match` is shown, and returns it. */
  waitForMessage(match: RegExp, timeoutMs?: number): Promise<Locator>;
  /** The buttons (card actions) of a message, by label. */
  buttonsOf(message: Locator): Promise<string[]>;
  screenshot(name: string): Promise<void>;
  /** What `portalops start` printed (for failures). */
  output(): string;
  close(): Promise<void>;
}

/** Starts PortalOps with the playground (fast simulator clock) and opens it in Chromium. */
export async function startPlayground(options: { faults?: object[] } = {}): Promise<Playground> {
  const temp = makeTempDir('e2e-teams-');
  const screenshots = mkdtempSync(path.join(os.tmpdir(), 'portalops-e2e-screens-'));
  let output = '';
  const bot: ChildProcess = spawn(process.execPath, ['bin/portalops.js', 'start'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORTALOPS_DATA_DIR: temp.dir,
      PORTALOPS_SIMULATOR_PORT: '0',
      PORTALOPS_SIMULATOR_TIME_SCALE: '0.01',
      PORTALOPS_JOB_POLL_INTERVAL_MS: '200',
      PORTALOPS_ALERT_INTERVAL_MS: '1000',
      PORTALOPS_LOG_LEVEL: 'warn',
      TEAMS_PORT: '0',
      PORTALOPS_PLAYGROUND_PORT: String(await freePort()),
      ...(options.faults?.length
        ? { PORTALOPS_SIMULATOR_SCENARIO: scenarioWith(options.faults, temp.dir) }
        : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  bot.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    if (bot.exitCode === null && bot.signalCode === null) {
      const exited = new Promise((resolve) => bot.once('exit', resolve));
      bot.kill('SIGINT');
      await exited;
    }
    temp.remove();
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`portalops start did not open the playground:\n${output}`)),
        90_000,
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
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    // Only this machine: the playground's font requests to a CDN fail harmlessly.
    await page.route('**/*', (route) =>
      ['localhost', '127.0.0.1'].includes(new URL(route.request().url()).hostname)
        ? route.continue()
        : route.abort(),
    );
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.getByRole('textbox').waitFor({ timeout: 30_000 });
    const messages = () => page.locator('.ac-adaptiveCard');
    const playground: Playground = {
      page,
      screenshots,
      async say(text) {
        await page.getByRole('textbox').click();
        await page.keyboard.type(text);
        await page.keyboard.press('Enter');
      },
      messages,
      async ask(text, match, timeoutMs = 20_000) {
        const before = await messages().count();
        await playground.say(text);
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const count = await messages().count();
          for (let i = before; i < count; i++) {
            const card = messages().nth(i);
            if (match.test(await card.innerText())) return card;
          }
          if (Date.now() > deadline) throw new Error(`no card matching ${match} after "${text}"`);
          await page.waitForTimeout(100);
        }
      },
      message: (match) => page.locator('.ac-adaptiveCard').filter({ hasText: match }).last(),
      async waitForMessage(match, timeoutMs = 20_000) {
        const card = page.locator('.ac-adaptiveCard').filter({ hasText: match }).last();
        await card.waitFor({ timeout: timeoutMs });
        return card;
      },
      async buttonsOf(message) {
        return (await message.locator('.ac-actionSet button').allInnerTexts()).map((t) => t.trim());
      },
      screenshot: (name) =>
        page.screenshot({ path: path.join(screenshots, `${name}.png`) }).then(() => undefined),
      output: () => output,
      close: stop,
    };
    return playground;
  } catch (error) {
    await stop();
    throw error;
  }
}
