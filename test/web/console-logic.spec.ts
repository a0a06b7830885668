/**
 * The console's own logic, without a browser: business durations and instants in the
 * company's zone as the screens write them, the graded SLA read from a queue item, and the
 * work-log form's refusal from the server's limits (the rule docs/notes/api13.md states).
 */
import { esMX, type MessageKey } from '../../apps/web/src/shared/i18n/catalogs/es-MX';
import { en } from '../../apps/web/src/shared/i18n/catalogs/en';
import { formatBusinessLeft, formatInstant, formatMinutes, formatMoney, minorPerMajor, zoneLabel } from '../../apps/web/src/shared/time/format';
import { messageText } from '../../apps/web/src/shared/i18n/message';
import { gradeQueueItem, gradeTicket } from '../../apps/web/src/shared/sla/grade';
import { workLogRefusalFromLimits } from '../../apps/web/src/work-log/refusal';
import type { QueueItem, WorkLogLimits } from '../../apps/web/src/shared/api/views';
import { mergeQueueRows, queueOrder, type QueueData } from '../../apps/web/src/queue/queue-rows';

const translator = (catalog: Record<string, string>) => (key: MessageKey, vars: Record<string, string | number> = {}) =>
  catalog[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name]));

describe('durations and instants', () => {
  const t = translator(esMX);

  it('writes business time left as "3 h 20 min hábiles", and overdue time', () => {
    expect(formatBusinessLeft(200, t)).toBe('3 h 20 min hábiles');
    expect(formatBusinessLeft(45, t)).toBe('45 min hábiles');
    expect(formatBusinessLeft(4320, t)).toBe('72 h hábiles');
    expect(formatBusinessLeft(-65, t)).toBe('vencido hace 1 h 5 min hábiles');
    expect(formatMinutes(0, t)).toBe('0 min');
    expect(formatBusinessLeft(200, translator(en))).toBe('3 h 20 min business time left');
  });

  it("shows an instant in the company's zone, not the browser's", () => {
    // 2026-03-09T18:00Z is 12:00 in Mexico City (no DST since 2022) and 13:00 in Bogotá
    expect(formatInstant('2026-03-09T18:00:00.000Z', 'America/Mexico_City', 'es-MX')).toMatch(/12:00/);
    expect(formatInstant('2026-03-09T18:00:00.000Z', 'America/Bogota', 'es-CO')).toMatch(/13:00/);
    expect(formatInstant(null, 'America/Mexico_City', 'es-MX')).toBe('—');
  });

  it("names the company's zone as people say it, with its offset, never the IANA id alone", () => {
    expect(zoneLabel('America/Mexico_City', 'es-MX', '2026-03-09T18:00:00.000Z')).toBe('hora estándar central (UTC-06:00)');
    expect(zoneLabel('America/Bogota', 'es-CO', '2026-03-09T18:00:00.000Z')).toBe('hora estándar de Colombia (UTC-05:00)');
    expect(zoneLabel('America/Bogota', 'en', '2026-03-09T18:00:00.000Z')).toBe('Colombia Standard Time (UTC-05:00)');
  });

  it('says one in the singular: "1 ticket", "1 diferencia", never "1 tickets"', () => {
    const es = esMX as unknown as Record<string, string>;
    expect(messageText(es, es, 'queue.count', { n: 1 })).toBe('1 ticket');
    expect(messageText(es, es, 'queue.count', { n: 3 })).toBe('3 tickets');
    expect(messageText(es, es, 'finance.reconciliation.differencesTitle', { n: 1 })).toBe('1 diferencia');
    expect(messageText(es, es, 'finance.balances.daysLeft', { n: 1 })).toBe('vence en 1 día');
    expect(messageText(en as unknown as Record<string, string>, es, 'replay.timeline.title', { n: 1 })).toBe('Timeline (1 event)');
    // every singular stands beside its message, in every language
    for (const catalog of [es, en as unknown as Record<string, string>]) {
      for (const key of Object.keys(catalog).filter((k) => k.endsWith('.one'))) expect(catalog).toHaveProperty([key.slice(0, -'.one'.length)]);
    }
  });

  it('writes money from minor units with its currency', () => {
    expect(formatMoney(125_050, 'MXN', 'es-MX')).toMatch(/1,250\.50 MXN$/);
    expect(formatMoney(null, 'MXN', 'es-MX')).toBe('—');
    // the Colombian preset's currency in its locale (dot for thousands), with the same decimals
    // the quote form reads amounts with (minorPerMajor) and in every language
    // ISO 4217: COP has two decimals (centavos), whatever Intl's display default says
    const cop = minorPerMajor('COP');
    expect(cop).toBe(100);
    expect(formatMoney(18_000_000, 'COP', 'es-CO')).toMatch(/^\$\s?180\.000,00 COP$/);
    expect(formatMoney(123_450 * cop, 'COP', 'es-CO')).toMatch(/^\$\s?123\.450(,0+)? COP$/);
    expect(formatMoney(123_450 * cop, 'COP', 'en')).toMatch(/^COP\s?123,450(\.0+)? COP$|^\$123,450(\.0+)? COP$/);
    expect(formatMoney(1_250_050, 'MXN', 'es-CO')).toMatch(/12\.500,50 MXN$/);
  });
});

