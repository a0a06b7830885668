import { DateTime } from 'luxon';
import { loadPreset } from '../../src/presets';
import { fold } from '../../src/shared';
import { createTicketRules, OpenTicket, TicketEvent, TicketRules, TicketState, ticketDecider } from '../../src/tickets';
import { ctx } from '../decider-specification';

export const MX = 'America/Mexico_City';
export const CO = 'America/Bogota';

export const impera: TicketRules = createTicketRules(loadPreset('impera'));
export const intecnia: TicketRules = createTicketRules(loadPreset('intecnia'));
export const niveles: TicketRules = createTicketRules(loadPreset('soporte-niveles'));

/** local wall time in a zone -> UTC ISO as events record it */
export const at = (localIso: string, zone = MX) => DateTime.fromISO(localIso, { zone }).toUTC().toISO() as string;

export const agent = (now: string, id = 'ana') => ctx(now, { id, roles: ['agent'] });
export const supervisor = (now: string) => ctx(now, { id: 'sofia', roles: ['supervisor'] });
export const customer = (now: string, customerId = 'acme', id = 'carla') => ctx(now, { id, roles: ['customer'], customerId });
export const scheduler = (now: string) => ctx(now, { id: 'scheduler', roles: ['system'] });

export function openCommand(rules: TicketRules, overrides: Partial<OpenTicket> = {}): OpenTicket {
  return {
    type: 'OpenTicket',
    ticketId: 't-1',
    customerId: 'acme',
    department: 'support',
    subject: 'El sitio web no carga',
    description: 'Desde dos equipos distintos el sitio responde 503.',
    facts: { customer: { exists: true } },
    rules,
    ...overrides,
  };
}

/** the events of a ticket opened by an agent at `now` (local time in the rules' first calendar zone) */
export function opened(rules: TicketRules, now: string, overrides: Partial<OpenTicket> = {}): TicketEvent[] {
  return ticketDecider.decide(openCommand(rules, overrides), ticketDecider.initialState(), agent(now));
}

export const stateOf = (events: TicketEvent[]): TicketState => fold(ticketDecider.evolve, ticketDecider.initialState(), events);

/** runs commands in sequence, accumulating their events */
export function history(
  start: TicketEvent[],
  ...steps: Array<[Parameters<typeof ticketDecider.decide>[0], Parameters<typeof ticketDecider.decide>[2]]>
): TicketEvent[] {
  const events = [...start];
  for (const [command, context] of steps) events.push(...ticketDecider.decide(command, stateOf(events), context));
  return events;
}

export const msOf = (iso: string) => Date.parse(iso);
