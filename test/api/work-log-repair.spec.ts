import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SqliteEventStore } from '@helpdesk/event-store';
import { SqliteReadStore } from '@helpdesk/read-store';
import { createApp } from '../../apps/api/src/app';
import { loadConfig } from '../../apps/api/src/config';
import { signToken } from '../../apps/api/src/http/auth';
import { TEST_SECRET, TestClock } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');
const NOW = '2026-11-16T16:00:00.000Z';

/** the real API on an existing DATA_DIR (the embedded stores and the in-process projector) */
async function startOn(dataDir: string) {
  const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: TEST_SECRET, HELPDESK_PRESET: 'impera', SCHEDULER_INTERVAL_MS: '3600000', MIN_POSITION_WAIT_MS: '5000' });
  const events = SqliteEventStore.open(path.join(dataDir, 'events.db'));
  const views = SqliteReadStore.open(path.join(dataDir, 'views.db'));
  const app: NestFastifyApplication = await createApp({ config, events, views, clock: new TestClock(new Date(NOW)) }, { logger: false });
  const auth = (sub: string, roles: string[], customerId?: string) => ({ Authorization: `Bearer ${signToken(TEST_SECRET, sub, roles, customerId)}` });
  return { app, events, views, http: request(app.getHttpServer()), auth };
}

