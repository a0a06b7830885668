import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as path from 'path';
import { reconcile } from '@helpdesk/application/reconcile';
import { TEST_SECRET, TestApp, startTestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');

function runReconcile(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'tools/reconcile.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, JWT_SECRET: TEST_SECRET, HELPDESK_PRESET: 'impera' },
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

/** npm run reconcile: the read models against the event log, per policy and per billed row and total. */
describe('reconcile: recompute balances and billed minutes from the log and compare with the read models', () => {
  let t: TestApp;
  const admin = () => t.auth('root', ['admin']);
  const agent = () => t.auth('ana', ['agent']);
  let customerA: string;
  let customerB: string;
  let policyA: string;
  let policyA2: string;
  let ticketB: string;
  let head = 0;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-16T16:00:00.000Z' });
    // a realistic month: two customers, two policies, per-event work, a supplementary quote, work in and out of the period
    customerA = randomUUID();
    customerB = randomUUID();
    policyA = randomUUID();
    policyA2 = randomUUID();
    await t.http.post('/api/customers').set(admin()).send({ customerId: customerA, name: 'Hoteles del Bajío' }).expect(201);
    await t.http.post('/api/customers').set(admin()).send({ customerId: customerB, name: 'Redes del Norte' }).expect(201);
    await t.http.post('/api/policies').set(admin()).send({ policyId: policyA, customerId: customerA, plan: 'basic', startsOn: '2026-01-15' }).expect(201);
    await t.http.post('/api/policies').set(t.auth('fina', ['finance'])).send({ policyId: policyA2, customerId: customerA, plan: 'business', startsOn: '2026-06-01' }).expect(201);

    const open = async (customerId: string) =>
      (await t.http.post('/api/tickets').set(agent()).send({ customerId, department: 'support', subject: `Caso ${randomUUID().slice(0, 6)}`, description: 'x' }).expect(201)).body.ticketId as string;
    const accept = async (ticketId: string, customerId: string, body: Record<string, unknown>) => {
      const q = await t.http.post(`/api/tickets/${ticketId}/quotes`).set(agent()).send({ description: 'Cotización', ...body }).expect(201);
      await t.http.post(`/api/tickets/${ticketId}/quotes/${q.body.quoteId}/authorization`).set(t.auth('cli', ['customer'], customerId)).send({ decision: 'accept' }).expect(200);
    };
    const log = async (ticketId: string, minutes: number, workedOn: string) => {
      const r = await t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent()).send({ minutes, workedOn, description: 'Trabajo, "remoto"' }).expect(201);
      head = Math.max(head, r.body.position);
    };

    const a1 = await open(customerA);
    await accept(a1, customerA, { kind: 'policy-estimate', minutes: 120 });
    t.clock.set('2026-10-30T16:00:00.000Z');
    await log(a1, 30, '2026-10-30'); // before the period
    t.clock.set('2026-11-16T16:00:00.000Z');
    await log(a1, 60, '2026-11-16');
    await accept(a1, customerA, { kind: 'policy-estimate', minutes: 60, supplementary: true });
    await log(a1, 45, '2026-11-16'); // beyond the first authorization: the supplementary one
    ticketB = await open(customerB);
    await accept(ticketB, customerB, { kind: 'per-event', minutes: 120, hourlyRateMinor: 90_000, currency: 'MXN' });
    await log(ticketB, 50, '2026-11-16');
    await log(ticketB, 25, '2026-11-16');
    await t.caughtUp(head);
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds the read models equal to the log after a realistic scenario, with the period on workedOn', async () => {
    const report = await reconcile(t.events, t.views, { from: '2026-11-01', to: '2026-11-30' });
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.lag).toBe(0n);
    const a = report.policies.find((p) => p.policyId === policyA)!;
    expect(a).toMatchObject({ minutesPurchased: 300, minutesUsed: 135, minutesRemaining: 165, deductions: 3 });
    expect(report.policies.find((p) => p.policyId === policyA2)).toMatchObject({ minutesPurchased: 1200, minutesUsed: 0 });
    expect(report.billed.rows).toBe(4); // the October entry is outside the period
    expect(report.billed.byPolicy).toEqual([{ policyId: policyA, customerId: customerA, minutes: 105 }]);
    expect(report.billed.byCustomer.find((c) => c.customerId === customerB)).toEqual({
      customerId: customerB,
      minutes: 75,
      policyMinutes: 0,
      perEventMinutes: 75,
      chargeMinor: { MXN: 112_500 }, // 90 000 / h for 75 minutes
    });
    const all = await reconcile(t.events, t.views);
    expect(all.ok).toBe(true);
    expect(all.billed.rows).toBe(5);
    // and the same from the command line: exit 0
    const cli = await runReconcile(t.dataDir, ['--from', '2026-11-01', '--to', '2026-11-30']);
    expect(cli.stderr).not.toMatch(/error/i);
    expect(cli.stdout).toMatch(/OK: the read models agree with the event log/);
    expect(cli.code).toBe(0);
  }, 30_000);

  it('reports a tampered policy balance and a tampered or missing billed row, and the CLI exits 1', async () => {
    // edit the policies document directly
    const doc = (await t.views.get<Record<string, unknown> & { _id: string; _pos: number; minutesUsed: number; minutesRemaining: number }>('policies', policyA))!;
    await t.views.applyBatch([
      { kind: 'put', collection: 'policies', doc: { ...doc, minutesUsed: doc.minutesUsed - 15, minutesRemaining: doc.minutesRemaining + 15, _pos: doc._pos + 1_000_000 } },
    ]);
    // change the minutes of one billed row and delete another
    const rows = await t.views.find<{ _id: string; _pos: number; minutes: number; ticketId: string; entryId: string; workedOn: string }>('billed', { filter: { ticketId: ticketB } });
    expect(rows).toHaveLength(2);
    const [changed, deleted] = rows;
    await t.views.applyBatch([
      { kind: 'put', collection: 'billed', doc: { ...changed, minutes: changed.minutes + 5, _pos: changed._pos + 1_000_000 } },
      { kind: 'delete', collection: 'billed', id: deleted._id, position: deleted._pos + 1_000_000 },
    ]);

    const report = await reconcile(t.events, t.views, { from: '2026-11-01', to: '2026-11-30' });
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual(
      expect.arrayContaining([
        { kind: 'policy-balance', id: policyA, field: 'minutesUsed', expected: 135, actual: 120 },
        { kind: 'policy-balance', id: policyA, field: 'minutesRemaining', expected: 165, actual: 180 },
        { kind: 'billed-row', id: `${changed.ticketId}/${changed.entryId}`, field: 'minutes', expected: changed.minutes, actual: changed.minutes + 5 },
        expect.objectContaining({ kind: 'billed-row-missing', id: `${deleted.ticketId}/${deleted.entryId}` }),
        expect.objectContaining({ kind: 'billed-customer-total', id: customerB, expected: expect.objectContaining({ minutes: 75 }), actual: expect.objectContaining({ minutes: changed.minutes + 5 }) }),
      ]),
    );
    // the deductions listed in the document no longer add up to its minutesUsed either
    expect(report.differences).toContainEqual({ kind: 'policy-balance', id: policyA, field: 'deductions.minutes', expected: 120, actual: 135 });
    // customer A's billed rows were not touched
    expect(report.differences.filter((d) => d.kind.startsWith('billed') && d.id === customerA)).toEqual([]);
    // a period that excludes the tampered rows still sees the tampered policy (balances are not per period)
    const october = await reconcile(t.events, t.views, { from: '2026-10-01', to: '2026-10-31' });
    expect(october.differences.map((d) => d.kind).sort()).toEqual(['policy-balance', 'policy-balance', 'policy-balance']);

    const cli = await runReconcile(t.dataDir, ['--from', '2026-11-01', '--to', '2026-11-30']);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/DIFFERENCES \(\d+\)/);
    expect(cli.stdout).toContain(`policy-balance ${policyA} minutesUsed: log 135, read model 120`);
    expect(cli.stdout).toContain(`billed-row-missing ${deleted.ticketId}/${deleted.entryId}`);
    const usage = await runReconcile(t.dataDir, ['--from', '01/11/2026']);
    expect(usage.code).toBe(2);
  }, 30_000);
});