describe('graded SLA', () => {
  const item = (over: Partial<QueueItem>): QueueItem =>
    ({ ticketId: 't', status: 'open', responseDueAt: '2026-03-10T18:00:00.000Z', warningAt: '2026-03-10T12:00:00.000Z', respondedAt: null, paused: false, breached: false, ...over }) as QueueItem;
  const now = Date.parse('2026-03-10T13:00:00.000Z');

  it("takes the server's graded state when the item has it", () => {
    const sla = { state: 'paused' as const, pausedReason: 'outside-business-hours' as const, responseDueAt: null, warningAt: null, businessMinutesLeft: 90, businessMinutesElapsed: 30, respondedAt: null };
    expect(gradeQueueItem(item({ sla }), now)).toBe(sla);
  });

  it('derives it from the recorded instants otherwise: warning window, breach, pause, response', () => {
    expect(gradeQueueItem(item({}), Date.parse('2026-03-10T11:00:00.000Z')).state).toBe('on-track');
    expect(gradeQueueItem(item({}), now).state).toBe('at-risk');
    expect(gradeQueueItem(item({ breached: true }), now).state).toBe('breached');
    expect(gradeQueueItem(item({ paused: true }), now)).toMatchObject({ state: 'paused', pausedReason: 'awaiting-customer' });
    expect(gradeQueueItem(item({ respondedAt: '2026-03-10T10:00:00.000Z' }), now).state).toBe('met');
  });

  it('reads a ticket without a target as none', () => {
    expect(gradeTicket({ sla: null, status: 'closed', respondedAt: null }).state).toBe('none');
  });
});

describe('the work-log form refuses with the reason the API gives', () => {
  const policy = { policyId: 'p', status: 'active' as const, minutesRemaining: 100, facilityMinutesLeft: 30, onSiteMinutesLeft: 0, validFrom: '2026-01-01', validUntil: '2026-12-31' };
  const limits = (over: Partial<WorkLogLimits['authorizations'][number]> = {}, top: string | null = null): WorkLogLimits => ({
    refusal: top,
    authorizations: [{ authorizationId: 'a', quoteId: 'a', kind: 'policy-estimate', minutesAuthorized: 120, minutesLogged: 60, minutesLeft: 60, policy, maxMinutes: 60, refusal: null, ...over }],
  });

  it('accepts what fits the authorization and the policy', () => {
    expect(workLogRefusalFromLimits(limits(), 60, 'remote', null)).toBeNull();
  });

  it('exceeds-authorization beyond what the authorization has left', () => {
    expect(workLogRefusalFromLimits(limits(), 61, 'remote', null)).toMatchObject({ code: 'exceeds-authorization', minutesAuthorized: 120, minutesLogged: 60 });
    expect(workLogRefusalFromLimits(limits({ minutesLeft: 0, minutesLogged: 120, maxMinutes: 0, refusal: 'exceeds-authorization' }), 15, 'remote', 'a')).toMatchObject({ code: 'exceeds-authorization' });
  });

  it("insufficient-balance when the policy has less than the authorization allows, and for the facility allowance", () => {
    expect(workLogRefusalFromLimits(limits({ minutesLeft: 60, maxMinutes: 40 }), 50, 'remote', null)).toMatchObject({ code: 'insufficient-balance', minutesRemaining: 100 });
    expect(workLogRefusalFromLimits(limits(), 45, 'facility', null)).toMatchObject({ code: 'insufficient-balance', minutesRemaining: 30 });
  });

  it("the authorization's own refusal (an expired policy, a closed ticket)", () => {
    expect(workLogRefusalFromLimits(limits({ maxMinutes: 0, refusal: 'policy-expired' }), 10, 'remote', null)).toMatchObject({ code: 'policy-expired' });
  });

  it('authorization-required without an accepted authorization', () => {
    expect(workLogRefusalFromLimits({ refusal: 'authorization-required', authorizations: [] }, 10, 'remote', null)).toMatchObject({ code: 'authorization-required' });
  });
});

