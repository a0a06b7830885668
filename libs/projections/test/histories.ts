import { EventLog, admin, agent, at, impera } from './support';
import { prng } from '../../../test/support/prng';
export { prng };

const DEPARTMENTS = ['support', 'billing', 'sales'];
const ASSIGNEES = ['ana', 'beto', 'carla', 'dario'];
const PRIORITIES = ['low', 'medium', 'high'] as const;

/** ~240 tickets opened over two weeks: assigned, reclassified, answered, waiting on the customer, closed */
export function buildQueueHistory(seed: number): EventLog {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const log = new EventLog(impera);
  log.customer('acme', { type: 'RegisterCustomer', customerId: 'acme', name: 'Acme' }, admin(at('2026-03-01T09:00')));
  for (let i = 0; i < 240; i++) {
    const id = `t-${String(i).padStart(3, '0')}`;
    const day = 2 + Math.floor(random() * 12);
    const hour = 8 + Math.floor(random() * 10);
    const opened = at(`2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${random() < 0.5 ? '00' : '30'}`);
    const later = (minutes: number) => new Date(Date.parse(opened) + minutes * 60_000).toISOString();
    log.ticket(
      id,
      {
        type: 'OpenTicket',
        ticketId: id,
        customerId: 'acme',
        department: pick(DEPARTMENTS),
        subject: `Asunto ${i}`,
        description: 'Descripción',
        reportedPriority: pick(PRIORITIES),
        facts: { customer: { exists: true } },
      } as never,
      agent(opened),
    );
    if (random() < 0.8) log.ticket(id, { type: 'AssignTicket', assigneeId: pick(ASSIGNEES) } as never, agent(later(5)));
    if (random() < 0.3) log.ticket(id, { type: 'ClassifySeverity', priority: pick(PRIORITIES) } as never, agent(later(10)));
    const fate = random();
    if (fate < 0.15) log.ticket(id, { type: 'PostMessage', messageId: `${id}-m`, body: 'Respuesta', visibility: 'public' } as never, agent(later(30)));
    else if (fate < 0.3) log.ticket(id, { type: 'RequestCustomerInfo', question: '¿Versión?' } as never, agent(later(20)));
    else if (fate < 0.4) log.ticket(id, { type: 'CloseTicket', reason: 'out-of-scope', resolution: 'Fuera de alcance' } as never, agent(later(15)));
  }
  return log;
}

