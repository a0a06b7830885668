import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * Classification is always recorded (domain.md, "Priority, severity and response targets"):
 * on intecnia an unclassified ticket opens at severity 1; an agent who confirms severity 1
 * appends a TicketClassified naming who confirmed it (confirmed: true) without moving the
 * response target, and the ticket detail, the queue, the lists and the history tell a ticket
 * classified by staff from one that carries the default. Wednesday 2026-11-18 10:00 local.
 */
describe('Classification trail: classified by staff vs the default applied', () => {
  let t: TestApp;
  let customerId: string;
  const agent = () => t.auth('ana', ['agent']);
  const auditor = () => t.auth('auditora', ['auditor']);
  const customer = () => t.auth('maria', ['customer'], customerId);
  let head = 0;
  const confirmedId = randomUUID();
  const defaultId = randomUUID();

  const get = async (path: string, as = agent()) => (await t.http.get(path).set(as).set('X-Min-Position', String(head)).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp({ preset: 'intecnia', now: '2026-11-18T16:00:00.000Z' });
    customerId = (await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Grupo Industrial Tepeyac' }).expect(201)).body.customerId;
    for (const [ticketId, subject] of [
      [confirmedId, 'Sin red en la planta de Tlalnepantla'],
      [defaultId, 'El conmutador reinicia solo'],
    ]) {
      const r = await t.http.post('/api/tickets').set(customer()).send({ ticketId, department: 'support', subject, description: 'Desde las 9:00 no hay servicio.' }).expect(201);
      head = Math.max(head, r.body.position);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('an agent confirming the default severity 1 appends an event naming who confirmed it; the target does not move', async () => {
    const before = await get(`/api/tickets/${confirmedId}`);
    expect(before).toMatchObject({ severity: 1, classificationSource: 'default', classifiedBy: null, version: 0 });

    t.clock.set('2026-11-18T16:02:00.000Z');
    const headBefore = await t.events.headPosition();
    const r = await t.http.post(`/api/tickets/${confirmedId}/classification`).set(agent()).send({ severity: 1, reason: 'Toda la planta sin servicio' }).expect(200);
    expect(r.body).toMatchObject({ ticketId: confirmedId, version: 1 });
    expect(BigInt(r.body.position)).toBe(headBefore + 1n);
    head = r.body.position;

    const after = await get(`/api/tickets/${confirmedId}`);
    expect(after).toMatchObject({
      severity: 1,
      classificationSource: 'staff',
      classifiedBy: { actorId: 'ana', at: '2026-11-18T16:02:00.000Z' },
      version: 1,
    });
    expect(after.sla).toMatchObject({ targetId: '1.0', targetMinutes: 480, responseDueAt: before.sla.responseDueAt, warningAt: before.sla.warningAt });
  });

  it('the untouched ticket still says the default applied, in the detail, the queue and the lists', async () => {
    expect(await get(`/api/tickets/${defaultId}`)).toMatchObject({ severity: 1, classificationSource: 'default', classifiedBy: null });
    const queue = await get('/api/queue');
    const sources = Object.fromEntries(queue.items.map((i: { ticketId: string; classificationSource: string; classifiedBy: unknown }) => [i.ticketId, [i.classificationSource, i.classifiedBy]]));
    expect(sources[confirmedId]).toEqual(['staff', { actorId: 'ana', at: '2026-11-18T16:02:00.000Z' }]);
    expect(sources[defaultId]).toEqual(['default', null]);
    const list = await get('/api/tickets', customer());
    expect(list.items.find((i: { ticketId: string }) => i.ticketId === defaultId)).toMatchObject({ classificationSource: 'default', classifiedBy: null });
  });

  it('the history shows the confirmation with its actor, and the state before it carried the default', async () => {
    const h = await get(`/api/tickets/${confirmedId}/history`, auditor());
    const classified = h.events.find((e: { type: string }) => e.type === 'TicketClassified');
    expect(classified).toMatchObject({
      actor: 'ana',
      occurredAt: '2026-11-18T16:02:00.000Z',
      data: { severity: 1, previousSeverity: 1, confirmed: true, previousSource: 'default', classifiedBy: 'ana', reason: 'Toda la planta sin servicio', sla: null },
    });
    const then = await get(`/api/tickets/${confirmedId}/history?asOfVersion=0`, auditor());
    expect(then.state).toMatchObject({ severity: 1, classificationSource: 'default', classifiedBy: null });
    const now = await get(`/api/tickets/${confirmedId}/history?asOfVersion=1`, auditor());
    expect(now.state).toMatchObject({ classificationSource: 'staff', classifiedBy: { actorId: 'ana' } });
  });

  it('the OpenAPI document describes both fields of the queue items', async () => {
    const doc = (await t.http.get('/api/openapi.json').expect(200)).body;
    const item = doc.components.schemas.QueueItemDto;
    expect(item.properties.classificationSource).toMatchObject({ enum: ['staff', 'default', 'reported', 'escalation'], nullable: true });
    expect(JSON.stringify(item.properties.classifiedBy)).toContain('ClassifiedByDto');
    expect(doc.components.schemas.ClassifiedByDto.properties).toMatchObject({ actorId: { type: 'string' }, at: { type: 'string', format: 'date-time' } });
  });

  it('a customer cannot classify, and a refused classification appends nothing', async () => {
    const before = await t.events.headPosition();
    await t.http.post(`/api/tickets/${defaultId}/classification`).set(customer()).send({ severity: 1 }).expect(403);
    const bad = await t.http.post(`/api/tickets/${defaultId}/classification`).set(agent()).send({ priority: 'high' }).expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('priority');
    expect(await t.events.headPosition()).toBe(before);
  });
});
