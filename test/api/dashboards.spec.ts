import { allProjections, rebuildProjections } from '@helpdesk/projections';
import { invited, setUpAdmin, signIn } from '../support/identity';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * The supervisor dashboard over HTTP (intecnia: severities 1-4, Mon-Fri 09:00-14:00 and
 * 16:00-19:00 in Mexico City, automatic escalation on breach). A small desk is worked through
 * the API with the clock moved by hand and the scheduler run; each chart's numbers are written
 * out by hand below, every count is compared with the tickets its drill-down lists, and a
 * rebuild of the read models gives the same answers.
 */
describe('Supervisor dashboard: response targets, escalations, breached and at risk now, workload', () => {
  let t: TestApp;
  let customerId: string;
  const admin = () => t.auth('root', ['admin']);
  const agent = (id = 'ana') => t.auth(id, ['agent']);
  const supervisor = () => t.auth('sofia', ['supervisor']);
  const auditor = () => t.auth('auditora', ['auditor']);
  const ids: Record<string, string> = {};
  let last = 0;

  const at = (iso: string) => t.clock.set(iso);
  const remember = <R extends { status: number; body: { position?: number; ticketId?: string } }>(r: R, status: number): R => {
    expect(r.status).toBe(status);
    last = Math.max(last, r.body.position ?? 0);
    return r;
  };
  async function open(name: string, severity: number, assignee: string | null) {
    const r = remember(
      await t.http.post('/api/tickets').set(agent()).send({ customerId, department: 'support', subject: `Caso ${name}`, description: 'No funciona', reportedPriority: severity }),
      201,
    );
    ids[name] = r.body.ticketId as string;
    if (assignee) remember(await t.http.post(`/api/tickets/${ids[name]}/assignment`).set(supervisor()).send({ assigneeId: assignee }), 200);
  }
  const reply = async (name: string, who = 'ana') => remember(await t.http.post(`/api/tickets/${ids[name]}/messages`).set(agent(who)).send({ body: 'Estamos en ello', visibility: 'public' }), 201);
  const get = (path: string, who = supervisor()) => t.http.get(path).set(who).set('X-Min-Position', String(last));

  beforeAll(async () => {
    // October first; then Monday 2026-11-23 09:00 in Mexico City (the 16th is a holiday)
    t = await startTestApp({ preset: 'intecnia', now: '2026-10-14T15:00:00.000Z' });
    await setUpAdmin(t, 'rocio@mesa.example.mx');
    customerId = (await t.http.post('/api/customers').set(admin()).send({ name: 'Hoteles del Bajío' }).expect(201)).body.customerId;
    // October: one target met
    await open('I', 3, 'beto');
    at('2026-10-14T16:00:00.000Z');
    await reply('I', 'beto');
    remember(await t.http.post(`/api/tickets/${ids.I}/close`).set(agent('beto')).send({ reason: 'resolved', resolution: 'Listo' }), 200);

    at('2026-11-23T15:00:00.000Z');
    await open('A', 2, 'ana');
    await open('B', 3, 'ana');
    await open('C', 1, 'beto');
    await open('D', 4, 'beto');
    await open('F', 4, 'beto');
    at('2026-11-23T15:30:00.000Z');
    await reply('A'); // met
    remember(await t.http.post(`/api/tickets/${ids.F}/awaiting-customer`).set(agent('beto')).send({ question: '¿Qué versión usa?' }), 200);
    at('2026-11-23T16:00:00.000Z');
    await reply('D', 'beto'); // met
    remember(await t.http.post(`/api/tickets/${ids.A}/escalations`).set(agent()).send({ reason: 'el cliente insiste' }), 200); // manual, level 2
    at('2026-11-23T17:00:00.000Z');
    remember(await t.http.post(`/api/tickets/${ids.D}/close`).set(agent('beto')).send({ reason: 'resolved', resolution: 'Listo' }), 200);
    at('2026-11-23T18:00:00.000Z');
    remember(await t.http.post(`/api/tickets/${ids.D}/reopen`).set(agent('beto')).send({ reason: 'volvió a fallar' }), 200);
    at('2026-11-23T18:30:00.000Z');
    await reply('D', 'beto'); // cycle 2, met

    // Tuesday 15:00 local: C (severity 1, due Monday 19:00) and B (severity 3, due Tuesday 13:00) are past due
    at('2026-11-24T21:00:00.000Z');
    await t.caughtUp(last); // the scheduler finds its candidates in the views
    const pass = await t.runScheduler();
    expect(pass).toMatchObject({ breaches: 2, errors: [] });
    last = Number(await t.events.headPosition());
    at('2026-11-24T22:00:00.000Z');
    await reply('C', 'beto'); // late: already counted as missed by the breach

    // Wednesday: H (severity 1) at 09:00 is due at 19:00; E (severity 2) at 10:00 is due Thursday 12:00
    at('2026-11-25T15:00:00.000Z');
    await open('H', 1, 'ana');
    at('2026-11-25T16:00:00.000Z');
    await open('E', 2, null);
    // the dashboard is read on Wednesday at 17:00 local: the 4 business hours ahead end Thursday 11:00
    at('2026-11-25T23:00:00.000Z');
    await t.caughtUp(last);
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  async function allPages(path: string, who = supervisor()) {
    const items: Array<Record<string, any>> = [];
    let cursor: string | null = null;
    let total: number | null = null;
    do {
      const r: { body: { items: Array<Record<string, any>>; total: number; nextCursor: string | null } } = await get(`${path}${path.includes('?') ? '&' : '?'}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, who).expect(200);
      items.push(...r.body.items);
      total ??= r.body.total;
      expect(r.body.total).toBe(total);
      cursor = r.body.nextCursor;
    } while (cursor);
    return { items, total: total! };
  }

  it('response targets met and missed per month and severity, each cell equal to the tickets of its drill-down', async () => {
    const r = await get('/api/dashboards/response-targets').expect(200);
    expect(r.body.months.map((m: { month: string }) => m.month)).toEqual(['2026-10', '2026-11']);
    const nov = r.body.months[1];
    expect(nov).toMatchObject({ month: '2026-11', met: 3, missed: 2, total: 5, metPercent: 60, missedPercent: 40 });
    expect(nov.byClassification).toEqual([
      { classification: '1', met: 0, missed: 1, total: 1, metPercent: 0, missedPercent: 100 },
      { classification: '2', met: 1, missed: 0, total: 1, metPercent: 100, missedPercent: 0 },
      { classification: '3', met: 0, missed: 1, total: 1, metPercent: 0, missedPercent: 100 },
      { classification: '4', met: 2, missed: 0, total: 2, metPercent: 100, missedPercent: 0 },
    ]);
    expect(r.body.totals).toMatchObject({ met: 4, missed: 2, total: 6 });

    for (const m of r.body.months) {
      for (const c of m.byClassification) {
        for (const outcome of ['met', 'missed']) {
          const listed = await allPages(`/api/dashboards/response-targets/tickets?month=${m.month}&classification=${c.classification}&outcome=${outcome}`);
          expect(listed.total).toBe(c[outcome]);
          expect(listed.items).toHaveLength(c[outcome]);
          for (const item of listed.items) expect(item).toMatchObject({ month: m.month, classification: c.classification, outcome });
        }
      }
    }
    const missed = await allPages('/api/dashboards/response-targets/tickets?month=2026-11&outcome=missed');
    expect(missed.items.map((i) => i.ticketId).sort()).toEqual([ids.B, ids.C].sort());
    expect(missed.items.find((i) => i.ticketId === ids.C)).toMatchObject({ decidedBy: 'breach', subject: 'Caso C', customerId, respondedAt: null, cycle: 1 });
    const met4 = await allPages('/api/dashboards/response-targets/tickets?month=2026-11&classification=4&outcome=met');
    expect(met4.items.map((i) => `${i.ticketId}#${i.cycle}`).sort()).toEqual([`${ids.D}#1`, `${ids.D}#2`].sort());
    // one classification only, a range of months
    const sev4 = await get('/api/dashboards/response-targets?from=2026-11&to=2026-12&classification=4').expect(200);
    expect(sev4.body).toMatchObject({ from: '2026-11', to: '2026-12', totals: { met: 2, missed: 0, total: 2 } });
  });

  it('escalations by level per month (manual and automatic on breach), equal to their drill-down', async () => {
    const r = await get('/api/dashboards/escalations?from=2026-11&to=2026-11').expect(200);
    expect(r.body.months).toEqual([{ month: '2026-11', total: 3, levels: [{ level: 2, levelName: 'quality lead', count: 3, automatic: 2 }] }]);
    const listed = await allPages('/api/dashboards/escalations/tickets?month=2026-11&level=2');
    expect(listed.total).toBe(3);
    expect(listed.items.map((i) => i.ticketId).sort()).toEqual([ids.A, ids.B, ids.C].sort());
    expect(listed.items.find((i) => i.ticketId === ids.A)).toMatchObject({ automatic: false, requestedBy: 'ana', requestedByRole: 'staff', fromLevel: 1 });
    expect(listed.items.find((i) => i.ticketId === ids.B)).toMatchObject({ automatic: true, requestedByRole: 'system' });
  });

  it('breached now and at risk in the next 4 business hours, and the workload per agent, each count equal to its drill-down', async () => {
    const sla = await get('/api/dashboards/sla-now').expect(200);
    expect(sla.body).toMatchObject({ now: '2026-11-25T23:00:00.000Z', withinBusinessMinutes: 240, counts: { open: 7, breached: 1, atRisk: 1, onTrack: 1, paused: 1, responded: 3 } });
    expect(sla.body.breached.map((x: { ticketId: string }) => x.ticketId)).toEqual([ids.B]);
    expect(sla.body.breached[0]).toMatchObject({ state: 'breached', assigneeId: 'ana', classification: '3', responseDueAt: '2026-11-24T19:00:00.000Z', sla: { state: 'breached', pausedReason: null } });
    // B was due Tuesday 13:00 local: Tue 13-14 and 16-19, Wed 9-14 and 16-17 = 10 business hours overdue
    expect(sla.body.breached[0].businessMinutesOverdue).toBe(600);
    expect(sla.body.atRisk).toEqual([expect.objectContaining({ ticketId: ids.H, state: 'at-risk', responseDueAt: '2026-11-26T01:00:00.000Z', businessMinutesLeft: 120 })]);

    const w = await get('/api/dashboards/workload').expect(200);
    expect(w.body.agents).toEqual([
      { agentId: 'ana', agentName: null, open: 3, breached: 1, atRisk: 1, onTrack: 0, paused: 0, responded: 1 },
      { agentId: 'beto', agentName: null, open: 3, breached: 0, atRisk: 0, onTrack: 0, paused: 1, responded: 2 },
    ]);
    expect(w.body.unassigned).toEqual({ agentId: null, agentName: null, open: 1, breached: 0, atRisk: 0, onTrack: 1, paused: 0, responded: 0 });
    expect(w.body.totals).toEqual(sla.body.counts);
    // the rows and the totals agree
    for (const key of ['open', 'breached', 'atRisk', 'onTrack', 'paused', 'responded']) {
      expect([...w.body.agents, w.body.unassigned].reduce((sum: number, r: Record<string, number>) => sum + r[key], 0)).toBe(w.body.totals[key]);
    }

    const field = { breached: 'breached', 'at-risk': 'atRisk', 'on-track': 'onTrack', paused: 'paused', responded: 'responded' } as const;
    const seen = new Set<string>();
    for (const row of [...w.body.agents, w.body.unassigned]) {
      for (const [state, key] of Object.entries(field)) {
        const scope = row.agentId === null ? 'unassigned=true' : `assigneeId=${row.agentId}`;
        const listed = await allPages(`/api/dashboards/sla-now/tickets?state=${state}&${scope}`);
        expect({ agent: row.agentId, state, total: listed.total, listed: listed.items.length }).toEqual({ agent: row.agentId, state, total: row[key], listed: row[key] });
        for (const item of listed.items) {
          expect(item).toMatchObject({ state, assigneeId: row.agentId });
          seen.add(item.ticketId);
        }
      }
    }
    expect(seen).toEqual(new Set([ids.A, ids.B, ids.C, ids.D, ids.E, ids.F, ids.H]));
    // a wider window takes E (due Thursday 12:00 local) in as well
    const wider = await get('/api/dashboards/sla-now?withinBusinessMinutes=300').expect(200);
    expect(wider.body.counts).toMatchObject({ atRisk: 2, onTrack: 0 });
  });

  it('gives the same numbers after the read models are rebuilt from the log', async () => {
    const paths = [
      '/api/dashboards/response-targets',
      '/api/dashboards/response-targets/tickets?month=2026-11&limit=50',
      '/api/dashboards/escalations',
      '/api/dashboards/escalations/tickets?from=2026-01&to=2026-12&limit=50',
      '/api/dashboards/sla-now',
      '/api/dashboards/sla-now/tickets?state=responded&limit=50',
      '/api/dashboards/workload',
    ];
    const before = await Promise.all(paths.map(async (p) => (await get(p).expect(200)).body));
    await rebuildProjections(t.events, t.views, allProjections(), { pageSize: 5 });
    const after = await Promise.all(paths.map(async (p) => (await get(p).expect(200)).body));
    expect(after).toEqual(before);
  });

  it("names the agents who are known users", async () => {
    const admin = await signIn(t, 'rocio@mesa.example.mx');
    const elena = await invited(t, admin, { email: 'elena@mesa.example.mx', name: 'Elena Vidal', kind: 'staff', roles: ['agent'] });
    remember(await t.http.post(`/api/tickets/${ids.E}/assignment`).set(supervisor()).send({ assigneeId: elena.userId }), 200);
    const w = await get('/api/dashboards/workload').expect(200);
    expect(w.body.agents).toContainEqual({ agentId: elena.userId, agentName: 'Elena Vidal', open: 1, breached: 0, atRisk: 0, onTrack: 1, paused: 0, responded: 0 });
    expect(w.body.unassigned.open).toBe(0);
  });

  it('is for supervisors, admins and auditors; refuses bad input with 400 naming the parameter', async () => {
    await get('/api/dashboards/workload', admin()).expect(200);
    await get('/api/dashboards/response-targets', auditor()).expect(200);
    for (const who of [agent(), t.auth('fina', ['finance']), t.auth('maria', ['customer'], customerId)]) {
      const r = await get('/api/dashboards/response-targets', who).expect(403);
      expect(r.body.code).toBe('forbidden');
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await t.http.get('/api/dashboards/sla-now').expect(401)).body.code).toBe('unauthenticated');
    const cases: Array<[string, string]> = [
      ['/api/dashboards/response-targets?from=2026-13', 'from'],
      ['/api/dashboards/response-targets?classification=urgent', 'classification'],
      ['/api/dashboards/response-targets?from=2026-12&to=2026-01', 'from'],
      ['/api/dashboards/response-targets/tickets?month=2026-11&from=2026-10', 'month'],
      ['/api/dashboards/response-targets/tickets?outcome=late', 'outcome'],
      ['/api/dashboards/response-targets/tickets?cursor=abc', 'cursor'],
      ['/api/dashboards/escalations/tickets?level=x', 'level'],
      ['/api/dashboards/sla-now?withinBusinessMinutes=0', 'withinBusinessMinutes'],
      ['/api/dashboards/sla-now/tickets', 'state'],
      ['/api/dashboards/sla-now/tickets?state=breached&assigneeId=ana&unassigned=true', 'unassigned'],
      ['/api/dashboards/workload?withinBusinessMinutes=99999', 'withinBusinessMinutes'],
      ['/api/dashboards/workload?other=1', 'other'],
    ];
    // malformed values are 400 invalid-request; well-formed ones a rule refuses (a cursor this
    // query did not return, parameters that exclude each other, from after to) are 422 naming the parameter
    const refused = new Set(['/api/dashboards/response-targets?from=2026-12&to=2026-01', '/api/dashboards/response-targets/tickets?cursor=abc', '/api/dashboards/response-targets/tickets?month=2026-11&from=2026-10', '/api/dashboards/sla-now/tickets?state=breached&assigneeId=ana&unassigned=true']);
    for (const [path, param] of cases) {
      const r = await get(path);
      const params = (r.body.errors ?? []).map((e: { path: string }) => e.path);
      expect({ path, status: r.status, params }).toEqual({ path, status: refused.has(path) ? 422 : 400, params: expect.arrayContaining([param]) });
      if (r.status === 400) expect(r.body.code).toBe('invalid-request');
    }
  });

  it('declares every dashboard operation in OpenAPI with its parameters, statuses and schemas', async () => {
    const doc = (await t.http.get('/api/openapi.json').expect(200)).body;
    for (const path of [
      '/api/dashboards/response-targets',
      '/api/dashboards/response-targets/tickets',
      '/api/dashboards/escalations',
      '/api/dashboards/escalations/tickets',
      '/api/dashboards/sla-now',
      '/api/dashboards/sla-now/tickets',
      '/api/dashboards/workload',
    ]) {
      const op = doc.paths[path].get;
      // 422: a cursor the query did not return, parameters that exclude each other, from after to (every operation with a range or a cursor)
      const refusable = op.parameters.some((p: { name: string }) => p.name === 'cursor' || p.name === 'from');
      expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', ...(refusable ? ['422'] : []), '429', '503']);
      expect(op.responses['200'].content['application/json'].schema.type).toBe('object');
      expect(op.responses['403'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemDocument');
      expect(op.parameters.map((p: { name: string }) => p.name)).toContain('X-Min-Position');
    }
    const month = doc.paths['/api/dashboards/response-targets/tickets'].get.parameters.find((p: { name: string }) => p.name === 'month');
    // [0-9], not \d: Python's re (the fuzzer's) reads \d as any Unicode digit, JavaScript as 0-9
    expect(month.schema.pattern).toBe('^[0-9]{4}-(0[1-9]|1[0-2])$');
    const state = doc.paths['/api/dashboards/sla-now/tickets'].get.parameters.find((p: { name: string }) => p.name === 'state');
    expect(state).toMatchObject({ required: true, schema: { enum: ['breached', 'at-risk', 'on-track', 'paused', 'responded'] } });
  });
});
