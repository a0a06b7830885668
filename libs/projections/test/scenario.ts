/**
 * A realistic history for the view tests (impera preset: priorities, business days in
 * Mexico City): two customers, a policy, four tickets with quotes, an authorization, a
 * decline, a policy deduction, a per-event charge, a response, a pause and a close.
 */
import { fold, policyDecider, type MinutesDeductedData } from '@helpdesk/domain';
import { EventLog, admin, agent, at, customer, impera } from './support';

export const CSV_NASTY = 'Reinstalación de "Softlik", base de datos\r\nsegunda línea';

export function buildScenario(): EventLog {
  const log = new EventLog(impera);
  const t0 = at('2026-03-02T09:30');
  log.customer('acme', { type: 'RegisterCustomer', customerId: 'acme', name: 'Acme, S.A. de C.V.' }, admin(t0));
  log.customer('globex', { type: 'RegisterCustomer', customerId: 'globex', name: 'Globex' }, admin(t0));
  log.policy(
    'p-1',
    { type: 'RegisterPolicy', policyId: 'p-1', customerId: 'acme', plan: 'basic', startsOn: '2026-01-05', timeZone: 'America/Mexico_City' },
    admin(t0),
  );

  const open = (ticketId: string, customerId: string, now: string, extra: Record<string, unknown> = {}) =>
    log.ticket(
      ticketId,
      {
        type: 'OpenTicket',
        ticketId,
        customerId,
        department: 'support',
        subject: `Asunto ${ticketId}`,
        description: 'El sitio responde 503 desde dos equipos.',
        facts: { customer: { exists: true } },
        ...extra,
      } as never,
      agent(now),
    );

  // t-1: acme, policy estimate accepted, 60 minutes deducted from p-1
  open('t-1', 'acme', at('2026-03-02T10:00'));
  log.ticket('t-1', { type: 'AssignTicket', ticketId: 't-1', assigneeId: 'ana' } as never, agent(at('2026-03-02T10:05')));
  log.ticket('t-1', { type: 'ClassifySeverity', ticketId: 't-1', priority: 'high', reason: 'sitio caído' } as never, agent(at('2026-03-02T10:10')));
  log.ticket(
    't-1',
    { type: 'IssueQuote', ticketId: 't-1', quoteId: 'q-1', kind: 'policy-estimate', minutes: 120, description: 'Diagnóstico', facts: { activePolicyId: 'p-1' } },
    agent(at('2026-03-02T11:00')),
  );
  log.ticket('t-1', { type: 'AuthorizeService', ticketId: 't-1', quoteId: 'q-1', decision: 'accept', comment: 'Adelante' }, customer(at('2026-03-02T12:00')));
  const [deducted] = log.policy(
    'p-1',
    {
      type: 'DeductMinutes',
      policyId: 'p-1',
      entryId: 'e-1',
      ticketId: 't-1',
      authorizationId: 'q-1',
      authorizedMinutes: 120,
      minutes: 60,
      workedOn: '2026-03-02',
      engineerId: 'ana',
      description: 'Revisión del servidor',
      kind: 'remote',
      customerId: 'acme',
    },
    agent(at('2026-03-02T15:00')),
  );
  log.ticket('t-1', { type: 'RecordDeductedWork', ticketId: 't-1', deduction: deducted.data as MinutesDeductedData } as never, agent(at('2026-03-02T15:00')));

  // t-2: globex, per-event quote accepted with a purchase order, 30 minutes charged
  open('t-2', 'globex', at('2026-03-02T10:30'));
  log.ticket(
    't-2',
    {
      type: 'IssueQuote',
      ticketId: 't-2',
      quoteId: 'q-2',
      kind: 'per-event',
      minutes: 60,
      hourlyRateMinor: 80_000,
      currency: 'MXN',
      paymentTerms: '30 días',
      purchaseOrderRequired: true,
      description: 'Un evento',
      facts: {},
    },
    agent(at('2026-03-02T11:30')),
  );
  log.ticket(
    't-2',
    { type: 'AuthorizeService', ticketId: 't-2', quoteId: 'q-2', decision: 'accept', purchaseOrder: 'OC-7' },
    customer(at('2026-03-03T09:00'), 'globex', 'gus'),
  );
  log.ticket(
    't-2',
    { type: 'LogWork', ticketId: 't-2', entryId: 'e-2', minutes: 30, workedOn: '2026-03-03', description: CSV_NASTY, kind: 'remote', engineerId: 'beto' },
    agent(at('2026-03-03T13:00'), 'beto'),
  );

  // t-3: acme, quote declined; the agent asks for information (clock paused)
  open('t-3', 'acme', at('2026-03-02T11:00'), { reportedPriority: 'low' });
  log.ticket(
    't-3',
    { type: 'IssueQuote', ticketId: 't-3', quoteId: 'q-3', kind: 'per-event', minutes: 60, hourlyRateMinor: 50_000, currency: 'USD', description: 'Migración', facts: {} },
    agent(at('2026-03-02T12:00')),
  );
  log.ticket('t-3', { type: 'AuthorizeService', ticketId: 't-3', quoteId: 'q-3', decision: 'decline', comment: 'Muy caro' }, customer(at('2026-03-04T10:00')));
  log.ticket('t-3', { type: 'RequestCustomerInfo', ticketId: 't-3', question: '¿Qué versión usa?' } as never, agent(at('2026-03-04T11:00')));

  // t-4: acme, answered then closed
  open('t-4', 'acme', at('2026-03-02T12:00'));
  log.ticket(
    't-4',
    { type: 'PostMessage', ticketId: 't-4', messageId: 'm-1', body: 'Ya quedó', visibility: 'public' } as never,
    agent(at('2026-03-02T13:00')),
  );
  log.ticket('t-4', { type: 'CloseTicket', ticketId: 't-4', reason: 'resolved', resolution: 'Se reinició el servicio' } as never, agent(at('2026-03-02T14:00')));
  return log;
}

export const policyStateFromLog = (log: EventLog, policyId: string) =>
  fold(policyDecider.evolve, policyDecider.initialState(), log.stream(`policy-${policyId}`) as never[]);