function runChild(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'test/support/work-log-child.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A policy-backed work log writes two streams: MinutesDeducted on the policy, then WorkLogged
 * on the ticket. A process killed between the two leaves the deduction without its ticket
 * copy; on the next start the deduction repairer (a projection of the in-process projector)
 * appends the WorkLogged from the MinutesDeducted, and a retry of the request deducts nothing.
 */
describe('work log: a process killed between the policy and the ticket append is repaired', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-repair-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('appends the missing WorkLogged on the ticket from the MinutesDeducted, once', async () => {
    // 1. prepare: customer, policy, ticket, accepted estimate
    const customerId = randomUUID();
    const policyId = randomUUID();
    let ticketId: string;
    let authorizationId: string;
    {
      const s = await startOn(dataDir);
      const admin = s.auth('root', ['admin']);
      const agent = s.auth('ana', ['agent']);
      await s.http.post('/api/customers').set(admin).send({ customerId, name: 'Hoteles del Bajío' }).expect(201);
      await s.http.post('/api/policies').set(admin).send({ policyId, customerId, plan: 'basic', startsOn: '2026-01-15' }).expect(201);
      const opened = await s.http.post('/api/tickets').set(agent).send({ customerId, department: 'support', subject: 'Correo caído', description: 'No llegan correos' }).expect(201);
      ticketId = opened.body.ticketId;
      const q = await s.http.post(`/api/tickets/${ticketId}/quotes`).set(agent).send({ kind: 'policy-estimate', minutes: 120, description: 'Estimación' }).expect(201);
      authorizationId = q.body.quoteId;
      await s.http.post(`/api/tickets/${ticketId}/quotes/${authorizationId}/authorization`).set(s.auth('cli', ['customer'], customerId)).send({ decision: 'accept' }).expect(200);
      await s.app.close();
    }

    // 2. the child process logs 45 minutes and dies right after the policy append
    const entryId = randomUUID();
    const workLog = { entryId, minutes: 45, workedOn: '2026-11-16', description: 'Reconfiguración del MX', kind: 'remote' };
    const child = await runChild({
      DATA_DIR: dataDir,
      JWT_SECRET: TEST_SECRET,
      HELPDESK_PRESET: 'impera',
      HELPDESK_FAULT: 'exit-after-deduction',
      NOW,
      TICKET_ID: ticketId,
      WORK_LOG: JSON.stringify(workLog),
      ENGINEER: 'ana',
    });
    expect({ code: child.code, stderr: child.stderr }).toEqual({ code: 86, stderr: expect.any(String) });
    expect(child.stdout).toBe(''); // it never answered

    // the crash left the deduction on the policy and nothing on the ticket
    {
      const events = SqliteEventStore.open(path.join(dataDir, 'events.db'), { readOnly: true });
      const policy = await events.readStream(`policy-${policyId}`);
      expect(policy.filter((e) => e.type === 'MinutesDeducted').map((e) => [e.data.entryId, e.data.minutes])).toEqual([[entryId, 45]]);
      const ticket = await events.readStream(`ticket-${ticketId}`);
      expect(ticket.filter((e) => e.type === 'WorkLogged')).toEqual([]);
      await events.close();
    }

    // 3. the API starts again on the same DATA_DIR: the deduction repairer appends the WorkLogged
    const s = await startOn(dataDir);
    try {
      const agent = s.auth('ana', ['agent']);
      let workLogged: Awaited<ReturnType<SqliteEventStore['readStream']>> = [];
      for (let i = 0; i < 200 && workLogged.length === 0; i++) {
        workLogged = (await s.events.readStream(`ticket-${ticketId}`)).filter((e) => e.type === 'WorkLogged');
        if (workLogged.length === 0) await new Promise((r) => setTimeout(r, 25));
      }
      expect(workLogged).toHaveLength(1);
      expect(workLogged[0].data).toMatchObject({ entryId, ticketId, authorizationId, policyId, minutes: 45, workedOn: '2026-11-16', engineerId: 'ana', description: workLog.description });
      expect(workLogged[0].metadata.actor).toMatch(/^system:/);
      const deducted = (await s.events.readStream(`policy-${policyId}`)).find((e) => e.type === 'MinutesDeducted')!;
      expect(workLogged[0].metadata.causationId).toBe(deducted.id);
      expect(workLogged[0].metadata.correlationId).toBe(deducted.metadata.correlationId);

      const head = String(await s.events.headPosition());
      const ticket = await s.http.get(`/api/tickets/${ticketId}`).set(agent).set('X-Min-Position', head).expect(200);
      expect(ticket.body.workLogs).toEqual([expect.objectContaining({ entryId, minutes: 45, authorizationId, policyId })]);
      expect(ticket.body.minutesLogged).toBe(45);
      const billed = await s.http.get(`/api/finance/billed-minutes?customerId=${customerId}`).set(s.auth('fina', ['finance'])).set('X-Min-Position', head).expect(200);
      expect(billed.body.rows).toEqual([expect.objectContaining({ entryId, ticketId, policyId, customerId, minutes: 45, authorizationId })]);
      const policy = await s.http.get(`/api/policies/${policyId}`).set(s.auth('fina', ['finance'])).set('X-Min-Position', head).expect(200);
      expect(policy.body).toMatchObject({ minutesUsed: 45, minutesRemaining: 255 });

      // 4. the engineer's retry of the same request answers 201 and deducts nothing more
      const before = await s.events.headPosition();
      const retry = await s.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent).send(workLog).expect(201);
      expect(retry.body).toMatchObject({ ticketId, entryId });
      expect(await s.events.headPosition()).toBe(before);
      const deductions = (await s.events.readStream(`policy-${policyId}`)).filter((e) => e.type === 'MinutesDeducted');
      expect(deductions).toHaveLength(1);
      // the same entryId with another body is still refused
      const other = await s.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent).send({ ...workLog, minutes: 60 }).expect(409);
      expect(other.body.code).toBe('id-reused');
    } finally {
      await s.app.close();
    }

    // 5. and a second restart repairs nothing more (the repairer is idempotent by entryId)
    const again = await startOn(dataDir);
    try {
      await new Promise((r) => setTimeout(r, 200));
      const head = String(await again.events.headPosition());
      await again.http.get('/api/health').expect(200);
      const ticketEvents = await again.events.readStream(`ticket-${ticketId}`);
      expect(ticketEvents.filter((e) => e.type === 'WorkLogged')).toHaveLength(1);
      expect(String(await again.events.headPosition())).toBe(head);
    } finally {
      await again.app.close();
    }
  }, 60_000);
});
