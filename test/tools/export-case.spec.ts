import { spawnSync } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ExportedEvent, verifyExport } from '@helpdesk/application';
import { TestApp, startTestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');

function exportCase(dataDir: string, ticketId?: string) {
  const r = spawnSync('npm', ['run', '--silent', 'export-case', '--', ...(ticketId ? [ticketId] : [])], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, EVENT_STORE: 'sqlite', READ_STORE: 'embedded' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Header = { kind: string; ticketId: string; exportedAt: string; events: number; chain: { intact: boolean } };

function parse(ndjson: string): { header: Header; lines: ExportedEvent[] } {
  expect(ndjson.endsWith('\n')).toBe(true);
  const [first, ...rest] = ndjson.trimEnd().split('\n').map((l) => JSON.parse(l));
  return { header: first as Header, lines: rest as ExportedEvent[] };
}

/**
 * The verifiable case export: GET /api/tickets/{id}/history?format=ndjson and
 * `npm run export-case -- <ticketId>` give a header line and one line per event (the stored
 * event whole, hash chain included), which verifyExport() checks offline.
 */
describe('Case export (NDJSON), over HTTP and with npm run export-case, verifiable offline', () => {
  let t: TestApp;
  let dataDir: string;
  let policyId: string;
  const ticketId = randomUUID();
  let httpExport = '';
  let toolOutput: ReturnType<typeof exportCase> | null = null;
  /** the tool's export of the case, run once (each run starts node and compiles the sources) */
  const toolExport = () => (toolOutput ??= exportCase(dataDir, ticketId));

  beforeAll(async () => {
    t = await startTestApp({ preset: 'impera', now: '2026-11-17T15:00:00.000Z' });
    dataDir = t.dataDir;
    const admin = t.auth('root', ['admin']);
    const agent = t.auth('ana', ['agent']);
    const customerId = (await t.http.post('/api/customers').set(admin).send({ name: 'Hoteles del Bajío' }).expect(201)).body.customerId;
    const customer = t.auth('maria', ['customer'], customerId);
    policyId = (await t.http.post('/api/policies').set(admin).send({ customerId, plan: 'business', startsOn: '2026-11-01' }).expect(201)).body.policyId;
    await t.http.post('/api/tickets').set(customer).send({ ticketId, department: 'support', subject: 'Correo no sale', description: 'x' }).expect(201);
    // another ticket's deduction interleaves on the same policy stream
    const otherTicket = (await t.http.post('/api/tickets').set(customer).send({ department: 'support', subject: 'Otro tema', description: 'y' }).expect(201)).body.ticketId;
    t.clock.advanceMinutes(20);
    await t.http.post(`/api/tickets/${ticketId}/messages`).set(agent).send({ body: 'nota', visibility: 'internal' }).expect(201);
    for (const id of [ticketId, otherTicket]) {
      const quoteId = randomUUID();
      await t.http.post(`/api/tickets/${id}/quotes`).set(agent).send({ quoteId, kind: 'policy-estimate', minutes: 120, description: 'estimado' }).expect(201);
      await t.http.post(`/api/tickets/${id}/quotes/${quoteId}/authorization`).set(customer).send({ decision: 'accept' }).expect(200);
    }
    t.clock.advanceMinutes(30);
    await t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent).send({ minutes: 30, workedOn: '2026-11-17', description: 'a' }).expect(201);
    await t.http.post(`/api/tickets/${otherTicket}/work-logs`).set(agent).send({ minutes: 15, workedOn: '2026-11-17', description: 'b' }).expect(201);
    const last = await t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent).send({ minutes: 25, workedOn: '2026-11-17', description: 'c' }).expect(201);
    const r = await t.http
      .get(`/api/tickets/${ticketId}/history`)
      .query({ format: 'ndjson' })
      .set(t.auth('auditora', ['auditor']))
      .set('X-Min-Position', String(last.body.position))
      .expect(200);
    expect(r.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="case-${ticketId}.ndjson"`);
    httpExport = r.text;
    await t.app.close();
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('exports over HTTP a header and one line per event of the case, deductions included, that verifyExport finds intact', () => {
    const { header, lines } = parse(httpExport);
    expect(header).toMatchObject({ kind: 'case-export', ticketId, events: lines.length, chain: { intact: true } });
    expect(header.exportedAt).toBe('2026-11-17T15:50:00.000Z');
    const ticketLines = lines.filter((l) => l.streamId === `ticket-${ticketId}`);
    expect(ticketLines.map((l) => l.version)).toEqual(ticketLines.map((_, i) => String(i)));
    const deductions = lines.filter((l) => l.type === 'MinutesDeducted');
    expect(deductions.map((d) => [d.streamId, d.data.ticketId, d.data.minutes])).toEqual([
      [`policy-${policyId}`, ticketId, 30],
      [`policy-${policyId}`, ticketId, 25],
    ]);
    // every line carries what an offline check needs
    for (const l of lines) {
      expect(l.metadata).toMatchObject({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), prevHash: expect.stringMatching(/^[0-9a-f]{64}$/), actor: expect.any(String), occurredAt: expect.any(String), correlationId: expect.any(String) });
    }
    expect(verifyExport(lines)).toEqual([]);
  }, 60_000);

  it('writes the same events with npm run export-case -- <ticketId>', () => {
    const r = toolExport();
    expect(r.status).toBe(0);
    const tool = parse(r.stdout);
    const http = parse(httpExport);
    expect(tool.header).toMatchObject({ kind: 'case-export', ticketId, events: http.lines.length, chain: { intact: true } });
    expect(tool.lines).toEqual(http.lines);
    expect(verifyExport(tool.lines)).toEqual([]);
  }, 60_000);

  it("finds a line whose data was changed in the export text, naming its stream and version", () => {
    const { lines } = parse(toolExport().stdout);
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    const deduction = lines.find((l) => l.type === 'MinutesDeducted')!;
    const edited = text.replace(JSON.stringify(deduction.data), JSON.stringify({ ...deduction.data, minutes: 3 }));
    expect(edited).not.toBe(text);
    const problems = verifyExport(edited.split('\n').map((l) => JSON.parse(l)));
    expect(problems).toEqual([`${deduction.streamId}@${deduction.version}: hash does not match the content`]);

    const opened = lines[0];
    expect(opened.type).toBe('TicketOpened');
    const renamed = lines.map((l) => (l === opened ? { ...l, metadata: { ...l.metadata, actor: 'otro' } } : l));
    expect(verifyExport(renamed)).toEqual([`ticket-${ticketId}@0: hash does not match the content`]);
  }, 60_000);

  it('finds a ticket event removed from the export, and an export that does not start at the ticket\'s first event', () => {
    const { lines } = parse(toolExport().stdout);
    const ticketLines = lines.filter((l) => l.streamId === `ticket-${ticketId}`);
    const removed = ticketLines[2];
    const problems = verifyExport(lines.filter((l) => l !== removed));
    expect(problems).toEqual(
      expect.arrayContaining([`ticket-${ticketId}@${Number(removed.version) + 1}: a ticket event is missing before it`]),
    );
    expect(verifyExport(lines.filter((l) => l !== lines[0]))).toEqual(expect.arrayContaining([`ticket-${ticketId}: the export does not start at the ticket's first event`]));
  }, 60_000);

  it('exits 1 for an unknown ticket and 2 without a ticket id', () => {
    const unknown = exportCase(dataDir, randomUUID());
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/not found/);
    const none = exportCase(dataDir);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/usage: npm run export-case/);
  }, 90_000);
});
