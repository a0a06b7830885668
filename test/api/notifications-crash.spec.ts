import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import request from 'supertest';
import { SqliteEventStore } from '@helpdesk/event-store';
import { SqliteReadStore } from '@helpdesk/read-store';
import { NotificationStore, SqliteOpsStore } from '@helpdesk/notifications';
import { createApp } from '../../apps/api/src/app';
import { loadConfig } from '../../apps/api/src/config';
import { signToken } from '../../apps/api/src/http/auth';
import { NOTIFICATIONS, NotificationsRuntime } from '../../apps/api/src/notifications/runtime';
import { createPeople } from '../support/people';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { TEST_SECRET, TestClock, startTestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');
const NOW = '2026-11-16T16:00:00.000Z';
const MAIL_FROM = 'Mesa de ayuda <soporte@impera.example.test>';

function runChild(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'test/support/notify-crash-child.ts')], {
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

async function startOn(dataDir: string, smtpUrl: string) {
  const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: TEST_SECRET, HELPDESK_PRESET: 'impera', SCHEDULER_INTERVAL_MS: '3600000', SMTP_URL: smtpUrl, MAIL_FROM, NOTIFY_POLL_MS: '50', PASSWORD_SCRYPT_LN: '12' });
  const events = SqliteEventStore.open(path.join(dataDir, 'events.db'));
  const views = SqliteReadStore.open(path.join(dataDir, 'views.db'));
  const app = await createApp({ config, events, views, clock: new TestClock(new Date(NOW)) }, { logger: false });
  const rt = app.get(NOTIFICATIONS) as NotificationsRuntime;
  return { app, rt, http: request(app.getHttpServer()) };
}

/**
 * Exactly once in effect: a process that dies after the SMTP server accepted a message and
 * before the delivery was marked sent leaves the delivery in flight; the next start sends it
 * again with the SAME Message-ID (the receiving side de-duplicates on it), never a new one,
 * and marks it sent; a further restart sends nothing.
 */
describe('e-mail: a crash between sending and marking re-sends with the same Message-ID', () => {
  let dataDir: string;
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-notify-crash-'));
    smtp = await startSmtpReceiver();
  });
  afterAll(async () => {
    await smtp.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the same message again after the restart, marks it sent, and nothing more after that', async () => {
    // the assignee, invited (the invitation arrives by e-mail) and accepted; a ticket
    let assignee: string;
    let ticketId: string;
    {
      const t = await startTestApp({ dataDir, now: NOW, env: { SMTP_URL: smtp.url, MAIL_FROM, NOTIFY_POLL_MS: '50' } });
      const people = await createPeople(t, smtp, [{ key: 'ana', kind: 'staff', email: 'ana@staff.example.test', name: 'Ana', roles: ['agent'] }]);
      assignee = people.get('ana').userId;
      const c = await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Acme' }).expect(201);
      ticketId = (await t.http.post('/api/tickets').set(t.auth('cli', ['customer'], c.body.customerId)).send({ department: 'support', subject: 'Correo caído', description: 'x' }).expect(201)).body.ticketId;
      await t.caughtUp(Number(await t.events.headPosition()));
      await (t.app.get(NOTIFICATIONS) as NotificationsRuntime).mail!.idle();
      await t.close();
      smtp.clear();
    }
    const child = await runChild({ DATA_DIR: dataDir, JWT_SECRET: TEST_SECRET, SMTP_URL: smtp.url, MAIL_FROM, NOW, HELPDESK_FAULT: 'exit-after-mail-send', TICKET_ID: ticketId, ASSIGNEE: assignee });
    expect({ code: child.code, stderr: child.stderr }).toEqual({ code: 86, stderr: '' });
    expect(child.stdout).not.toContain('the fault did not fire');
    expect(smtp.mails).toHaveLength(1);
    const first = smtp.mails[0];
    expect(first).toMatchObject({ rcpt: ['ana@staff.example.test'], subject: 'Ticket asignado: Correo caído' });
    expect(first.messageId).toMatch(/^<[0-9a-f-]{36}@impera\.example\.test>$/);

    // what the crash left: the delivery written before sending, in flight, not marked
    {
      const store = new NotificationStore(SqliteOpsStore.open(path.join(dataDir, 'notifications.db')));
      const [d] = (await store.listMailDeliveries({ kind: 'ticket-assigned' }, 10)).items;
      expect(d).toMatchObject({ messageId: first.messageId, state: 'pending', attempts: 1, inFlight: { since: NOW, by: expect.any(String) }, sentAt: null });
      expect(d.log).toEqual([expect.objectContaining({ attempt: 1, outcome: null, finishedAt: null })]);
      await store.close();
    }

    // the API starts again: the delivery goes out again with the same Message-ID
    const s = await startOn(dataDir, smtp.url);
    try {
      await smtp.waitFor((m) => m.length >= 2);
      await s.rt.mail!.idle();
      expect(smtp.mails.map((m) => m.messageId)).toEqual([first.messageId, first.messageId]);
      expect(smtp.mails[1]).toMatchObject({ subject: first.subject, text: first.text, rcpt: first.rcpt });
      const [d] = (await s.rt.store.listMailDeliveries({ kind: 'ticket-assigned' }, 10)).items;
      expect(d).toMatchObject({ state: 'sent', attempts: 2, inFlight: null, sentAt: NOW });
      expect(d.log.map((l) => [l.attempt, l.outcome])).toEqual([
        [1, 'interrupted'],
        [2, 'sent'],
      ]);
      const list = await s.http.get('/api/notifications').set({ Authorization: `Bearer ${signToken(TEST_SECRET, assignee, ['agent'])}` }).expect(200);
      // one notification of the assignment, not two: the replayed page recorded nothing new
      expect(list.body.items.filter((n: { kind: string }) => n.kind === 'ticket-assigned')).toEqual([
        expect.objectContaining({ kind: 'ticket-assigned', email: expect.objectContaining({ state: 'sent', attempts: 2 }) }),
      ]);
    } finally {
      await s.app.close();
    }

    // a further restart sends nothing
    const again = await startOn(dataDir, smtp.url);
    try {
      await new Promise((r) => setTimeout(r, 300));
      await again.rt.mail!.idle();
      expect(smtp.mails).toHaveLength(2);
    } finally {
      await again.app.close();
    }
  }, 90_000);
});
