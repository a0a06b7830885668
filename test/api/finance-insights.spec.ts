import { randomUUID } from 'crypto';
import { reconcile } from '@helpdesk/application';
import { allProjections, rebuildProjections } from '@helpdesk/projections';
import { TestApp, startTestApp } from '../support/test-app';

/** RFC 4180 lines (quoted fields may hold commas, quotes and line breaks) */
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
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), i++;
    } else field += c;
  }
  return rows;
}

/**
 * Finance and audit through HTTP: the reconciliation verdict (a difference put into a read
 * model shows, a rebuild clears it), billed minutes by customer, policy and month equal to the
 * rows and the CSV, per-event charges with their quotes' amounts, policy balances with burn
 * rate and projected exhaustion, and the authorizations audit as CSV.
 */
describe('Finance: reconciliation, billed minutes by month, charges, policy balances; authorizations CSV', () => {
  let t: TestApp;
  const admin = () => t.auth('root', ['admin']);
  const agent = () => t.auth('ana', ['agent']);
  const finance = () => t.auth('fina', ['finance']);
  const auditor = () => t.auth('auditora', ['auditor']);
  const customerA = randomUUID();
  const customerB = randomUUID();
  const policyA = randomUUID();
  const policyFuture = randomUUID();
  let ticketA = '';
  let ticketB = '';
  let quoteB = '';
  let last = 0;
  const get = (path: string, who = finance()) => t.http.get(path).set(who).set('X-Min-Position', String(last));
  const track = <R extends { status: number; body: { position?: number } }>(r: R, status: number): R => {
    expect(r.status).toBe(status);
    last = Math.max(last, r.body.position ?? 0);
    t.clock.advanceMinutes(1); // every decision at its own instant
    return r;
  };

  beforeAll(async () => {
    // Monday 2026-11-16 10:00 in Mexico City
    t = await startTestApp({ preset: 'impera', now: '2026-11-16T16:00:00.000Z' });
    await t.http.post('/api/customers').set(admin()).send({ customerId: customerA, name: 'Hoteles del Bajío' }).expect(201);
    await t.http.post('/api/customers').set(admin()).send({ customerId: customerB, name: 'Redes del Norte, S.A.' }).expect(201);
    track(await t.http.post('/api/policies').set(admin()).send({ policyId: policyA, customerId: customerA, plan: 'basic', startsOn: '2026-06-01' }), 201);
    track(await t.http.post('/api/policies').set(finance()).send({ policyId: policyFuture, customerId: customerA, plan: 'business', startsOn: '2027-01-01' }), 201);

    const open = async (customerId: string) =>
      track(await t.http.post('/api/tickets').set(agent()).send({ customerId, department: 'support', subject: `Caso ${randomUUID().slice(0, 6)}`, description: 'x' }), 201).body.ticketId as string;
    ticketA = await open(customerA);
    const qa = track(await t.http.post(`/api/tickets/${ticketA}/quotes`).set(agent()).send({ kind: 'policy-estimate', minutes: 200, description: 'Soporte del trimestre' }), 201);
    track(await t.http.post(`/api/tickets/${ticketA}/quotes/${qa.body.quoteId}/authorization`).set(t.auth('cli', ['customer'], customerA)).send({ decision: 'accept' }), 200);
    for (const [minutes, workedOn] of [
      [60, '2026-09-10'],
      [30, '2026-10-05'],
      [45, '2026-11-10'],
    ] as const) {
      track(await t.http.post(`/api/tickets/${ticketA}/work-logs`).set(agent()).send({ minutes, workedOn, description: 'Revisión, "remota"' }), 201);
    }
    ticketB = await open(customerB);
    const qb = track(
      await t.http
        .post(`/api/tickets/${ticketB}/quotes`)
        .set(agent())
        .send({ kind: 'per-event', minutes: 120, hourlyRateMinor: 90_000, currency: 'MXN', paymentTerms: '30 días', purchaseOrderRequired: true, description: 'Visita' }),
      201,
    );
    quoteB = qb.body.quoteId;
    track(await t.http.post(`/api/tickets/${ticketB}/quotes/${quoteB}/authorization`).set(t.auth('gus', ['customer'], customerB)).send({ decision: 'accept', purchaseOrder: 'OC-77' }), 200);
    track(await t.http.post(`/api/tickets/${ticketB}/work-logs`).set(agent()).send({ minutes: 50, workedOn: '2026-11-12', description: '=HYPERLINK("x")' }), 201);
    track(await t.http.post(`/api/tickets/${ticketB}/work-logs`).set(agent()).send({ minutes: 25, workedOn: '2026-11-13', description: 'Cierre' }), 201);
    // a declined quote for the audit
    const qd = track(await t.http.post(`/api/tickets/${ticketB}/quotes`).set(agent()).send({ kind: 'per-event', minutes: 30, hourlyRateMinor: 90_000, currency: 'MXN', description: 'Extra', supplementary: true }), 201);
    track(await t.http.post(`/api/tickets/${ticketB}/quotes/${qd.body.quoteId}/authorization`).set(t.auth('gus', ['customer'], customerB)).send({ decision: 'decline', comment: 'No, gracias' }), 200);
    await t.caughtUp(last);
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('billed minutes by customer, policy and month: the same rows as the billed-minutes JSON and its CSV, summed', async () => {
    const s = await get('/api/finance/billed-minutes/summary?from=2026-09-01&to=2026-11-30').expect(200);
    expect(s.body.months).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(s.body.rows).toEqual([
      ...[
        ['2026-09', 60],
        ['2026-10', 30],
        ['2026-11', 45],
      ].map(([month, minutes]) => ({ customerId: customerA, customerName: 'Hoteles del Bajío', policyId: policyA, policyNumber: expect.stringMatching(/^POL-2026-/), month, minutes, entries: 1, chargeMinor: {} })),
      { customerId: customerB, customerName: 'Redes del Norte, S.A.', policyId: null, policyNumber: null, month: '2026-11', minutes: 75, entries: 2, chargeMinor: { MXN: 112_500 } },
    ].sort((a, b) => ((a.customerId as string) < (b.customerId as string) ? -1 : (a.customerId as string) > (b.customerId as string) ? 1 : 0)));
    expect(s.body.totals).toMatchObject({
      minutes: 210,
      entries: 5,
      chargeMinor: { MXN: 112_500 },
      byMonth: [
        { month: '2026-09', minutes: 60, policyMinutes: 60, perEventMinutes: 0, entries: 1, chargeMinor: {} },
        { month: '2026-10', minutes: 30, policyMinutes: 30, perEventMinutes: 0, entries: 1, chargeMinor: {} },
        { month: '2026-11', minutes: 120, policyMinutes: 45, perEventMinutes: 75, entries: 3, chargeMinor: { MXN: 112_500 } },
      ],
      byPolicy: [{ policyId: policyA, customerId: customerA, minutes: 135 }],
    });
    // the rows the console downloads: JSON and CSV, the same entries and sums as the summary
    const json = await get('/api/finance/billed-minutes?from=2026-09-01&to=2026-11-30').expect(200);
    const csv = await get('/api/finance/billed-minutes?from=2026-09-01&to=2026-11-30&format=csv').expect(200);
    const [header, ...lines] = parseCsv(csv.text);
    expect(lines).toHaveLength(json.body.rows.length);
    const minutesAt = header.indexOf('minutes');
    expect(lines.reduce((sum, l) => sum + Number(l[minutesAt]), 0)).toBe(s.body.totals.minutes);
    expect(json.body.rows.reduce((sum: number, r: { minutes: number }) => sum + r.minutes, 0)).toBe(s.body.totals.minutes);
    expect(json.body.totals.byCustomer.map((c: any) => [c.customerId, c.minutes])).toEqual(s.body.totals.byCustomer.map((c: any) => [c.customerId, c.minutes]));
    // one customer, a narrower period
    const b = await get(`/api/finance/billed-minutes/summary?customerId=${customerB}&from=2026-11-13&to=2026-11-13`).expect(200);
    expect(b.body.totals).toMatchObject({ minutes: 25, chargeMinor: { MXN: 37_500 } });
  });

  it('per-event charges with the quote\'s amount, rate, terms and purchase order, in exact minor units', async () => {
    const r = await get('/api/finance/charges?from=2026-11-01&to=2026-11-30').expect(200);
    const quote = { minutes: 120, hourlyRateMinor: 90_000, amountMinor: 180_000, currency: 'MXN', paymentTerms: '30 días', purchaseOrder: 'OC-77' };
    expect(r.body.items).toEqual([
      expect.objectContaining({ ticketId: ticketB, quoteId: quoteB, minutes: 50, chargeMinor: 75_000, currency: 'MXN', workedOn: '2026-11-12', customerName: 'Redes del Norte, S.A.', quote }),
      expect.objectContaining({ ticketId: ticketB, quoteId: quoteB, minutes: 25, chargeMinor: 37_500, currency: 'MXN', workedOn: '2026-11-13', quote }),
    ]);
    expect(r.body.totals).toEqual({ chargeMinor: { MXN: 112_500 }, minutes: 75, byCustomer: [{ customerId: customerB, customerName: 'Redes del Norte, S.A.', minutes: 75, chargeMinor: { MXN: 112_500 } }] });
  });

  it('policy balances with expiry, burn rate over the last 3 months and the projected exhaustion date', async () => {
    const r = await get(`/api/finance/policy-balances?customerId=${customerA}`).expect(200);
    expect(r.body.nextCursor).toBeNull();
    const [future, a] = r.body.items; // newest validity first
    expect(a).toEqual({
      policyId: policyA,
      number: expect.stringMatching(/^POL-2026-/),
      customerId: customerA,
      customerName: 'Hoteles del Bajío',
      plan: 'basic',
      status: 'active',
      minutesPurchased: 300,
      minutesUsed: 135,
      minutesRemaining: 165,
      validFrom: '2026-06-01',
      validUntil: '2027-05-31',
      timeZone: 'America/Mexico_City',
      today: '2026-11-16',
      daysToExpiry: 196,
      // 2026-08-17 through 2026-11-16: 92 days, 135 minutes -> 44 a month; 165 left at 135 / 92 days -> 113 days
      burn: {
        from: '2026-08-17',
        to: '2026-11-16',
        days: 92,
        minutes: 135,
        minutesPerMonth: 44,
        months: [
          { month: '2026-08', minutes: 0 },
          { month: '2026-09', minutes: 60 },
          { month: '2026-10', minutes: 30 },
          { month: '2026-11', minutes: 45 },
        ],
      },
      projectedExhaustionOn: '2027-03-09',
      exhaustsBeforeExpiry: true,
    });
    expect(future).toMatchObject({ policyId: policyFuture, status: 'not-started', burn: { from: null, to: null, days: 0, minutes: 0, minutesPerMonth: 0, months: [] }, projectedExhaustionOn: null, exhaustsBeforeExpiry: null });
    const active = await get('/api/finance/policy-balances?status=active').expect(200);
    expect(active.body.items.map((p: { policyId: string }) => p.policyId)).toEqual([policyA]);
    const paged = await get('/api/finance/policy-balances?limit=1').expect(200);
    expect(paged.body.items).toHaveLength(1);
    const rest = await get(`/api/finance/policy-balances?limit=1&cursor=${paged.body.nextCursor}`).expect(200);
    expect(rest.body.items[0].policyId).not.toBe(paged.body.items[0].policyId);
    await get('/api/finance/policy-balances', admin()).expect(200);
  });

  it('reconciliation: green when the read models agree, every difference listed when one was put into a read model, green again after a rebuild', async () => {
    const ok = await get('/api/finance/reconciliation?from=2026-11-01&to=2026-11-30', auditor()).expect(200);
    expect(ok.body).toMatchObject({ ok: true, differenceCount: 0, differences: [], truncated: false, lag: 0, from: '2026-11-01', to: '2026-11-30' });
    expect(ok.body.head).toBe(Number(await t.events.headPosition()));
    expect(ok.body.billed).toMatchObject({ rows: 3, minutes: 120 });
    expect(ok.body.policies.find((p: { policyId: string }) => p.policyId === policyA)).toEqual({ policyId: policyA, customerId: customerA, minutesPurchased: 300, minutesUsed: 135, minutesRemaining: 165, deductions: 3 });

    // a billed row changed in the read model, behind the projector's back
    const rows = await t.views.find<{ _id: string; _pos: number; minutes: number; ticketId: string; entryId: string }>('billed', { filter: { ticketId: ticketB } });
    const row = rows.find((r) => r.minutes === 25)!;
    await t.views.applyBatch([{ kind: 'put', collection: 'billed', doc: { ...row, minutes: 40, _pos: row._pos + 1_000_000 } }]);
    const bad = await get('/api/finance/reconciliation?from=2026-11-01&to=2026-11-30').expect(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.differences).toEqual(
      expect.arrayContaining([
        { kind: 'billed-row', id: `${row.ticketId}/${row.entryId}`, field: 'minutes', expected: 25, actual: 40 },
        expect.objectContaining({ kind: 'billed-customer-total', id: customerB }),
      ]),
    );
    // the same run as `npm run reconcile` (the library function the tool calls)
    const direct = await reconcile(t.events, t.views, { from: '2026-11-01', to: '2026-11-30' });
    expect(bad.body.differences).toEqual(JSON.parse(JSON.stringify(direct.differences)));
    const one = await get('/api/finance/reconciliation?from=2026-11-01&to=2026-11-30&limit=1').expect(200);
    expect(one.body).toMatchObject({ ok: false, truncated: true, differenceCount: bad.body.differenceCount });
    expect(one.body.differences).toHaveLength(1);
    // two at once: one run at a time, both answered
    const [x, y] = await Promise.all([get('/api/finance/reconciliation').expect(200), get('/api/finance/reconciliation?from=2026-11-01').expect(200)]);
    expect(x.body.ok).toBe(false);
    expect(y.body.ok).toBe(false);

    await rebuildProjections(t.events, t.views, allProjections());
    const again = await get('/api/finance/reconciliation?from=2026-11-01&to=2026-11-30').expect(200);
    expect(again.body).toMatchObject({ ok: true, differenceCount: 0 });
  });

  it('the authorizations audit filters by customer and dates, shows purchase order and terms, and downloads as CSV', async () => {
    const all = await get('/api/audit/authorizations?from=2026-11-01&to=2026-11-30', auditor()).expect(200);
    expect(all.body.map((a: { decision: string }) => a.decision)).toEqual(['accept', 'accept', 'decline']);
    const b = await get(`/api/audit/authorizations?customerId=${customerB}`, auditor()).expect(200);
    expect(b.body).toHaveLength(2);
    expect(b.body[0]).toMatchObject({
      ticketId: ticketB,
      quoteId: quoteB,
      decision: 'accept',
      by: 'gus',
      purchaseOrder: 'OC-77',
      approval: { principal: 'token', userId: 'gus', roles: ['customer'], customerId: customerB, approver: true, userVersion: null },
      terms: { amountMinor: 180_000, currency: 'MXN' },
    });
    expect(await get('/api/audit/authorizations?to=2026-11-15', auditor()).expect(200).then((r) => r.body)).toEqual([]);
    const csv = await get(`/api/audit/authorizations?customerId=${customerB}&format=csv`, auditor()).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="authorizations.csv"');
    const [header, ...lines] = parseCsv(csv.text);
    expect(header.slice(0, 7)).toEqual(['at', 'decision', 'customerId', 'ticketId', 'quoteId', 'authorizationId', 'by']);
    expect(lines).toHaveLength(2);
    const col = (name: string) => header.indexOf(name);
    expect(lines.map((l) => [l[col('decision')], l[col('purchaseOrder')], l[col('amountMinor')], l[col('comment')], l[col('approvalPrincipal')], l[col('approvalRoles')], l[col('approvalApprover')]])).toEqual([
      ['accept', 'OC-77', '180000', '', 'token', 'customer', 'true'],
      ['decline', '', '45000', 'No, gracias', 'token', 'customer', 'true'],
    ]);
    expect(lines.map((l) => l[col('at')])).toEqual(b.body.map((r: { at: string }) => r.at));
  });

  it('is for finance and auditors (admins read balances); bad input is a 400 naming the parameter', async () => {
    for (const path of ['/api/finance/reconciliation', '/api/finance/billed-minutes/summary', '/api/finance/charges']) {
      await get(path, auditor()).expect(200);
      for (const who of [agent(), admin(), t.auth('sofia', ['supervisor']), t.auth('cli', ['customer'], customerA)]) expect((await get(path, who).expect(403)).body.code).toBe('forbidden');
    }
    await get('/api/finance/policy-balances', agent()).expect(403);
    await t.http.get('/api/finance/charges').expect(401);
    const cases: Array<[string, string]> = [
      ['/api/finance/reconciliation?from=2026-13-01', 'from'],
      ['/api/finance/reconciliation?from=2026-11-30&to=2026-11-01', 'from'],
      ['/api/finance/reconciliation?limit=0', 'limit'],
      ['/api/finance/billed-minutes/summary?to=yesterday', 'to'],
      ['/api/finance/charges?customerId=', 'customerId'],
      ['/api/finance/policy-balances?status=gone', 'status'],
      ['/api/finance/policy-balances?cursor=zzz', 'cursor'],
      ['/api/audit/authorizations?format=xlsx', 'format'],
      ['/api/audit/authorizations?from=2026-11-01T10:00', 'from'],
    ];
    // malformed values are 400; well-formed ones a rule refuses (a cursor this query did not
    // return, a range that ends before it starts) are 422, both naming the parameter
    const refused = new Set(['/api/finance/policy-balances?cursor=zzz', '/api/finance/reconciliation?from=2026-11-30&to=2026-11-01']);
    for (const [path, param] of cases) {
      const r = await get(path, auditor());
      expect({ path, status: r.status, params: (r.body.errors ?? []).map((e: { path: string }) => e.path) }).toEqual({ path, status: refused.has(path) ? 422 : 400, params: expect.arrayContaining([param]) });
    }
  });

  it('declares the finance operations in OpenAPI with statuses and schemas', async () => {
    const doc = (await t.http.get('/api/openapi.json').expect(200)).body;
    for (const path of ['/api/finance/reconciliation', '/api/finance/billed-minutes/summary', '/api/finance/charges', '/api/finance/policy-balances']) {
      const op = doc.paths[path].get;
      // 422: a cursor the query did not return (operations that page), from after to (operations with a period)
      const refusable = op.parameters.some((p: { name: string }) => p.name === 'cursor' || p.name === 'from');
      expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', ...(refusable ? ['422'] : []), '429', '503']);
      expect(op.responses['200'].content['application/json'].schema.required.length).toBeGreaterThanOrEqual(2);
    }
    const audit = doc.paths['/api/audit/authorizations'].get;
    expect(Object.keys(audit.responses['200'].content).sort()).toEqual(['application/json', 'text/csv']);
    expect(audit.parameters.filter((p: { name: string }) => p.name === 'X-Min-Position')).toHaveLength(1);
    const from = doc.paths['/api/finance/reconciliation'].get.parameters.find((p: { name: string }) => p.name === 'from');
    expect(from.schema).toMatchObject({ format: 'date', pattern: expect.any(String) });
  });
});
