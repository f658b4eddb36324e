/**
 * End to end through the Microsoft 365 Agents Playground (see playground-harness.ts), one start
 * for the whole file: help, a provisioning followed on one card to its result, a reset seen
 * through by two people (local mode's "act as"), and a failed provisioning whose one card
 * carries the fixes and ends resolved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Playground, startPlayground } from './playground-harness.ts';

describe('Teams in the Agents Playground', () => {
  let p: Playground;

  beforeAll(async () => {
    // The first provisioning of failing-site in dev fails, as the platform reports it.
    p = await startPlayground({
      faults: [
        {
          kind: 'provisioning',
          environment: 'dev',
          subdomain: 'failing-site',
          outcome: 'provisioning_failed',
        },
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await p?.close();
  }, 30_000);

  it('answers help with the help card, grouped by task, whose next-step buttons send their command', async () => {
    const help = async () => {
      return p.ask('help', /What I can do/);
    };
    const card = await help();
    expect(await card.innerText()).toMatch(
      /Create and fix sites[\s\S]*restart provisioning contoso-broken in dev/,
    );
    await p.screenshot('teams-help');
    await card.getByRole('button', { name: 'Sites in dev', exact: true }).click();
    await p.waitForMessage(/Sites in dev[\s\S]*Contoso Broken/);
  }, 40_000);

  it('runs a provisioning to its success card, updating one card in place', async () => {
    await p.say(
      'provision name="Playground Site" subdomain=playground-site template=CustomerSelfServicePortal in dev',
    );
    const states: string[] = [];
    await expect
      .poll(
        async () => {
          const text = await p.page.locator('body').innerText();
          const state = /Provision playground-site in dev\s*\n+\s*([a-z ]+) ·/.exec(text)?.[1];
          if (state && states.at(-1) !== state) states.push(state);
          return text.includes('✔ Provision playground-site in dev');
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe(true);
    await p.screenshot('teams-provision-success');
    // One message, edited: never a second card for the same job.
    expect(await p.page.getByText(/Provision playground-site in dev/).count()).toBe(1);
    expect(states.length).toBeGreaterThan(0);
  }, 90_000);

  it('shows the reset confirmation card and takes the typed confirmation', async () => {
    const confirmation = await p.ask('reset contoso-dev in dev', /Type contoso-dev to confirm/);
    await p.screenshot('teams-reset-confirmation');
    await confirmation.locator('input[type="text"]').fill('contoso-dev');
    await confirmation.getByRole('button', { name: 'Reset', exact: true }).click();
    await p.waitForMessage(/contoso-dev in dev[\s\S]*Confirmed by you/);
    await p.screenshot('teams-reset-confirmed');
  }, 60_000);

  it('asks, confirms, refuses the requester, approves as Bob and leaves no live button behind', async () => {
    try {
      const confirmation = await p.ask(
        'reset contoso-construction in dev',
        /Type contoso-construction to confirm/,
      );
      await confirmation.locator('input[type="text"]').fill('contoso-construction');
      await confirmation.getByRole('button', { name: 'Reset', exact: true }).click();
      await p.waitForMessage(/contoso-construction in dev[\s\S]*Confirmed by you/);
      const approval = await p.waitForMessage(
        /Reset contoso-construction in dev[\s\S]*Waiting for 1 more approval/,
      );
      expect(await p.buttonsOf(approval)).toEqual(['Approve', 'Reject']);
      await p.screenshot('approval-waiting');

      // Nobody approves their own reset: the card stays as it was.
      await approval.getByRole('button', { name: 'Approve', exact: true }).click();
      await p.waitForMessage(/cannot approve your own request/);
      expect(
        await p.message(/Reset contoso-construction in dev[\s\S]*Waiting for 1 more approval/).count(),
      ).toBe(1);

      await p.ask('act as bob', /acting as Bob Approver \(bob@contoso\.com\)/);
      await p
        .message(/Reset contoso-construction in dev[\s\S]*Waiting for 1 more approval/)
        .getByRole('button', { name: 'Approve', exact: true })
        .click();
      const decided = await p.waitForMessage(
        /Reset contoso-construction in dev[\s\S]*Approved by Bob Approver/,
      );
      expect(await p.buttonsOf(decided)).toEqual([]);

      const done = await p.waitForMessage(/✔ Reset contoso-construction in dev/, 60_000);
      expect(await p.buttonsOf(done)).toEqual([]);
      await p.screenshot('approval-done');
      // No card of the request is left offering a button (a second card of the job is edited
      // on the notifier's next beat).
      const cards = p.messages().filter({ hasText: /Reset contoso-construction in dev/ });
      const live = async () => {
        const found: string[][] = [];
        for (let i = 0; i < (await cards.count()); i++)
          found.push(...[await p.buttonsOf(cards.nth(i))].filter((b) => b.length));
        return found;
      };
      await expect.poll(live, { timeout: 20_000 }).toEqual([]);

      await p.ask('act as me', /yourself again/);
    } catch (error) {
      await p.screenshot('approval-failed').catch(() => undefined);
      // The next tests are Alice's again.
      await p.ask('act as me', /yourself again/).catch(() => undefined);
      throw new Error(
        `${(error as Error).message}\nscreenshots: ${p.screenshots}\n${p.output().slice(-3000)}`,
      );
    }
  }, 150_000);

  it('turns a failed provisioning into one live card whose fix works and which ends resolved', async () => {
    try {
      await p.say(
        'provision name="Failing Site" subdomain=failing-site template=CustomerSelfServicePortal in dev',
      );
      const failed = await p.waitForMessage(/Provisioning failed: failing-site in dev/, 60_000);
      const about = () => p.messages().filter({ hasText: /failing-site/ });
      const live = async () => {
        const cards = about();
        const withButtons: string[][] = [];
        for (let i = 0; i < (await cards.count()); i++) {
          const buttons = await p.buttonsOf(cards.nth(i));
          if (buttons.length) withButtons.push(buttons);
        }
        return withButtons;
      };
      // One card carries the failure and its fixes: the job's card became the alert.
      expect(await live()).toEqual([
        expect.arrayContaining(['Restart provisioning', 'Change values and restart']),
      ]);
      await p.screenshot('failure-alert');

      await failed.getByRole('button', { name: 'Restart provisioning', exact: true }).click();
      // Restarting is confirmed like other disruptive work: the site's name is typed.
      const confirm = p
        .messages()
        .filter({ has: p.page.locator('input[placeholder="failing-site"]') })
        .last();
      await confirm.waitFor({ timeout: 20_000 });
      await confirm.locator('input[type="text"]').fill('failing-site');
      await confirm.getByRole('button', { name: 'Restart provisioning', exact: true }).click();

      const resolved = await p.waitForMessage(/✔ Resolved: provisioning failed, failing-site in dev/, 90_000);
      await p.screenshot('failure-resolved');
      expect(await resolved.innerText()).toMatch(/Restarted provisioning by Alice Admin[\s\S]*succeeded/);
      // Still one card about the site, and nothing left to click on it.
      expect(await about().count()).toBe(1);
      expect(await live()).toEqual([]);
    } catch (error) {
      await p.screenshot('failure-failed').catch(() => undefined);
      throw new Error(
        `${(error as Error).message}\nscreenshots: ${p.screenshots}\n${await p.page.locator('body').innerText()}`,
      );
    }
  }, 180_000);

  it('takes the buttons off an approval card once the request was approved elsewhere', async () => {
    try {
      const confirmation = await p.ask('reset contoso-test in test', /Type contoso-test to confirm/);
      await confirmation.locator('input[type="text"]').fill('contoso-test');
      await confirmation.getByRole('button', { name: 'Reset', exact: true }).click();
      const card = () =>
        p.message(/Reset contoso-test in test[\s\S]*(Waiting for 1 more approval|Approved by)/);
      await card().waitFor({ timeout: 20_000 });
      expect(await p.buttonsOf(card())).toEqual(['Approve', 'Reject']);
      const confirmed = await p.waitForMessage(/contoso-test in test[\s\S]*Waiting for approval \(A-/);
      const id = /(A-[A-Z0-9]{5})/.exec(await confirmed.innerText())![1]!;

      // Bob approves by typing, not on this card: the card is superseded and must not stay live.
      await p.ask('act as bob', /acting as Bob Approver/);
      await p.say(`approve ${id}`);
      await expect
        .poll(async () => (await card().innerText()).includes('Approved by Bob Approver'), {
          timeout: 20_000,
        })
        .toBe(true);
      expect(await p.buttonsOf(card())).toEqual([]);
      await p.screenshot('stale-approval');
      await p.ask('act as me', /yourself again/);
    } catch (error) {
      await p.screenshot('stale-failed').catch(() => undefined);
      // The next tests are Alice's again.
      await p.ask('act as me', /yourself again/).catch(() => undefined);
      throw new Error(
        `${(error as Error).message}\nscreenshots: ${p.screenshots}\n${await p.page.locator('body').innerText()}`,
      );
    }
  }, 120_000);
  it('shows a status card superseded by a restart as the site is now, without its stale fixes', async () => {
    try {
      const status = await p.ask('status contoso-broken in dev', /Contoso Broken \(contoso-broken\) in dev/);
      expect(await status.innerText()).toMatch(/Contoso Broken[\s\S]*Provisioning failed/);
      expect(await p.buttonsOf(status)).toContain('Restart provisioning');
      await p.say('restart provisioning contoso-broken in dev');
      const confirm = p
        .messages()
        .filter({ has: p.page.locator('input[placeholder="contoso-broken"]') })
        .last();
      await confirm.waitFor({ timeout: 20_000 });
      await confirm.locator('input[type="text"]').fill('contoso-broken');
      await confirm.getByRole('button', { name: 'Restart provisioning', exact: true }).click();
      await p.waitForMessage(/✔ Restart provisioning (of )?contoso-broken in dev/, 90_000);
      // The status card shows the site as it is now: its stale fixes are gone.
      await expect
        .poll(async () => (await status.innerText()).match(/Status\s+(\S+)/)?.[1], { timeout: 20_000 })
        .toBe('Configured');
      expect(await status.innerText()).toMatch(/Contoso Broken/);
      expect(await p.buttonsOf(status)).not.toContain('Restart provisioning');
      expect(await p.buttonsOf(status)).not.toContain('Change values and restart');
      await p.screenshot('stale-status');
    } catch (error) {
      await p.screenshot('stale-status-failed').catch(() => undefined);
      throw new Error(
        `${(error as Error).message}\nscreenshots: ${p.screenshots}\n${await p.page.locator('body').innerText()}`,
      );
    }
  }, 150_000);
});
