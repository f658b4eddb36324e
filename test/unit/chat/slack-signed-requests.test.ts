import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_BODY_BYTES,
  slackSignature,
  verifyingSlackRequests,
} from '../../../src/chat/slack/signed-requests.ts';

const SECRET = 'test-signing-secret';

describe('Slack requests are checked for their signature before Bolt sees them', () => {
  let server: Server;
  let url: string;
  const refused: string[] = [];

  beforeAll(async () => {
    // Stands in for Bolt's receiver: answers with the body it was handed.
    server = createServer(
      verifyingSlackRequests(
        (request, response) => {
          response.end((request as { rawBody?: Buffer }).rawBody ?? 'no rawBody');
        },
        SECRET,
        (reason) => refused.push(reason),
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const send = (body: string, headers: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  const now = () => String(Math.floor(Date.now() / 1000));
  const signed = (body: string, timestamp = now()) => ({
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': slackSignature(SECRET, timestamp, body),
  });

  it('passes a signed request on with its body', async () => {
    const body = 'command=%2Fportal&text=sites+in+dev&user_id=U-ALICE';
    const answer = await send(body, signed(body));
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe(body);
  });

  it('refuses a changed body, a wrong secret, no signature and an old or future timestamp with 401', async () => {
    const body = 'text=sites+in+dev';
    const cases: Record<string, string>[] = [
      signed('text=reset+contoso-dev'),
      {
        'x-slack-request-timestamp': now(),
        'x-slack-signature': slackSignature('another-secret', now(), body),
      },
      { 'x-slack-request-timestamp': now() },
      {},
      { ...signed(body), 'x-slack-signature': 'v0=short' },
      signed(body, String(Number(now()) - 6 * 60)),
      signed(body, String(Number(now()) + 6 * 60)),
    ];
    for (const headers of cases) {
      const answer = await send(body, headers);
      expect(answer.status).toBe(401);
      expect(await answer.text()).toBe('');
    }
    expect(refused).toEqual([
      'bad_signature',
      'bad_signature',
      'bad_signature',
      'unsigned',
      'bad_signature',
      'unfresh',
      'unfresh',
    ]);
  });

  it("lets Slack's unsigned ssl_check probe through with nothing else in its body", async () => {
    const answer = await send('ssl_check=1&command=%2Fportal&text=reset+contoso-dev', {});
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('ssl_check=1');
  });

  it('answers 413 to a body over 4 MB', async () => {
    const body = `text=${'a'.repeat(MAX_BODY_BYTES)}`;
    expect((await send(body, signed(body))).status).toBe(413);
  });
});
