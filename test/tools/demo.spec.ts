import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SqliteEventStore, type StoredEvent } from '@helpdesk/event-store';
import { SqliteReadStore } from '@helpdesk/read-store';
import { createApp } from '../../apps/api/src/app';
import { loadConfig } from '../../apps/api/src/config';
import { verifyToken } from '../../apps/api/src/http/auth';
import { TestClock } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');
const SECRET = 'demo-test-secret-0123456789';

function npm(script: string, dataDir: string, args: string[] = []) {
  const r = spawnSync('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      HELPDESK_PRESET: 'intecnia',
      JWT_SECRET: SECRET,
      EVENT_STORE: 'sqlite',
      READ_STORE: 'embedded',
      PROJECTOR: 'in-process',
      // a cheaper password hash than production's, as the API tests use
      PASSWORD_SCRYPT_LN: '12',
    },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `npm run demo` end to end on a temporary DATA_DIR (intecnia: severity scheme, split day,
 * automatic escalation, purchase orders; 40 tickets, scheduler every 4 simulated hours to
 * keep it quick): the history it writes is genuine (the log verifies, the read models
 * reconcile with it, instants follow the log's order over the last three months), every state
 * a desk goes through is there, the printed tokens work against the API on that directory,
 * and a second run refuses the directory it filled.
 */
describe('npm run demo: a desk to explore', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-demo-'));
  let run: ReturnType<typeof npm>;
  let events: StoredEvent[];
  let startedAt: number;

  beforeAll(() => {
    startedAt = Date.now();
    run = npm('demo', dataDir, ['--tickets', '40', '--tick-minutes', '240', '--seed', '7']);
  }, 240_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('fills the empty directory and prints sign-in details for one person of each role', () => {
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Demo desk ready/);
    expect(run.stdout).toMatch(/every demo user's password: demo-[\w-]{16}\)/);
    const roles = [...run.stdout.matchAll(/^ {2}(admin|supervisor|agent|auditor|finance|customer) +(.+) <(.+@.+\.example)>/gm)].map((m) => m[1]);
    expect(roles.sort()).toEqual(['admin', 'agent', 'auditor', 'customer', 'finance', 'supervisor']);
    const tokens = [...run.stdout.matchAll(/^ {13}(ey[\w-]+\.[\w-]+\.[\w-]+)$/gm)].map((m) => verifyToken(m[1], SECRET));
    expect(tokens.map((t) => t.roles[0]).sort()).toEqual(['admin', 'agent', 'auditor', 'customer', 'finance', 'supervisor']);
    expect(tokens.find((t) => t.roles[0] === 'customer')!.customerId).toMatch(/^[0-9a-f-]{36}$/);
    // the tokens name users (ids, not names)
    for (const t of tokens) expect(t.id).toMatch(/^[0-9a-f-]{36}$/);
    // Mexican companies for intecnia
    expect(run.stdout).toMatch(/S\.A\. de C\.V\./);
  });

  it('leaves a log whose hash chains verify and whose read models reconcile with it', () => {
    const audit = npm('verify-audit', dataDir);
    expect(audit.stdout).toMatch(/audit chain intact/);
    expect(audit.status).toBe(0);
    const reconcile = npm('reconcile', dataDir);
    expect(reconcile.stdout).toMatch(/OK: the read models agree with the event log/);
    expect(reconcile.status).toBe(0);
  }, 120_000);

  it('records a genuine history: past instants in the order of the log, over the last three months, decided by the people and the scheduler', async () => {
    const store = SqliteEventStore.open(path.join(dataDir, 'events.db'), { readOnly: true });
    events = store.readAllSync();
    await store.close();
    expect(events.length).toBeGreaterThan(300);
    const instants = events.map((e) => Date.parse(String(e.metadata.occurredAt)));
    for (let i = 1; i < instants.length; i++) expect(instants[i]).toBeGreaterThanOrEqual(instants[i - 1]);
    expect(instants[instants.length - 1]).toBeLessThanOrEqual(startedAt + 60_000);
    const tickets = events.filter((e) => e.type === 'TicketOpened');
    const firstTicket = Date.parse(String(tickets[0].metadata.occurredAt));
    expect(startedAt - firstTicket).toBeGreaterThan(60 * 86_400_000);
    expect(startedAt - firstTicket).toBeLessThan(93 * 86_400_000);
    const types = new Set(events.map((e) => e.type));
    for (const type of ['CustomerRegistered', 'PolicyRegistered', 'TicketOpened', 'TicketClassified', 'TicketAssigned', 'MessagePosted', 'ResponseRecorded', 'CustomerInfoRequested', 'ContactAttemptRecorded', 'TicketEscalated', 'QuoteIssued', 'ServiceAuthorized', 'QuoteDeclined', 'WorkLogged', 'MinutesDeducted', 'PolicyExhausted', 'PolicyExpired', 'SlaWarningRecorded', 'SlaBreachRecorded', 'TicketClosed', 'TicketReopened', 'FollowUpRequested', 'UserInvited', 'InvitationAccepted']) {
      expect({ type, present: types.has(type) }).toEqual({ type, present: true });
    }
    const actors = new Set(events.map((e) => String(e.metadata.actor)));
    expect(actors.has('system:scheduler')).toBe(true);
    expect([...actors].filter((a) => a !== 'system:scheduler').length).toBeGreaterThan(8);
    // e-mails imported by an engineer carry when they arrived
    expect(tickets.some((e) => e.data.channel === 'email' && Date.parse(String(e.data.receivedAt)) < Date.parse(String(e.data.openedAt)))).toBe(true);
    // the scheduler closed a ticket for no response, and escalated a breached one (intecnia)
    expect(events.some((e) => e.type === 'TicketClosed' && e.data.automatic === true && e.data.reason === 'no-customer-response')).toBe(true);
    expect(events.some((e) => e.type === 'TicketEscalated' && e.data.automatic === true)).toBe(true);
  });

  describe('the API on the filled directory', () => {
    let app: NestFastifyApplication;
    let http: ReturnType<typeof request>;
    const as = (role: string) => {
      const m = new RegExp(`^ {2}${role} [^\\n]*\\n {13}(ey[\\w-]+\\.[\\w-]+\\.[\\w-]+)$`, 'm').exec(run.stdout);
      return { Authorization: `Bearer ${m![1]}` };
    };

    beforeAll(async () => {
      const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET, HELPDESK_PRESET: 'intecnia', SCHEDULER_INTERVAL_MS: '3600000', PASSWORD_SCRYPT_LN: '12' });
      app = await createApp(
        { config, events: SqliteEventStore.open(path.join(dataDir, 'events.db')), views: SqliteReadStore.open(path.join(dataDir, 'views.db')), clock: new TestClock(new Date()) },
        { logger: false },
      );
      http = request(app.getHttpServer());
    });
    afterAll(async () => {
      await app.close();
    });

    it('shows tickets in every state: breached, awaiting the customer, escalated, quoted, authorized, closed, reopened', async () => {
      const all: Array<Record<string, unknown>> = [];
      for (let cursor: string | null = null; ; ) {
        const r: request.Response = await http.get(`/api/tickets?limit=200${cursor ? `&cursor=${cursor}` : ''}`).set(as('auditor')).expect(200);
        all.push(...r.body.items);
        cursor = r.body.nextCursor;
        if (!cursor) break;
      }
      expect(all.length).toBeGreaterThanOrEqual(40);
      const status = (s: string) => all.filter((t) => t.status === s).length;
      expect(status('closed')).toBeGreaterThan(10);
      expect(status('awaiting-customer')).toBeGreaterThanOrEqual(1);
      expect(status('open')).toBeGreaterThanOrEqual(4);
      const open = all.filter((t) => t.status !== 'closed');
      expect(open.filter((t) => (t.escalationLevel as number) > 1).length).toBeGreaterThanOrEqual(1);
      expect(all.filter((t) => t.classificationSource === 'staff').length).toBeGreaterThan(5);

      const queue = await http.get('/api/queue?breached=true').set(as('agent')).expect(200);
      expect(queue.body.items.length).toBeGreaterThanOrEqual(1);

      const details = await Promise.all(open.map(async (t) => (await http.get(`/api/tickets/${t.ticketId}`).set(as('supervisor')).expect(200)).body));
      expect(details.some((d) => d.quotes.some((q: { status: string }) => q.status === 'pending'))).toBe(true);
      expect(details.some((d) => d.authorizations.length > 0 && d.workLogs.length > 0)).toBe(true);
      expect(details.some((d) => d.reopenCount > 0)).toBe(true);
      const closed = all.filter((t) => t.status === 'closed');
      const closedDetails = await Promise.all(closed.map(async (t) => (await http.get(`/api/tickets/${t.ticketId}`).set(as('auditor')).expect(200)).body));
      for (const reason of ['resolved', 'no-customer-response', 'declined', 'duplicate']) expect(closedDetails.some((d) => d.closeReason === reason)).toBe(true);
    });

    it('shows policies at every stage of use and billed minutes with per-event charges', async () => {
      const policyIds = [...new Set(events.filter((e) => e.type === 'PolicyRegistered').map((e) => String(e.data.policyId)))];
      const statuses = await Promise.all(policyIds.map(async (id) => (await http.get(`/api/policies/${id}`).set(as('finance')).expect(200)).body.status));
      expect(new Set(statuses)).toEqual(new Set(['active', 'exhausted', 'expired', 'not-started']));
      const billed = await http.get('/api/finance/billed-minutes').set(as('finance')).expect(200);
      const rows = billed.body.rows as Array<{ policyId: string | null; chargeMinor: number | null; currency: string | null }>;
      expect(rows.some((r) => r.policyId !== null)).toBe(true);
      expect(rows.some((r) => r.chargeMinor !== null && r.currency === 'MXN')).toBe(true);
    });

    it('every printed person signs in with their e-mail and the demo password, with the roles shown', async () => {
      const password = /every demo user's password: (\S+)\)/.exec(run.stdout)![1];
      for (const m of run.stdout.matchAll(/^ {2}(admin|supervisor|agent|auditor|finance|customer) +.+ <(.+@.+\.example)>/gm)) {
        const r = await http.post('/api/auth/sign-in').send({ email: m[2], password }).expect(200);
        expect(r.body).toMatchObject({ email: m[2], roles: [m[1]], kind: m[1] === 'customer' ? 'contact' : 'staff' });
      }
      await http.post('/api/auth/sign-in').send({ email: 'ana.lopez@mesadeayuda.example', password: 'not-the-demo-password' }).expect(401);
      // the users are listed for the administrator: staff and two or three contacts per customer
      const users = await http.get('/api/users?limit=200').set(as('admin')).expect(200);
      expect(users.body.items.length).toBeGreaterThanOrEqual(9 + 2 * 12);
      expect(users.body.items.every((u: { status: string }) => u.status === 'active')).toBe(true);
    });

    it("a customer's contact sees their own customer's tickets only", async () => {
      const customer = verifyToken(as('customer').Authorization.slice(7), SECRET);
      const mine = await http.get('/api/tickets?limit=200').set(as('customer')).expect(200);
      expect(mine.body.items.every((t: { customerId: string }) => t.customerId === customer.customerId)).toBe(true);
    });
  });

  it('refuses a directory that is not empty, and adds nothing to it', async () => {
    const head = async () => {
      const store = SqliteEventStore.open(path.join(dataDir, 'events.db'), { readOnly: true });
      try {
        return await store.headPosition();
      } finally {
        await store.close();
      }
    };
    const before = await head();
    const again = npm('demo', dataDir, ['--tickets', '5']);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/is not empty .*the demo fills an empty desk only/);
    expect(await head()).toBe(before);
  });
});
