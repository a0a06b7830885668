import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

/** POST /api/tickets/{id}/follow-ups (seed 002 rule 6: 40 minutes since opening or the last follow-up). */
describe('follow-ups', () => {
  let t: TestApp;
  let customerId: string;
  let ticketId: string;
  const contact = () => t.auth('carla', ['customer'], customerId);
  const ask = (body: Record<string, unknown> = {}, auth = contact()) => t.http.post(`/api/tickets/${ticketId}/follow-ups`).set(auth).send(body);

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-18T16:00:00.000Z' });
    customerId = (await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Cliente' }).expect(201)).body.customerId;
    ticketId = (
      await t.http.post('/api/tickets').set(contact()).send({ department: 'support', subject: `Correo ${randomUUID()}`, description: 'No llegan correos' }).expect(201)
    ).body.ticketId;
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses before 40 minutes with 422 follow-up-too-early naming availableAt, and appends nothing', async () => {
    t.clock.set('2026-11-18T16:39:00.000Z');
    const before = (await t.events.readStream(`ticket-${ticketId}`)).length;
    const r = await ask({ note: '¿Novedades?' }).expect(422);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.body).toMatchObject({ code: 'follow-up-too-early', status: 422, availableAt: '2026-11-18T16:40:00.000Z', minimumIntervalMinutes: 40 });
    expect((await t.events.readStream(`ticket-${ticketId}`)).length).toBe(before);
  });

  it('records it from 40 minutes on; the next waits 40 minutes from it; the detail and the conversation show it', async () => {
    t.clock.set('2026-11-18T16:40:00.000Z');
    const r = await ask({ note: '¿Novedades?' }).expect(201);
    expect(r.body).toMatchObject({ ticketId, version: 1 });
    expect(r.headers.location).toBe(`/api/tickets/${ticketId}/conversation`);
    const stream = await t.events.readStream(`ticket-${ticketId}`);
    expect(stream[stream.length - 1]).toMatchObject({ type: 'FollowUpRequested', data: expect.objectContaining({ sequence: 1, note: '¿Novedades?', requestedBy: 'carla' }) });
    t.clock.set('2026-11-18T17:10:00.000Z');
    expect((await ask().expect(422)).body.availableAt).toBe('2026-11-18T17:20:00.000Z');
    const d = (await t.http.get(`/api/tickets/${ticketId}`).set(contact()).set('X-Min-Position', String(r.body.position)).expect(200)).body;
    expect(d.followUp).toEqual({ count: 1, lastRequestedAt: '2026-11-18T16:40:00.000Z', availableAt: '2026-11-18T17:20:00.000Z' });
    const c = (await t.http.get(`/api/tickets/${ticketId}/conversation`).set(contact()).expect(200)).body;
    expect(c.items[c.items.length - 1]).toMatchObject({ kind: 'follow-up', authorKind: 'customer', authorId: 'carla', body: '¿Novedades?', postedAt: '2026-11-18T16:40:00.000Z' });
  });

  it('staff get 403, another customer 404, a bad note 400, a closed ticket 409', async () => {
    t.clock.set('2026-11-18T19:00:00.000Z');
    expect((await ask({}, t.auth('ana', ['agent'])).expect(403)).body.code).toBe('forbidden');
    expect((await ask({}, t.auth('olga', ['customer'], randomUUID())).expect(404)).body.code).toBe('not-found');
    const bad = await ask({ note: 'x'.repeat(2001), extra: 1 }).expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['extra', 'note']);
    await t.http.post(`/api/tickets/${ticketId}/close`).set(t.auth('ana', ['agent'])).send({ reason: 'resolved', resolution: 'Listo' }).expect(200);
    expect((await ask().expect(409)).body.code).toBe('ticket-closed');
  });

  it('the OpenAPI document declares every answer, the 422 with availableAt', async () => {
    const doc = (await t.http.get('/api/openapi.json').expect(200)).body;
    const op = doc.paths['/api/tickets/{id}/follow-ups'].post;
    expect(Object.keys(op.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '422', '503']);
    expect(op.responses['422'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/FollowUpTooEarlyProblem');
    expect(doc.components.schemas.FollowUpTooEarlyProblem.properties.availableAt.format).toBe('date-time');
  });
});
