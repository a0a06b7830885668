import {
  CustomerEvent,
  customerDecider,
  customerStreamId,
  evolveCustomer,
  initialCustomerState,
  isSuspendedAt,
} from '../../src/customers';
import { fold } from '../../src/shared';
import { ctx, deciderSpecification } from '../decider-specification';

const spec = deciderSpecification(customerDecider);
const NOW = '2025-03-10T15:00:00.000Z';
const admin = ctx(NOW, { id: 'root', roles: ['admin'] });
const supervisor = ctx(NOW, { id: 'sofia', roles: ['supervisor'] });

const registered: CustomerEvent = {
  type: 'CustomerRegistered',
  data: { customerId: 'acme', name: 'Acme SA', supportLevel: 2, calendarId: 'impera', registeredBy: 'root', registeredAt: '2025-01-01T00:00:00.000Z' },
};
const suspendedUntilDate = (until: string | null, endsAt: string | null): CustomerEvent => ({
  type: 'SupportSuspended',
  data: {
    customerId: 'acme',
    reason: 'abusive-language',
    detail: 'insultos en el ticket 42',
    until,
    endsAt,
    suspendedBy: 'sofia',
    suspendedAt: '2025-03-01T10:00:00.000Z',
  },
});

describe('customer aggregate', () => {
  it('names its stream customer-<id>', () => {
    expect(customerStreamId('acme')).toBe('customer-acme');
  });

  describe('RegisterCustomer', () => {
    it('registers a customer with who and when', () => {
      spec
        .given([])
        .when({ type: 'RegisterCustomer', customerId: 'acme', name: 'Acme SA', supportLevel: 2, calendarId: 'impera' }, admin)
        .then([
          {
            type: 'CustomerRegistered',
            data: { customerId: 'acme', name: 'Acme SA', supportLevel: 2, calendarId: 'impera', registeredBy: 'root', registeredAt: NOW },
          },
        ]);
    });

    it('defaults support level and calendar to null', () => {
      spec
        .given([])
        .when({ type: 'RegisterCustomer', customerId: 'acme', name: 'Acme SA' }, admin)
        .then((events) => expect(events[0].data).toMatchObject({ supportLevel: null, calendarId: null }));
    });

    it('is idempotent for the same body', () => {
      spec
        .given([registered])
        .when({ type: 'RegisterCustomer', customerId: 'acme', name: 'Acme SA', supportLevel: 2, calendarId: 'impera' }, admin)
        .then([]);
    });

    it('compares with the registration, not with a later level change', () => {
      const changed: CustomerEvent = {
        type: 'SupportLevelChanged',
        data: { customerId: 'acme', from: 2, to: 3, changedBy: 'root', changedAt: NOW },
      };
      spec
        .given([registered, changed])
        .when({ type: 'RegisterCustomer', customerId: 'acme', name: 'Acme SA', supportLevel: 2, calendarId: 'impera' }, admin)
        .then([]);
    });

    it('refuses another body under the same id with 409 id-reused', () => {
      spec
        .given([registered])
        .when({ type: 'RegisterCustomer', customerId: 'acme', name: 'Acme Otra', supportLevel: 2, calendarId: 'impera' }, admin)
        .thenThrows('id-reused');
    });

    it.each([0, 4, 1.5])('refuses support level %p', (supportLevel) => {
      spec
        .given([])
        .when({ type: 'RegisterCustomer', customerId: 'acme', name: 'Acme', supportLevel: supportLevel as 1 }, admin)
        .thenThrows('invalid-request', { errors: [{ path: 'supportLevel', message: expect.any(String) }] });
    });

    it('refuses an empty name', () => {
      spec.given([]).when({ type: 'RegisterCustomer', customerId: 'acme', name: '  ' }, admin).thenThrows('invalid-request');
    });
  });

  describe('SuspendSupport', () => {
    it('records a permanent suspension with who and when', () => {
      spec
        .given([registered])
        .when({ type: 'SuspendSupport', customerId: 'acme', reason: 'pressure', detail: 'llamadas cada 5 minutos' }, supervisor)
        .then([
          {
            type: 'SupportSuspended',
            data: {
              customerId: 'acme',
              reason: 'pressure',
              detail: 'llamadas cada 5 minutos',
              until: null,
              endsAt: null,
              suspendedBy: 'sofia',
              suspendedAt: NOW,
            },
          },
        ]);
    });

    it('a date-only until suspends through that date (ends next day 00:00 UTC)', () => {
      spec
        .given([registered])
        .when({ type: 'SuspendSupport', customerId: 'acme', reason: 'false-report', detail: 'reportes falsos', until: '2025-03-31' }, supervisor)
        .then((events) => expect(events[0].data).toMatchObject({ until: '2025-03-31', endsAt: '2025-04-01T00:00:00.000Z' }));
    });

    it('an instant until ends exactly then, normalised to UTC', () => {
      spec
        .given([registered])
        .when({ type: 'SuspendSupport', customerId: 'acme', reason: 'other', detail: 'x', until: '2025-03-20T12:00:00-06:00' }, supervisor)
        .then((events) => expect(events[0].data).toMatchObject({ endsAt: '2025-03-20T18:00:00.000Z' }));
    });

    it('refuses an until in the past or malformed', () => {
      spec
        .given([registered])
        .when({ type: 'SuspendSupport', customerId: 'acme', reason: 'other', detail: 'x', until: '2025-03-09' }, supervisor)
        .thenThrows('invalid-request', { errors: [{ path: 'until', message: 'must be in the future' }] });
      spec
        .given([registered])
        .when({ type: 'SuspendSupport', customerId: 'acme', reason: 'other', detail: 'x', until: 'mañana' }, supervisor)
        .thenThrows('invalid-request');
    });

    it('refuses an unknown reason', () => {
      spec
        .given([registered])
        .when({ type: 'SuspendSupport', customerId: 'acme', reason: 'rudeness' as 'other', detail: 'x' }, supervisor)
        .thenThrows('invalid-request');
    });

    it('is 404 for an unknown customer', () => {
      spec.given([]).when({ type: 'SuspendSupport', customerId: 'acme', reason: 'other', detail: 'x' }, supervisor).thenThrows('not-found');
    });

    it('repeating the suspension in force appends nothing; a different one replaces it', () => {
      const permanent = suspendedUntilDate(null, null);
      spec
        .given([registered, permanent])
        .when({ type: 'SuspendSupport', customerId: 'acme', reason: 'abusive-language', detail: 'insultos en el ticket 42' }, supervisor)
        .then([]);
      spec
        .given([registered, suspendedUntilDate('2025-03-15', '2025-03-16T00:00:00.000Z')])
        .when({ type: 'SuspendSupport', customerId: 'acme', reason: 'abusive-language', detail: 'insultos en el ticket 42' }, supervisor)
        .then((events) => expect(events).toHaveLength(1));
    });
  });

  describe('isSuspendedAt', () => {
    const state = (events: CustomerEvent[]) => fold(evolveCustomer, initialCustomerState(), events);

    it('is false without a suspension', () => {
      expect(isSuspendedAt(state([registered]), NOW)).toBe(false);
    });

    it('is true for a permanent suspension from its start', () => {
      const s = state([registered, suspendedUntilDate(null, null)]);
      expect(isSuspendedAt(s, '2025-03-01T09:59:59Z')).toBe(false);
      expect(isSuspendedAt(s, '2025-03-01T10:00:00Z')).toBe(true);
      expect(isSuspendedAt(s, '2035-01-01T00:00:00Z')).toBe(true);
    });

    it('ends at endsAt', () => {
      const s = state([registered, suspendedUntilDate('2025-03-15', '2025-03-16T00:00:00.000Z')]);
      expect(isSuspendedAt(s, '2025-03-15T23:59:59Z')).toBe(true);
      expect(isSuspendedAt(s, '2025-03-16T00:00:00Z')).toBe(false);
    });

    it('is false after the suspension is lifted', () => {
      const s = state([
        registered,
        suspendedUntilDate(null, null),
        { type: 'SupportReinstated', data: { customerId: 'acme', reason: 'error', reinstatedBy: 'root', reinstatedAt: '2025-03-05T00:00:00Z' } },
      ]);
      expect(isSuspendedAt(s, NOW)).toBe(false);
    });
  });

  describe('LiftSuspension', () => {
    it('reinstates a suspended customer', () => {
      spec
        .given([registered, suspendedUntilDate(null, null)])
        .when({ type: 'LiftSuspension', customerId: 'acme', reason: 'suspendido por error' }, admin)
        .then([
          { type: 'SupportReinstated', data: { customerId: 'acme', reason: 'suspendido por error', reinstatedBy: 'root', reinstatedAt: NOW } },
        ]);
    });

    it('appends nothing when no suspension is in force (never, or run out)', () => {
      spec.given([registered]).when({ type: 'LiftSuspension', customerId: 'acme' }, admin).then([]);
      spec
        .given([registered, suspendedUntilDate('2025-03-05', '2025-03-06T00:00:00.000Z')])
        .when({ type: 'LiftSuspension', customerId: 'acme' }, admin)
        .then([]);
    });

    it('is 404 for an unknown customer', () => {
      spec.given([]).when({ type: 'LiftSuspension', customerId: 'acme' }, admin).thenThrows('not-found');
    });
  });

  describe('ChangeSupportLevel', () => {
    it('records from and to', () => {
      spec
        .given([registered])
        .when({ type: 'ChangeSupportLevel', customerId: 'acme', supportLevel: 3 }, admin)
        .then([{ type: 'SupportLevelChanged', data: { customerId: 'acme', from: 2, to: 3, reason: null, changedBy: 'root', changedAt: NOW } }]);
    });

    it('records why, when a reason is given', () => {
      spec
        .given([registered])
        .when({ type: 'ChangeSupportLevel', customerId: 'acme', supportLevel: 1, reason: 'renovó el contrato premium' }, admin)
        .then([{ type: 'SupportLevelChanged', data: { customerId: 'acme', from: 2, to: 1, reason: 'renovó el contrato premium', changedBy: 'root', changedAt: NOW } }]);
    });

    it('refuses a reason that is not text', () => {
      spec.given([registered]).when({ type: 'ChangeSupportLevel', customerId: 'acme', supportLevel: 1, reason: 42 as unknown as string }, admin).thenThrows('invalid-request');
    });

    it('appends nothing for the level in force', () => {
      spec.given([registered]).when({ type: 'ChangeSupportLevel', customerId: 'acme', supportLevel: 2 }, admin).then([]);
    });

    it('refuses a level outside 1..3 and unknown customers', () => {
      spec.given([registered]).when({ type: 'ChangeSupportLevel', customerId: 'acme', supportLevel: 5 as 3 }, admin).thenThrows('invalid-request');
      spec.given([]).when({ type: 'ChangeSupportLevel', customerId: 'acme', supportLevel: 1 }, admin).thenThrows('not-found');
    });
  });
});
