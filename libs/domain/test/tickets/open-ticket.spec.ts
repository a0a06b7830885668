import { TicketEvent, TicketOpened, ticketDecider, topicKey } from '../../src/tickets';
import { deciderSpecification } from '../decider-specification';
import { agent, at, CO, customer, impera, intecnia, niveles, openCommand, opened, scheduler } from './fixtures';

const spec = deciderSpecification(ticketDecider);
const only = (events: TicketEvent[]) => {
  expect(events).toHaveLength(1);
  return events[0] as TicketOpened;
};

describe('OpenTicket', () => {
  const now = at('2026-03-02T10:00');

  it('opens a ticket with the response target of its priority, recording the decided facts', () => {
    spec
      .given([])
      .when(openCommand(impera, { reportedPriority: 'high', product: 'web-hosting', attachments: ['file-1'] }), customer(now))
      .then([
        {
          type: 'TicketOpened',
          data: {
            ticketId: 't-1',
            customerId: 'acme',
            reporterId: 'carla',
            department: 'support',
            subject: 'El sitio web no carga',
            topicKey: 'web hosting|el sitio web no carga',
            description: 'Desde dos equipos distintos el sitio responde 503.',
            stepsToReproduce: null,
            errorText: null,
            product: 'web-hosting',
            channel: 'portal',
            attachments: ['file-1'],
            scheme: 'priority',
            priority: 'high',
            severity: null,
            classificationSource: 'reported',
            supportLevel: null,
            escalationLevel: 1,
            receivedAt: now,
            openedAt: now,
            openedBy: 'carla',
            openedByRole: 'customer',
            sla: {
              cycle: 1,
              revision: 0,
              targetId: '1.0',
              reason: 'opened',
              classification: 'high',
              supportLevel: null,
              targetMinutes: 1440,
              warningMinutes: 1080,
              calendarId: 'mx-attention',
              mode: 'business-days',
              zone: 'America/Mexico_City',
              startedAt: now,
              setAt: now,
              elapsedBusinessMinutes: 0,
              dueAt: at('2026-03-03T10:00'),
              warningAt: at('2026-03-03T04:00'),
              presetName: 'impera',
              presetVersion: '2026.1',
            },
          },
        },
      ]);
  });

  it('without a reported priority uses the preset default (impera medium = 48 h)', () => {
    const e = only(opened(impera, now));
    expect(e.data).toMatchObject({ priority: 'medium', classificationSource: 'default', channel: 'email' });
    expect(e.data.sla).toMatchObject({ targetMinutes: 2880, dueAt: at('2026-03-04T10:00') });
  });

  it('intecnia: severity scheme, default severity 1 = 8 business hours on the split day', () => {
    const e = only(opened(intecnia, at('2026-03-02T12:00')));
    expect(e.data).toMatchObject({ scheme: 'severity', severity: 1, priority: null });
    expect(e.data.sla).toMatchObject({ targetMinutes: 480, mode: 'business-hours', dueAt: at('2026-03-03T12:00') });
  });

  it('soporte-niveles: the customer level picks the targets; level 3 runs on the 24/7 calendar', () => {
    const sat = at('2026-05-02T23:30', CO);
    const e = only(
      ticketDecider.decide(
        openCommand(niveles, { reportedPriority: 'low', facts: { customer: { exists: true, supportLevel: 3 } } }),
        ticketDecider.initialState(),
        agent(sat),
      ),
    );
    expect(e.data.supportLevel).toBe(3);
    expect(e.data.sla).toMatchObject({ calendarId: 'always-open', targetMinutes: 60, dueAt: at('2026-05-03T00:30', CO) });
    const level1 = only(
      ticketDecider.decide(openCommand(niveles, { reportedPriority: 'low' }), ticketDecider.initialState(), agent(sat)),
    );
    expect(level1.data.supportLevel).toBe(1);
    expect(level1.data.sla).toMatchObject({ calendarId: 'co-business', targetMinutes: 360, warningMinutes: 300, dueAt: at('2026-05-04T14:00', CO) });
  });

  it('an email imported by an agent counts from when it arrived; on a Saturday it starts Monday 00:00', () => {
    const e = only(
      ticketDecider.decide(
        openCommand(impera, { receivedAt: '2026-03-07T09:15:00-06:00', reportedPriority: 'high', channel: 'email' }),
        ticketDecider.initialState(),
        agent(at('2026-03-09T11:00')),
      ),
    );
    expect(e.data.receivedAt).toBe(at('2026-03-07T09:15'));
    expect(e.data.sla).toMatchObject({ startedAt: at('2026-03-07T09:15'), dueAt: at('2026-03-10T00:00') });
  });

  it('a customer suspension that has ended does not stop the ticket', () => {
    const e = only(
      ticketDecider.decide(
        openCommand(impera, { facts: { customer: { exists: true, suspendedUntil: at('2026-03-01T00:00') } } }),
        ticketDecider.initialState(),
        agent(now),
      ),
    );
    expect(e.type).toBe('TicketOpened');
  });

  it('a product past end of life is supported when a special contract covers it', () => {
    const e = only(
      ticketDecider.decide(
        openCommand(impera, { product: 'Softlik POS 2014', facts: { customer: { exists: true }, productCoveredBySpecialContract: true } }),
        ticketDecider.initialState(),
        agent(now),
      ),
    );
    expect(e.data.product).toBe('Softlik POS 2014');
  });

  describe('refusals', () => {
    it('409 id-reused when the ticket stream already exists', () => {
      spec.given(opened(impera, now)).when(openCommand(impera), agent(now)).thenThrows('id-reused', { ticketId: 't-1' });
    });

    it('404 not-found for an unknown customer', () => {
      spec.given([]).when(openCommand(impera, { facts: { customer: { exists: false } } }), agent(now)).thenThrows('not-found');
    });

    it('422 support-suspended while a suspension lasts, and for a permanent one', () => {
      const until = at('2026-04-01T00:00');
      spec
        .given([])
        .when(openCommand(impera, { facts: { customer: { exists: true, suspendedUntil: until } } }), customer(now))
        .thenThrows('support-suspended', { until });
      spec
        .given([])
        .when(openCommand(impera, { facts: { customer: { exists: true, suspendedPermanently: true } } }), customer(now))
        .thenThrows('support-suspended', { until: null });
    });

    it('422 end-of-life for a catalog product past its end of life (by id or name)', () => {
      spec.given([]).when(openCommand(impera, { product: 'softlik-pos-2014' }), customer(now)).thenThrows('end-of-life', { endOfLife: '2020-12-31' });
      spec.given([]).when(openCommand(intecnia, { product: 'IP PBX legacy' }), customer(now)).thenThrows('end-of-life', { product: 'ip-pbx-legacy' });
    });

    it('409 duplicate-ticket pointing at the open ticket on the same topic', () => {
      spec
        .given([])
        .when(openCommand(impera, { facts: { customer: { exists: true }, existingOpenTicketId: 't-0' } }), customer(now))
        .thenThrows('duplicate-ticket', { existingTicketId: 't-0' });
    });

    it('422 in-the-future for receivedAt in the future', () => {
      spec.given([]).when(openCommand(impera, { receivedAt: at('2026-03-02T10:01') }), agent(now)).thenThrows('in-the-future', { errors: [{ path: 'receivedAt', message: 'must not be in the future' }] });
    });

    it('403 forbidden when a customer sets receivedAt or opens for another customer; the scheduler cannot open', () => {
      spec.given([]).when(openCommand(impera, { receivedAt: at('2026-03-02T09:00') }), customer(now)).thenThrows('forbidden');
      spec.given([]).when(openCommand(impera, { customerId: 'globex' }), customer(now)).thenThrows('forbidden');
      spec.given([]).when(openCommand(impera), scheduler(now)).thenThrows('forbidden');
    });

    it('400 invalid-request for a classification of the other scheme, naming the field', () => {
      spec.given([]).when(openCommand(impera, { reportedPriority: 2 }), customer(now)).thenThrows('invalid-request', {
        errors: [{ path: 'reportedPriority', message: "must be 'low', 'medium' or 'high'" }],
      });
      spec.given([]).when(openCommand(intecnia, { reportedPriority: 'high' }), customer(now)).thenThrows('invalid-request');
    });

    it('400 invalid-request for an unknown department, an empty subject or an unknown channel', () => {
      spec.given([]).when(openCommand(impera, { department: 'marketing' }), customer(now)).thenThrows('invalid-request');
      spec.given([]).when(openCommand(impera, { subject: '  ' }), customer(now)).thenThrows('invalid-request', { errors: [{ path: 'subject' }] });
      spec.given([]).when(openCommand(impera, { channel: 'fax' as never }), customer(now)).thenThrows('invalid-request');
    });
  });
});

describe('topicKey', () => {
  it('ignores case, accents, punctuation and extra whitespace', () => {
    expect(topicKey('  Mi página   NO carga!!! ', 'Web Hosting')).toBe(topicKey('mi pagina no carga', 'web-hosting'));
    expect(topicKey('Error de DNS', null)).toBe('|error de dns');
  });

  it('distinguishes topics and products', () => {
    expect(topicKey('Error de DNS')).not.toBe(topicKey('Error de correo'));
    expect(topicKey('Error', 'vps')).not.toBe(topicKey('Error', 'shared-hosting'));
  });
});
