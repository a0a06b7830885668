/**
 * npm run bench:identity
 *
 * What sign-in and session authentication cost, each beside a baseline measured in the same
 * run (read the ratios):
 *  1. password sign-in through the API (Fastify inject, embedded stores, scrypt at the
 *     configured cost, N=2^17 by default) against verifying the same password hash alone:
 *     what sign-in adds to the hash (finding the person, sessions, the access log);
 *  2. a failed sign-in with an unknown email against one with a wrong password (the same work
 *     by design: no timing difference to enumerate people with);
 *  3. recording an access-log event on a person's month stream holding 2,000 events against
 *     an empty one (recording reads only the last event: it must not grow);
 *  4. an authenticated request (GET /api/settings) with the session cookie against the same
 *     request with a bearer token (what looking up the session costs).
 * BENCH_IDENTITY_SIGNINS (default 20), BENCH_IDENTITY_REQUESTS (2,000), BENCH_IDENTITY_LN
 * (scrypt cost, default 17) shrink it for a quick check. Last line: JSON.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SqliteEventStore } from '../libs/event-store/src';
import { SqliteReadStore } from '../libs/read-store/src';
import { verifyPassword } from '../libs/identity/src';
import { createApp } from '../apps/api/src/app';
import { loadConfig } from '../apps/api/src/config';
import { signToken } from '../apps/api/src/http/auth';
import { AccessLog } from '../apps/api/src/identity/access-log';
import { IdentityService } from '../apps/api/src/identity/identity.service';
import { IdentityBootstrap } from '../apps/api/src/identity/setup-link';

const SIGNINS = Number(process.env.BENCH_IDENTITY_SIGNINS ?? 20);
const REQUESTS = Number(process.env.BENCH_IDENTITY_REQUESTS ?? 2_000);
const LN = process.env.BENCH_IDENTITY_LN ?? '17';
const SECRET = 'bench-secret-bench-secret-bench-secret';
const PASSWORD = 'nopal azul sobre la mesa 7';

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function timed(n: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    await run(i);
    out.push(ms(s));
  }
  return out;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-identity-'));
  const config = loadConfig({ DATA_DIR: dir, JWT_SECRET: SECRET, PASSWORD_SCRYPT_LN: LN, SCHEDULER_INTERVAL_MS: '3600000' });
  const events = SqliteEventStore.open(path.join(dir, 'events.db'));
  const views = SqliteReadStore.open(path.join(dir, 'views.db'));
  const app: NestFastifyApplication = await createApp({ config, events, views }, { logger: false });
  const fastify = app.getHttpAdapter().getInstance();
  const inject = (opts: { method: 'GET' | 'POST'; url: string; payload?: object; headers?: Record<string, string> }) => fastify.inject(opts);
  try {
    // the first administrator, who signs in below
    const link = app.get(IdentityBootstrap).lastSetupLink!;
    const token = new URL(link).searchParams.get('token')!;
    const setup = await inject({ method: 'POST', url: '/api/auth/setup', payload: { token, email: 'root@bench.mx', name: 'Root', password: PASSWORD } });
    if (setup.statusCode !== 200) throw new Error(`setup: ${setup.statusCode} ${setup.body}`);
    const identity = app.get(IdentityService);
    const userId = (JSON.parse(setup.body) as { id: string }).id;
    const hash = (await identity.credentials.getCredentials(userId))!.passwordHash!;
    const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

    // 1. sign-in against the hash alone
    const scrypt = await timed(SIGNINS, () => verifyPassword(PASSWORD, hash));
    const signIns = await timed(SIGNINS, async (i) => {
      const r = await inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'root@bench.mx', password: PASSWORD }, headers: { 'x-forwarded-for': ip(i + 1) } });
      if (r.statusCode !== 200) throw new Error(`sign-in: ${r.statusCode} ${r.body}`);
    });
    const scryptP50 = percentile(scrypt, 50);
    const signInP50 = percentile(signIns, 50);
    console.log(`scrypt ln=${LN} verify alone: p50 ${scryptP50.toFixed(1)} ms; sign-in through the API: p50 ${signInP50.toFixed(1)} ms (x${(signInP50 / scryptP50).toFixed(2)})`);

    // 2. unknown email against wrong password (alternating, each from its own address, fewer than the free failures per account)
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < SIGNINS; i++) {
      const at = 1000 + i * 2;
      wrong.push(...(await timed(1, () => inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: `root@bench.mx`, password: 'not it, not it' }, headers: { 'x-forwarded-for': ip(at) } }))));
      unknown.push(...(await timed(1, () => inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: `n${i}@bench.mx`, password: 'not it, not it' }, headers: { 'x-forwarded-for': ip(at + 1) } }))));
      if (i % 4 === 3) await identity.throttle.succeed('account', 'root@bench.mx');
    }
    const wrongP50 = percentile(wrong, 50);
    const unknownP50 = percentile(unknown, 50);
    console.log(`failed sign-in, wrong password: p50 ${wrongP50.toFixed(1)} ms; unknown email: p50 ${unknownP50.toFixed(1)} ms (x${(unknownP50 / wrongP50).toFixed(2)})`);

    // 3. recording an access event: empty stream against one of 2,000 events
    const log = app.get(AccessLog);
    const at = new Date().toISOString();
    const record = (who: string) => log.record({ type: 'SignedOut', data: { userId: who, sessionRef: 'bench', ip: null, at } }, { actor: who, correlationId: randomUUID() });
    const fresh = await timed(200, () => record(`fresh-${randomUUID()}`));
    const busy = `busy-${randomUUID()}`;
    for (let i = 0; i < 2_000; i++) await record(busy);
    const grown = await timed(200, () => record(busy));
    const freshP50 = percentile(fresh, 50);
    const grownP50 = percentile(grown, 50);
    console.log(`access-log record, new stream: p50 ${freshP50.toFixed(2)} ms; stream of 2,000+ events: p50 ${grownP50.toFixed(2)} ms (x${(grownP50 / freshP50).toFixed(2)})`);

    // 4. cookie against bearer token on an authenticated request
    const signedIn = await inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'root@bench.mx', password: PASSWORD }, headers: { 'x-forwarded-for': ip(9999) } });
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0];
    const bearer = `Bearer ${signToken(SECRET, 'bench', ['admin'])}`;
    const get = (headers: Record<string, string>) => async () => {
      const r = await inject({ method: 'GET', url: '/api/settings', headers });
      if (r.statusCode !== 200) throw new Error(`settings: ${r.statusCode}`);
    };
    await timed(200, get({ cookie }));
    await timed(200, get({ authorization: bearer }));
    const withBearer = await timed(REQUESTS, get({ authorization: bearer }));
    const withCookie = await timed(REQUESTS, get({ cookie }));
    const bearerP50 = percentile(withBearer, 50);
    const cookieP50 = percentile(withCookie, 50);
    console.log(
      `GET /api/settings with a bearer token: p50 ${bearerP50.toFixed(3)} ms, p99 ${percentile(withBearer, 99).toFixed(3)} ms; with the session cookie: p50 ${cookieP50.toFixed(3)} ms, p99 ${percentile(withCookie, 99).toFixed(3)} ms (x${(cookieP50 / bearerP50).toFixed(2)})`,
    );
    console.log(
      JSON.stringify({
        bench: 'identity',
        scryptLn: Number(LN),
        scryptP50Ms: Number(scryptP50.toFixed(2)),
        signInP50Ms: Number(signInP50.toFixed(2)),
        signInOverScrypt: Number((signInP50 / scryptP50).toFixed(3)),
        unknownOverWrongPassword: Number((unknownP50 / wrongP50).toFixed(3)),
        accessRecordGrownOverFresh: Number((grownP50 / freshP50).toFixed(3)),
        cookieP50Ms: Number(cookieP50.toFixed(3)),
        bearerP50Ms: Number(bearerP50.toFixed(3)),
        cookieOverBearer: Number((cookieP50 / bearerP50).toFixed(3)),
      }),
    );
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
