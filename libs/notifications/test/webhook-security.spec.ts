import { createHmac } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as http from 'http';
import type { AddressInfo } from 'net';
import {
  NotificationStore,
  SqliteOpsStore,
  TargetRefusedError,
  WebhookDispatcher,
  checkTarget,
  generateWebhookSecret,
  isNonPublicAddress,
  isValidWebhookSecret,
  parseAllowList,
  postWebhook,
  signWebhook,
  verifyWebhook,
  webhookHeaders,
} from '../src';

describe('Standard Webhooks signatures', () => {
  it('matches the specification’s example', () => {
    // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('is HMAC-SHA256 of `${id}.${timestamp}.${body}` with the base64-decoded secret, verifiable by a receiver', () => {
    const secret = generateWebhookSecret();
    expect(isValidWebhookSecret(secret)).toBe(true);
    const body = JSON.stringify({ type: 'TicketOpened', data: { ticketId: 't1', subject: 'ñ' } });
    const headers = webhookHeaders(secret, 'msg_1', 1_800_000_000, body);
    const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(`msg_1.1800000000.${body}`).digest('base64');
    expect(headers).toEqual({ 'webhook-id': 'msg_1', 'webhook-timestamp': '1800000000', 'webhook-signature': `v1,${expected}` });
    expect(verifyWebhook(secret, headers, body, 1_800_000_100)).toBe(true);
    // another body, id, secret or an old timestamp does not verify
    expect(verifyWebhook(secret, headers, body + ' ', 1_800_000_100)).toBe(false);
    expect(verifyWebhook(secret, { ...headers, 'webhook-id': 'msg_2' }, body, 1_800_000_100)).toBe(false);
    expect(verifyWebhook(generateWebhookSecret(), headers, body, 1_800_000_100)).toBe(false);
    expect(verifyWebhook(secret, headers, body, 1_800_000_000 + 301)).toBe(false);
    // several signatures (key rotation): one valid is enough
    expect(verifyWebhook(secret, { ...headers, 'webhook-signature': `v1,AAAA ${headers['webhook-signature']}` }, body, 1_800_000_000)).toBe(true);
  });

  it('the verification code in docs/notifications.md verifies what the server signs, and nothing else', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/notifications.md'), 'utf8');
    const code = /<!-- verify-snippet[^>]*-->\s*```js\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(code).toBeDefined();
    const documented = new Function('require', `${code}\nreturn verifyWebhook;`)(require) as (secret: string, headers: Record<string, string>, rawBody: string, toleranceSeconds?: number) => boolean;
    // the specification's example (an old timestamp: no tolerance for the check)
    const example = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' };
    expect(documented('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', example, '{"test": 2432232314}', Infinity)).toBe(true);
    expect(documented('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', example, '{"test": 2432232314}')).toBe(false); // too old
    // what the server sends now
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ type: 'TicketOpened', data: { ticketId: 't1', subject: 'Correo caído' } });
    const headers = webhookHeaders(secret, 'msg_0123', Math.floor(Date.now() / 1000), body);
    expect(documented(secret, headers, body)).toBe(true);
    expect(documented(secret, headers, body.replace('caído', 'caido'))).toBe(false);
    expect(documented(generateWebhookSecret(), headers, body)).toBe(false);
    expect(documented(secret, { ...headers, 'webhook-id': 'msg_0124' }, body)).toBe(false);
    expect(documented(secret, { ...headers, 'webhook-signature': headers['webhook-signature'].replace('v1,', 'v2,') }, body)).toBe(false);
    expect(documented(secret, { ...headers, 'webhook-signature': `v1,bm9wZQ== ${headers['webhook-signature']}` }, body)).toBe(true);
  });

  it('accepts only whsec_ secrets of 24 to 64 bytes', () => {
    expect(isValidWebhookSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(true); // 24 bytes
    expect(isValidWebhookSecret(`whsec_${Buffer.alloc(16, 1).toString('base64')}`)).toBe(false);
    expect(isValidWebhookSecret(`whsec_${Buffer.alloc(65, 1).toString('base64')}`)).toBe(false);
    expect(isValidWebhookSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(false);
    expect(isValidWebhookSecret('whsec_not base64!!!!!!!!!!!!!!!!!!!!!!!')).toBe(false);
  });
});

describe('SSRF guard', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true], // cloud metadata
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fd12:3456::1', true],
    ['fc00::1', true],
    ['ff02::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:10.0.0.1', true],
    ['64:ff9b::7f00:1', true],
    ['not-an-ip', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['1.1.1.1', false],
    ['2606:4700:4700::1111', false],
    ['::ffff:8.8.8.8', false],
  ])('%s is non-public: %s', (address, blocked) => {
    expect(isNonPublicAddress(address)).toBe(blocked);
  });

  const none = parseAllowList('');
  const resolver = (map: Record<string, string[]>) => async (host: string) => {
    if (!map[host]) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return map[host].map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  it('refuses other schemes, credentials, and hosts that resolve (even partly) to non-public addresses', async () => {
    const dns = resolver({ 'public.example': ['93.184.216.34'], 'mixed.example': ['93.184.216.34', '10.0.0.5'], 'inside.example': ['192.168.0.10'], 'v6.example': ['fd00::5'] });
    await expect(checkTarget('https://public.example/hook', none, dns)).resolves.toMatchObject({ address: '93.184.216.34', family: 4 });
    for (const url of [
      'ftp://public.example/x',
      'file:///etc/passwd',
      'gopher://public.example',
      'https://user:pass@public.example/hook',
      'not a url',
      'https://mixed.example/hook',
      'https://inside.example/hook',
      'https://v6.example/hook',
      'http://127.0.0.1:8080/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0x7f.1/hook',
      'http://2130706433/hook',
      'http://169.254.169.254/latest/meta-data/',
      'https://missing.example/hook',
    ]) {
      await expect(checkTarget(url, none, dns)).rejects.toBeInstanceOf(TargetRefusedError);
    }
  });

  it('lets the allow-list name internal hosts, addresses and ranges', async () => {
    const dns = resolver({ 'erp.internal': ['10.20.0.7'], 'other.internal': ['10.30.0.1'] });
    const allow = parseAllowList('erp.internal, 127.0.0.1, 192.168.50.0/24');
    await expect(checkTarget('https://erp.internal/hook', allow, dns)).resolves.toMatchObject({ address: '10.20.0.7' });
    await expect(checkTarget('http://127.0.0.1:9000/hook', allow, dns)).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(checkTarget('http://192.168.50.9/hook', allow, dns)).resolves.toMatchObject({ address: '192.168.50.9' });
    await expect(checkTarget('http://192.168.51.9/hook', allow, dns)).rejects.toBeInstanceOf(TargetRefusedError);
    await expect(checkTarget('https://other.internal/hook', allow, dns)).rejects.toBeInstanceOf(TargetRefusedError);
  });

  it('connects to the address it checked, whatever the name resolves to later (DNS rebinding)', async () => {
    // a receiver on loopback; the name first resolves to it, later to another address
    const received: Array<{ host: string | undefined; body: string }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ host: req.headers.host, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      let answers = 0;
      const rebinding = async () => [{ address: answers++ === 0 ? '127.0.0.1' : '10.9.9.9', family: 4 }];
      const target = await checkTarget(`http://rebind.example:${port}/hook`, parseAllowList('127.0.0.1'), rebinding);
      expect(target.address).toBe('127.0.0.1');
      // the request never asks DNS again: it goes to 127.0.0.1 with the name in the Host header
      const r = await postWebhook(target, { 'webhook-id': 'msg_x' }, '{"a":1}', 5000);
      expect(r.status).toBe(204);
      expect(received).toEqual([{ host: `rebind.example:${port}`, body: '{"a":1}' }]);
      expect(answers).toBe(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('checks again at every delivery: a target that turned internal since the subscription fails at once, nothing is sent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-ssrf-'));
    const store = new NotificationStore(SqliteOpsStore.open(path.join(dir, 'notifications.db')));
    await store.init();
    const at = '2026-11-16T16:00:00.000Z';
    try {
      await store.insertWebhook({ _id: 'w1', webhookId: 'w1', url: 'https://erp.example/hook', eventTypes: ['TicketOpened'], customerId: null, description: null, secret: generateWebhookSecret(), state: 'enabled', disabledAt: null, disabledReason: null, consecutiveFailures: 0, disabledCount: 0, fromPosition: '0', createdAt: at, createdBy: 'root', updatedAt: at });
      await store.insertWebhookDelivery({ _id: 'msg_1', deliveryId: 'msg_1', webhookId: 'w1', eventId: 'e1', eventType: 'TicketOpened', position: '1', seq: 1, payload: '{}', state: 'pending', attempts: 0, attemptsBefore: 0, nextAttemptAt: at, inFlight: null, lastStatus: null, lastError: null, log: [], replays: 0, createdAt: at, updatedAt: at, deliveredAt: null });
      const posted: string[] = [];
      const dispatcher = new WebhookDispatcher(store, {
        allow: none,
        disableAfter: 5,
        retry: { maxAttempts: 8, initialBackoffMs: 1000, maxBackoffMs: 1000 },
        // the name now points inside (it was public when the subscription was made)
        resolver: resolver({ 'erp.example': ['169.254.169.254'] }),
        poster: async (target) => {
          posted.push(target.address);
          return { status: 200, body: '' };
        },
        now: () => new Date(at),
        pollMs: 20,
      });
      dispatcher.start();
      expect(await dispatcher.idle(5000)).toBe(true);
      await dispatcher.stop();
      expect(posted).toEqual([]);
      expect(await store.getWebhookDelivery('msg_1')).toMatchObject({ state: 'failed', attempts: 1, lastStatus: null, lastError: expect.stringMatching(/^refused: .*169\.254\.169\.254/), log: [expect.objectContaining({ attempt: 1, outcome: 'failed' })] });
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