describe('the live queue: changed tickets merged into the pages held', () => {
  const row = (ticketId: string, queueKey: string, extra: Partial<QueueItem> = {}) => ({ ticketId, queueKey, ...extra }) as QueueItem;
  const held = (pages: Array<{ keys: Array<[string, string]>; next: string | null }>): QueueData => ({
    pages: pages.map((p) => ({ items: p.keys.map(([id, key]) => row(id, key)), nextCursor: p.next })),
    pageParams: pages.map((_, i) => (i === 0 ? null : `c${i}`)),
  });
  // the rows in order (which page holds a row does not matter: the screen flattens them)
  const ids = (d: QueueData) => d.pages.flatMap((p) => p.items.map((i) => i.ticketId)).join(' ');
  // two pages held (a, b | c, d); more to come after d
  const twoPages = () =>
    held([
      { keys: [['a', '0|10'], ['b', '0|20']], next: 'c1' },
      { keys: [['c', '0|30'], ['d', '0|40']], next: 'c2' },
    ]);

  it('moves a changed ticket to where its order falls, keeping the pages and the next cursor', () => {
    const merged = mergeQueueRows(twoPages(), ['d'], [row('d', '0|15', { assigneeId: 'ana' })]);
    expect(ids(merged)).toEqual('a d b c');
    expect(merged.pages[0].items[1].assigneeId).toBe('ana');
    expect(merged.pages[1].nextCursor).toBe('c2');
    expect(merged.pageParams).toEqual([null, 'c1']);
  });

  it('updates in place, drops a ticket that left the queue, ties by ticket id', () => {
    expect(ids(mergeQueueRows(twoPages(), ['b'], [row('b', '0|20', { status: 'awaiting-customer' })]))).toEqual('a b c d');
    expect(ids(mergeQueueRows(twoPages(), ['b', 'c'], []))).toEqual('a d');
    expect(ids(mergeQueueRows(twoPages(), ['bb'], [row('bb', '0|20')]))).toEqual('a b bb c d');
    expect(ids(mergeQueueRows(twoPages(), ['0'], [row('0', '0|1')]))).toEqual('0 a b c d');
  });

  it('leaves a ticket beyond the rows held to the next page, unless the queue is all here', () => {
    expect(ids(mergeQueueRows(twoPages(), ['e'], [row('e', '0|50')]))).toEqual('a b c d');
    const all = held([{ keys: [['a', '0|10'], ['b', '0|20']], next: null }]);
    expect(ids(mergeQueueRows(all, ['e'], [row('e', '0|50')]))).toEqual('a b e');
  });

  it('the next page continues after the last row as fetched: a later patch still places rows up to it', () => {
    // d (the last row held, where the next page starts) moves beyond: it leaves, the next page brings it back
    const first = mergeQueueRows(twoPages(), ['d'], [row('d', '0|45')]);
    expect(ids(first)).toEqual('a b c');
    // a ticket now between c and where the next page starts (0|40) belongs to the rows held
    expect(ids(mergeQueueRows(first, ['x'], [row('x', '0|35')]))).toEqual('a b c x');
    expect(ids(mergeQueueRows(first, ['y'], [row('y', '0|41')]))).toEqual('a b c');
  });

  it('orders a shorter key first, as the server compares (queueKey, ticketId)', () => {
    expect(queueOrder(row('z', '0|1')) < queueOrder(row('a', '0|10'))).toBe(true);
    expect(queueOrder(row('a', '1|x')) < queueOrder(row('b', '1|x'))).toBe(true);
  });
});
