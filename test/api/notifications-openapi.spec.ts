import { MANDATORY_EMAIL_KINDS, NOTIFICATION_KINDS } from '@helpdesk/domain/notifications';
import { WEBHOOK_EVENT_TYPES, isValidWebhookSecret } from '@helpdesk/notifications';
import { randomBytes } from 'crypto';
import { WEBHOOK_SECRET_PATTERN_SOURCE, WEBHOOK_URL_PATTERN } from '../../apps/api/src/notifications/dtos';
import { startTestApp, type TestApp } from '../support/test-app';

/** Every notification and webhook operation is in the OpenAPI document with exactly the statuses it can answer. */
describe('OpenAPI: notifications, preferences, deliveries, escalation contacts, webhooks', () => {
  let t: TestApp;
  let doc: {
    paths: Record<string, Record<string, { responses: Record<string, { description?: string; content?: Record<string, { schema: { $ref?: string } }> }>; parameters?: Array<{ name: string; in: string; schema: Record<string, unknown> }>; requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>>;
    components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[]; additionalProperties?: unknown }> };
  };
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/api/openapi.json').expect(200)).body;
  });
  afterAll(async () => {
    await t.close();
  });

  // 413/415 with a JSON body, 422 for a cursor a list did not return, 429 from the rate limiter (test/api/contract.spec.ts checks those rules for every operation)
  const expected: Array<[method: string, path: string, statuses: string[]]> = [
    ['get', '/api/notifications', ['200', '400', '401', '403', '422', '429']],
    ['post', '/api/notifications/{notificationId}/read', ['200', '401', '403', '404', '429']],
    ['get', '/api/me/notification-preferences', ['200', '401', '403', '429']],
    ['patch', '/api/me/notification-preferences', ['200', '400', '401', '403', '413', '415', '429']],
    ['get', '/api/notification-deliveries', ['200', '400', '401', '403', '422', '429']],
    ['post', '/api/notification-deliveries/{deliveryId}/retry', ['200', '401', '403', '404', '409', '429']],
    ['get', '/api/notification-settings/escalation-contacts', ['200', '401', '403', '429']],
    ['put', '/api/notification-settings/escalation-contacts', ['200', '400', '401', '403', '413', '415', '422', '429']],
    ['post', '/api/webhooks', ['201', '400', '401', '403', '413', '415', '422', '429', '503']],
    ['get', '/api/webhooks', ['200', '401', '403', '429']],
    ['get', '/api/webhooks/{webhookId}', ['200', '401', '403', '404', '429']],
    ['patch', '/api/webhooks/{webhookId}', ['200', '400', '401', '403', '404', '409', '413', '415', '429']],
    ['delete', '/api/webhooks/{webhookId}', ['204', '401', '403', '404', '429']],
    ['get', '/api/webhooks/{webhookId}/deliveries', ['200', '400', '401', '403', '404', '422', '429']],
    ['post', '/api/webhooks/{webhookId}/deliveries/{deliveryId}/replay', ['202', '401', '403', '404', '409', '429']],
  ];


  it.each(expected)('%s %s answers exactly %j, errors as problem+json', (method, path, statuses) => {
    const op = doc.paths[path]?.[method];
    expect(op).toBeDefined();
    expect(Object.keys(op.responses).sort()).toEqual(statuses);
    for (const status of statuses.filter((s) => Number(s) >= 400)) {
      expect(op.responses[status].content!['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemDocument');
    }
    // lists: 422 is the cursor one; commands name their own 422 codes
    if ((op.parameters ?? []).some((p) => p.name === 'cursor')) expect(op.responses['422'].description).toContain('invalid-cursor');
  });

  it('describes the fields with the enums and formats the server enforces', () => {
    const s = doc.components.schemas;
    expect(s.NotificationDto.properties.kind.enum).toEqual([...NOTIFICATION_KINDS]);
    expect(s.NotificationDto.properties.notificationId.format).toBe('uuid');
    expect(s.NotificationDto.properties.createdAt.format).toBe('date-time');
    expect(s.NotificationEmailDto.properties.state.enum).toEqual(['pending', 'sent', 'failed', 'suppressed']);
    expect(s.UpdateNotificationPreferencesDto.properties.language).toMatchObject({ enum: ['es-MX', 'es-CO', 'en', null], nullable: true });
    expect(doc.paths['/api/me/notification-preferences'].patch.requestBody).toMatchObject({ required: false });
    // the preference view has a schema of its own (a class named like identity's body once replaced it)
    const ok = (op: { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }) => op.responses['200'].content!['application/json'].schema.$ref;
    expect(ok(doc.paths['/api/me/notification-preferences'].get)).toBe('#/components/schemas/NotificationPreferencesDto');
    expect(doc.paths['/api/me/preferences'].patch.requestBody!.content['application/json'].schema.$ref).not.toBe('#/components/schemas/NotificationPreferencesDto');
    expect(Object.keys(s[doc.paths['/api/me/preferences'].patch.requestBody!.content['application/json'].schema.$ref.split('/').pop()!].properties)).toEqual(['language']);
    for (const kind of MANDATORY_EMAIL_KINDS) expect(s.EmailPreferencesDto.properties[kind]).toMatchObject({ type: 'boolean', enum: [true] });
    expect(s.EmailPreferencesDto.properties['ticket-assigned']).toEqual({ type: 'boolean' });
    expect(s.CreateWebhookDto.properties.eventTypes).toMatchObject({ type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] } });
    expect(s.CreateWebhookDto.properties.url).toMatchObject({ pattern: WEBHOOK_URL_PATTERN, maxLength: 2000 });
    expect(s.CreateWebhookDto.properties.secret.pattern).toBe(WEBHOOK_SECRET_PATTERN_SOURCE);
    // the pattern is exactly the library's check of a secret
    const pattern = new RegExp(WEBHOOK_SECRET_PATTERN_SOURCE);
    for (let bytes = 20; bytes <= 68; bytes++) {
      const secret = `whsec_${randomBytes(bytes).toString('base64')}`;
      expect([bytes, pattern.test(secret)]).toEqual([bytes, isValidWebhookSecret(secret)]);
    }
    for (const secret of [`whsec_${'A'.repeat(31)}`, `whsec_${'A'.repeat(42)}B=`, `whsec_${'A'.repeat(42)}E=`, `whsec_${'A'.repeat(43)}=`, `whsec_${'A'.repeat(86)}Q==`])
      expect([secret, pattern.test(secret)]).toEqual([secret, isValidWebhookSecret(secret)]);
    expect(s.CreateWebhookDto.required).toEqual(['url', 'eventTypes']);
    expect(s.WebhookCreatedDto.properties.secret).toBeDefined();
    expect(s.WebhookDto.properties.secret).toBeUndefined();
    expect(s.EscalationLevelContactsDto.properties.level).toMatchObject({ type: 'integer', minimum: 2, maximum: 20 });
    expect(s.EscalationLevelContactsDto.additionalProperties).toBe(false);
    expect(s.EmailPreferencesDto.additionalProperties).toBe(false);
    const list = doc.paths['/api/notifications'].get.parameters!;
    expect(list.find((p) => p.name === 'limit')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200 });
    expect(list.find((p) => p.name === 'unread')!.schema).toMatchObject({ type: 'boolean' });
    expect(list.find((p) => p.name === 'cursor')!.schema).toMatchObject({ type: 'string', pattern: '^[A-Za-z0-9_-]{1,2000}$' });
    expect(doc.paths['/api/notification-deliveries'].get.parameters!.find((p) => p.name === 'state')!.schema).toMatchObject({ enum: ['pending', 'sent', 'failed'] });
  });
});
