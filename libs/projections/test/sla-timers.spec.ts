import { slaTimers, ticketsProjection, type SlaTimersQuery } from '@helpdesk/projections';
import { SqliteReadStore } from '@helpdesk/read-store';
import { EventLog, admin, agent, at, intecnia, project } from './support';

/**
 * Intecnia: severities, business hours Mon-Fri 09:00-14:00 and 16:00-19:00 (Mexico City),
 * severity 1 = 480 business minutes (warning 360), severity 4 = 1440 (warning 1080).
 */
function history(): EventLog {
  const log = new EventLog(intecnia);
  const mon9 = at('2026-03-02T09:00');
  log.customer('acme', { type: 'RegisterCustomer', customerId: 'acme', name: 'Acme' }, admin(mon9));
  const open = (id: string, severity: number) =>
    log.ticket(
      id,
      { type: 'OpenTicket', customerId: 'acme', department: 'support', subject: `Caso ${id}`, description: 'x', reportedPriority: severity, facts: { customer: { exists: true } } } as never,
      agent(mon9),
    );
  open('a', 1); // running: due Mon 19:00, warning Mon 17:00
  open('b', 4); // running: due Wed 19:00, warning Wed 11:00
  open('c', 1);
  log.ticket('c', { type: 'RequestCustomerInfo', question: '¿Versión?' } as never, agent(at('2026-03-02T11:00'))); // paused at 120
  open('d', 1);
  log.ticket('d', { type: 'PostMessage', messageId: 'd-1', body: 'Revisando', visibility: 'public' } as never, agent(at('2026-03-02T10:00'))); // met
  open('e', 1);
  log.ticket('e', { type: 'CloseTicket', reason: 'duplicate', resolution: 'dup', duplicateOf: 'a' } as never, agent(at('2026-03-02T09:30'))); // closed: no timer
  open('f', 1);
  log.ticket('f', { type: 'RequestCustomerInfo', question: '¿Logs?' } as never, agent(at('2026-03-03T10:00'))); // paused after its due: 540 > 480
  return log;
}

describe('SLA timers', () => {
  const log = history();
  let store: SqliteReadStore;
  const ids = async (query: SlaTimersQuery, now: string) => (await slaTimers(store, query, now, intecnia)).items.map((t) => t.ticketId);

  /** the read model as it stood at `now`: only the events that had happened by then */
  async function asOf(now: string) {
    store?.close();
    store = SqliteReadStore.open(':memory:');
    await project(store, [ticketsProjection], log.events.filter((e) => e.metadata.occurredAt <= now));
  }
  afterAll(() => store.close());

  it('Monday 12:00: two running, one paused, one completed and met', async () => {
    const now = at('2026-03-02T12:00');
    await asOf(now);
    const all = (await slaTimers(store, {}, now, intecnia)).items;
    // running by due instant (a and f share it), then answered, then awaiting the customer
    expect(all.map((t) => t.ticketId)).toEqual(['a', 'f', 'b', 'd', 'c']);
    const a = all.find((t) => t.ticketId === 'a')!;
    expect(a).toMatchObject({
      clock: 'running',
      goal: 480,
      warningMinutes: 360,
      elapsedBusinessMinutes: 180,
      remainingBusinessMinutes: 300,
      breached: false,
      atRisk: false,
      paused: false,
      withinCalendarHours: true,
      startedAt: at('2026-03-02T09:00'),
      dueAt: at('2026-03-02T19:00'),
      warningAt: at('2026-03-02T17:00'),
      respondedAt: null,
      met: null,
    });
    expect(all.find((t) => t.ticketId === 'c')).toMatchObject({ clock: 'paused', paused: true, elapsedBusinessMinutes: 120, remainingBusinessMinutes: 360 });
    expect(all.find((t) => t.ticketId === 'd')).toMatchObject({ clock: 'stopped', met: true, elapsedBusinessMinutes: 60, respondedAt: at('2026-03-02T10:00') });
    expect(await ids({ state: 'running' }, now)).toEqual(['a', 'f', 'b']);
    expect(await ids({ state: 'paused' }, now)).toEqual(['c']);
    expect(await ids({ state: 'at-risk' }, now)).toEqual([]);
    expect(await ids({ state: 'breached' }, now)).toEqual([]);
  });

  it('Monday 15:00 is the lunch break: the clock does not move', async () => {
    await asOf(at('2026-03-02T15:59'));
    const [a] = (await slaTimers(store, { state: 'running', limit: 1 }, at('2026-03-02T15:00'), intecnia)).items;
    expect(a).toMatchObject({ ticketId: 'a', elapsedBusinessMinutes: 300, withinCalendarHours: false, atRisk: false });
    const [later] = (await slaTimers(store, { state: 'running', limit: 1 }, at('2026-03-02T15:59'), intecnia)).items;
    expect(later.elapsedBusinessMinutes).toBe(300);
  });

  it('Monday 17:30: past the warning point, at risk', async () => {
    const now = at('2026-03-02T17:30');
    await asOf(now);
    expect(await ids({ state: 'at-risk' }, now)).toEqual(['a', 'f']);
    const [a] = (await slaTimers(store, { state: 'at-risk', limit: 1 }, now, intecnia)).items;
    expect(a).toMatchObject({ elapsedBusinessMinutes: 390, remainingBusinessMinutes: 90, atRisk: true, breached: false });
  });

  it('Tuesday 10:30: breached while running and while paused after the due instant', async () => {
    const now = at('2026-03-03T10:30');
    await asOf(now);
    expect(await ids({ state: 'breached' }, now)).toEqual(['a', 'f']);
    const timers = (await slaTimers(store, { state: 'breached' }, now, intecnia)).items;
    expect(timers[0]).toMatchObject({ ticketId: 'a', clock: 'running', elapsedBusinessMinutes: 570, remainingBusinessMinutes: 0, breached: true, atRisk: false });
    expect(timers[1]).toMatchObject({ ticketId: 'f', clock: 'paused', elapsedBusinessMinutes: 540, breached: true });
    expect(await ids({ state: 'paused' }, now)).toEqual(['c', 'f']);
    // the paused ticket below its target is neither at risk nor breached
    expect(await ids({ state: 'at-risk' }, now)).toEqual([]);
    expect(await ids({ state: 'running' }, now)).toEqual(['a', 'b']);
  });

  it('Wednesday 11:30: b is at risk too', async () => {
    await asOf(at('2026-03-04T11:30'));
    expect(await ids({ state: 'at-risk' }, at('2026-03-04T11:30'))).toEqual(['b']);
  });

  it('pages by cursor with no gap or duplicate, across the key ranges of a filter', async () => {
    const now = at('2026-03-03T10:30');
    await asOf(now);
    for (const state of [undefined, 'breached', 'paused', 'running'] as const) {
      const whole = await ids({ state }, now);
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await slaTimers(store, { state, limit: 1, cursor }, now, intecnia);
        paged.push(...page.items.map((t) => t.ticketId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(paged).toEqual(whole);
    }
  });

  it('rejects an unknown state', async () => {
    await expect(slaTimers(store, { state: 'late' as never }, at('2026-03-03T10:30'), intecnia)).rejects.toMatchObject({ path: 'state' });
  });
});
