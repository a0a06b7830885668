import { TestApp, startTestApp } from '../support/test-app';

/** GET /api/settings on each preset: what the console reads at start. */
describe('GET /api/settings', () => {
  let apps: TestApp[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });
  const start = async (preset: string, env: Record<string, string> = {}) => {
    const t = await startTestApp({ preset, now: '2026-12-30T12:00:00.000Z', env });
    apps.push(t);
    return t;
  };

  it('impera: company, es-MX/MXN, Mexico City, priority scheme, holidays of this year and the next from the calendar rules', async () => {
    const t = await start('impera');
    const r = await t.http.get('/api/settings').set(t.auth('carla', ['customer'], 'c-1')).expect(200);
    const s = r.body;
    expect(s.company.name).toBe('Impera Consultoría en T.I.');
    expect(s.preset).toEqual({ name: 'impera', version: '2026.1', title: expect.any(String) });
    expect([s.locale, s.currency, s.timeZone, s.defaultCalendarId]).toEqual(['es-MX', 'MXN', 'America/Mexico_City', 'mx-attention']);
    expect(s.classification).toEqual({ scheme: 'priority', values: ['low', 'medium', 'high'], default: 'medium' });
    const cal = s.calendars[0];
    expect(cal).toMatchObject({ id: 'mx-attention', zone: 'America/Mexico_City', mode: 'business-days' });
    expect(cal.week.mon).toEqual([{ start: '09:00', end: '18:00' }]);
    expect(cal.week.sat).toEqual([]);
    const dates = cal.holidays.map((h: { date: string }) => h.date);
    // 2026: third Monday of November; 2027: first Monday of February; no 1 October (only 2024, 2030)
    expect(dates).toEqual(expect.arrayContaining(['2026-01-01', '2026-11-16', '2026-12-25', '2027-02-01', '2027-03-15', '2027-11-15']));
    expect(dates.every((d: string) => d.startsWith('2026-') || d.startsWith('2027-'))).toBe(true);
    expect(dates).not.toContain('2026-10-01');
    expect(s.supportLevels).toEqual([
      {
        level: 1,
        name: 'standard',
        calendarId: 'mx-attention',
        responseTargets: { low: { minutes: 4320, warningMinutes: 3240 }, medium: { minutes: 2880, warningMinutes: 2160 }, high: { minutes: 1440, warningMinutes: 1080 } },
      },
    ]);
    expect(s.departments[0]).toEqual({ id: 'support', name: 'Soporte técnico' });
    expect(s.products).toContainEqual({ id: 'softlik-pos-2014', name: 'Softlik POS 2014', endOfLife: '2020-12-31' });
    expect(s.plans).toEqual([
      { id: 'basic', minutes: 300, facilityMinutes: 0, onSiteMinutes: 0 },
      { id: 'business', minutes: 1200, facilityMinutes: 0, onSiteMinutes: 0 },
      { id: 'business-plus', minutes: 3000, facilityMinutes: 180, onSiteMinutes: 180 },
      { id: 'corporate', minutes: 4200, facilityMinutes: 300, onSiteMinutes: 300 },
    ]);
    expect(s.escalationLevels).toEqual([
      { level: 1, name: 'assigned engineer' },
      { level: 2, name: 'support supervisor' },
    ]);
    expect(s.followUpMinutes).toBe(40);
    expect(s.attachments).toEqual({ maxBytes: 20 * 1024 * 1024 });
  });

  it('intecnia: severity values as numbers, the split day, three escalation levels; the attachment limit follows ATTACHMENTS_MAX_BYTES', async () => {
    const t = await start('intecnia', { ATTACHMENTS_MAX_BYTES: '1048576' });
    const s = (await t.http.get('/api/settings').set(t.auth('ana', ['agent'])).expect(200)).body;
    expect(s.classification).toEqual({ scheme: 'severity', values: [1, 2, 3, 4], default: 1 });
    expect(s.calendars[0].week.mon).toEqual([
      { start: '09:00', end: '14:00' },
      { start: '16:00', end: '19:00' },
    ]);
    expect(s.escalationLevels.map((l: { name: string }) => l.name)).toEqual(['assigned engineer', 'quality lead', 'operations manager']);
    expect(s.supportLevels[0].responseTargets['1']).toEqual({ minutes: 480, warningMinutes: 360 });
    expect(s.attachments.maxBytes).toBe(1048576);
  });

  it('soporte-niveles: es-CO/COP, Bogotá, three support levels, Colombian holidays moved to Monday (Ley 51 de 1983), the 24/7 calendar', async () => {
    const t = await start('soporte-niveles');
    const s = (await t.http.get('/api/settings').set(t.auth('ana', ['agent'])).expect(200)).body;
    expect([s.locale, s.currency, s.timeZone, s.defaultCalendarId]).toEqual(['es-CO', 'COP', 'America/Bogota', 'co-business']);
    expect(s.supportLevels.map((l: { level: number; calendarId: string }) => [l.level, l.calendarId])).toEqual([
      [1, 'co-business'],
      [2, 'co-business'],
      [3, 'always-open'],
    ]);
    const co = s.calendars.find((c: { id: string }) => c.id === 'co-business');
    const names = Object.fromEntries(co.holidays.map((h: { date: string; name: string }) => [h.date, h.name]));
    expect(names['2027-01-11']).toBe('Día de los Reyes Magos'); // 6 Jan 2027 is a Wednesday: moved to Monday 11
    expect(names['2027-03-25']).toBe('Jueves Santo');
    expect(s.calendars.find((c: { id: string }) => c.id === 'always-open').holidays).toEqual([]);
  });

  it('needs a token; the OpenAPI document describes the answer and the 401', async () => {
    const t = apps[0];
    const r = await t.http.get('/api/settings').expect(401);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    const doc = (await t.http.get('/api/openapi.json').expect(200)).body;
    const op = doc.paths['/api/settings'].get;
    expect(Object.keys(op.responses).sort()).toEqual(['200', '401', '429']);
    expect(op.responses['401'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemDocument');
    const schema = doc.components.schemas.SettingsDto;
    expect(schema.properties.locale.enum).toEqual(['es-MX', 'es-CO']);
    expect(schema.required).toEqual(expect.arrayContaining(['company', 'calendars', 'followUpMinutes', 'attachments']));
  });
});
