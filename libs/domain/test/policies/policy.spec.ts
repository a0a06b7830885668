import {
  DeductMinutes,
  derivePolicyNumber,
  evolvePolicy,
  initialPolicyState,
  minutesRemaining,
  PolicyEvent,
  policyDecider,
  PolicyRegisteredData,
  policyStatusAt,
  policyStreamId,
  RegisterPolicy,
} from '../../src/policies';
import { DomainError, fold } from '../../src/shared';
import { ctx, deciderSpecification } from '../decider-specification';

const spec = deciderSpecification(policyDecider);
const finance = (now: string) => ctx(now, { id: 'fer', roles: ['finance'] });
const agent = (now: string) => ctx(now, { id: 'ana', roles: ['agent'] });
const NOW = '2025-06-10T17:00:00.000Z';

const registration = (overrides: Partial<PolicyRegisteredData> = {}): PolicyEvent => ({
  type: 'PolicyRegistered',
  data: {
    policyId: 'p1',
    customerId: 'acme',
    policyNumber: 'POL-2025-P1',
    plan: 'basic',
    minutes: 300,
    facilityMinutes: 0,
    onSiteMinutes: 0,
    products: ['ERP'],
    validFrom: '2025-03-10',
    validUntil: '2026-03-09',
    timeZone: 'America/Mexico_City',
    registeredBy: 'fer',
    registeredAt: '2025-03-01T00:00:00.000Z',
    ...overrides,
  },
});

const deduct = (overrides: Partial<DeductMinutes> = {}): DeductMinutes => ({
  type: 'DeductMinutes',
  policyId: 'p1',
  entryId: 'e1',
  ticketId: 't1',
  authorizationId: 'q1',
  authorizedMinutes: 120,
  minutes: 15,
  workedOn: '2025-06-10',
  engineerId: 'ana',
  description: 'revisión de firewall',
  kind: 'remote',
  ...overrides,
});

/** decide + fold, as the application would: returns the new history or the refusal code */
function attempt(history: PolicyEvent[], command: DeductMinutes, now = NOW): { history: PolicyEvent[]; code: string | null; produced: PolicyEvent[] } {
  const state = fold(evolvePolicy, initialPolicyState(), history);
  try {
    const produced = policyDecider.decide(command, state, agent(now));
    return { history: [...history, ...produced], code: null, produced };
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { history, code: e.code, produced: [] };
  }
}

describe('policy aggregate', () => {
  it('names its stream policy-<id>', () => {
    expect(policyStreamId('p1')).toBe('policy-p1');
  });

  describe('RegisterPolicy', () => {
    const register = (overrides: Partial<RegisterPolicy> = {}): RegisterPolicy => ({
      type: 'RegisterPolicy',
      policyId: '8f3a2c1e-0000-4000-8000-000000000001',
      customerId: 'acme',
      plan: 'business-plus',
      startsOn: '2025-03-10',
      ...overrides,
    });

    it('registers with the plan defaults, a certificate number and one year of validity', () => {
      spec
        .given([])
        .when(register({ products: ['firewall', 'switching'], timeZone: 'America/Mexico_City' }), finance(NOW))
        .then([
          {
            type: 'PolicyRegistered',
            data: {
              policyId: '8f3a2c1e-0000-4000-8000-000000000001',
              customerId: 'acme',
              policyNumber: 'POL-2025-8F3A2C',
              plan: 'business-plus',
              minutes: 3000,
              facilityMinutes: 180,
              onSiteMinutes: 180,
              products: ['firewall', 'switching'],
              validFrom: '2025-03-10',
              validUntil: '2026-03-09',
              timeZone: 'America/Mexico_City',
              registeredBy: 'fer',
              registeredAt: NOW,
            },
          },
        ]);
    });

    it.each([
      ['basic', 300, 0, 0],
      ['business', 1200, 0, 0],
      ['business-plus', 3000, 180, 180],
      ['corporate', 4200, 300, 300],
    ] as const)('plan %s includes %i minutes, %i at the facilities, %i on site', (plan, minutes, facilityMinutes, onSiteMinutes) => {
      spec
        .given([])
        .when(register({ plan }), finance(NOW))
        .then((events) => expect(events[0].data).toMatchObject({ minutes, facilityMinutes, onSiteMinutes, timeZone: 'UTC', products: [] }));
    });

    it('accepts explicit minutes and policy number', () => {
      spec
        .given([])
        .when(register({ plan: 'basic', minutes: 100, policyNumber: 'INT-0042' }), finance(NOW))
        .then((events) => expect(events[0].data).toMatchObject({ minutes: 100, policyNumber: 'INT-0042' }));
    });

    it('a policy starting on 29 February ends on 28 February next year', () => {
      spec
        .given([])
        .when(register({ startsOn: '2024-02-29' }), finance(NOW))
        .then((events) => expect(events[0].data).toMatchObject({ validFrom: '2024-02-29', validUntil: '2025-02-28' }));
    });

    it('derives the number from the year and the id', () => {
      expect(derivePolicyNumber('ab-cd_ef12', '2026-01-01')).toBe('POL-2026-ABCDEF');
    });

    it('is idempotent for the same body and 409 id-reused for another', () => {
      const first = policyDecider.decide(register(), initialPolicyState(), finance(NOW));
      spec.given(first).when(register(), finance('2025-07-01T00:00:00Z')).then([]);
      spec.given(first).when(register({ plan: 'corporate' }), finance(NOW)).thenThrows('id-reused');
    });

    it.each([
      [{ startsOn: '2025-02-30' }, 'startsOn'],
      [{ plan: 'gold' as 'basic' }, 'plan'],
      [{ minutes: 0 }, 'minutes'],
      [{ minutes: 12.5 }, 'minutes'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ products: [''] }, 'products[0]'],
    ])('refuses %p naming %s', (overrides, path) => {
      spec
        .given([])
        .when(register(overrides), finance(NOW))
        .thenThrows('invalid-request', { errors: [{ path, message: expect.any(String) }] });
    });
  });

  describe('DeductMinutes', () => {
    it('deducts against an authorization, naming ticket, engineer, date, minutes and description', () => {
      spec
        .given([registration()])
        .when(deduct(), agent(NOW))
        .then([
          {
            type: 'MinutesDeducted',
            data: {
              policyId: 'p1',
              customerId: 'acme',
              entryId: 'e1',
              ticketId: 't1',
              authorizationId: 'q1',
              authorizedMinutes: 120,
              minutes: 15,
              workedOn: '2025-06-10',
              engineerId: 'ana',
              description: 'revisión de firewall',
              kind: 'remote',
              minutesRemaining: 285,
              deductedBy: 'ana',
              deductedAt: NOW,
            },
          },
        ]);
    });

    it('is 404 for an unregistered policy', () => {
      spec.given([]).when(deduct(), agent(NOW)).thenThrows('not-found');
    });

    it.each([
      [{ minutes: 0 }, 'minutes'],
      [{ minutes: 1441 }, 'minutes'],
      [{ minutes: 7.5 }, 'minutes'],
      [{ workedOn: '10/06/2025' }, 'workedOn'],
      [{ kind: 'travel' as 'remote' }, 'kind'],
      [{ engineerId: '' }, 'engineerId'],
    ])('refuses %p naming %s', (overrides, path) => {
      spec
        .given([registration()])
        .when(deduct(overrides), agent(NOW))
        .thenThrows('invalid-request', { errors: [{ path, message: expect.any(String) }] });
    });

    it('refuses work dated in the future (422 in-the-future)', () => {
      spec.given([registration()]).when(deduct({ workedOn: '2025-06-12' }), agent(NOW)).thenThrows('in-the-future', { errors: [{ path: 'workedOn', message: 'must not be in the future' }] });
    });

    it('re-deducting the same entry appends nothing; another body under the entry is 409 id-reused', () => {
      const first = attempt([registration()], deduct());
      expect(first.code).toBeNull();
      const again = attempt(first.history, deduct());
      expect(again.code).toBeNull();
      expect(again.produced).toEqual([]);
      expect(attempt(first.history, deduct({ minutes: 30 })).code).toBe('id-reused');
      expect(attempt(first.history, deduct({ ticketId: 't2' })).code).toBe('id-reused');
      expect(minutesRemaining(fold(evolvePolicy, initialPolicyState(), again.history))).toBe(285);
    });

    it('a retried deduction still answers [] after the policy has expired', () => {
      const first = attempt([registration()], deduct());
      expect(attempt(first.history, deduct(), '2026-04-01T12:00:00Z')).toMatchObject({ code: null, produced: [] });
    });

    it('refuses a policy of another customer with no-coverage', () => {
      spec.given([registration()]).when(deduct({ customerId: 'globex' }), agent(NOW)).thenThrows('no-coverage');
      spec.given([registration()]).when(deduct({ customerId: 'acme' }), agent(NOW)).then((e) => expect(e).toHaveLength(1));
    });

    it('50 sequential 15-minute deductions, 120 authorized, 100 left: exactly 6 succeed, the rest are insufficient-balance', () => {
      // 300-minute policy with 200 already used on another ticket -> 100 left
      let history: PolicyEvent[] = [registration()];
      history = attempt(history, deduct({ entryId: 'old', ticketId: 't0', authorizationId: 'q0', authorizedMinutes: 1440, minutes: 200 })).history;
      const codes: (string | null)[] = [];
      for (let i = 1; i <= 50; i++) {
        const r = attempt(history, deduct({ entryId: `e${i}` }));
        history = r.history;
        codes.push(r.code);
      }
      expect(codes.slice(0, 6)).toEqual([null, null, null, null, null, null]);
      expect(codes.slice(6)).toEqual(Array(44).fill('insufficient-balance'));
      const state = fold(evolvePolicy, initialPolicyState(), history);
      expect(state.minutesUsed).toBe(290);
      expect(minutesRemaining(state)).toBe(10);
      expect(state.deductions.list().filter((d) => d.authorizationId === 'q1').reduce((s, d) => s + d.minutes, 0)).toBe(90);
      expect(state.deductions.minutesAuthorized('t1', 'q1')).toBe(90);
      expect(policyStatusAt(state, NOW)).toBe('active');
    });

    it('with a large balance the authorization binds: 8 x 15 = 120 succeed, then exceeds-authorization', () => {
      let history: PolicyEvent[] = [registration({ minutes: 4200 })];
      const codes: (string | null)[] = [];
      for (let i = 1; i <= 10; i++) {
        const r = attempt(history, deduct({ entryId: `e${i}` }));
        history = r.history;
        codes.push(r.code);
      }
      expect(codes).toEqual([null, null, null, null, null, null, null, null, 'exceeds-authorization', 'exceeds-authorization']);
      // the same authorization id on another ticket is another authorization
      expect(attempt(history, deduct({ entryId: 'x', ticketId: 't2' })).code).toBeNull();
    });

    it('reports exceeds-authorization with the numbers', () => {
      spec
        .given([registration()])
        .when(deduct({ minutes: 121 }), agent(NOW))
        .thenThrows('exceeds-authorization', { authorizedMinutes: 120, minutesDeducted: 0, minutesRequested: 121 });
    });

    it('deducting the last minutes also records PolicyExhausted; nothing more can be deducted', () => {
      const history = attempt([registration({ minutes: 30 })], deduct({ entryId: 'e1' })).history;
      const last = attempt(history, deduct({ entryId: 'e2' }));
      expect(last.produced.map((e) => e.type)).toEqual(['MinutesDeducted', 'PolicyExhausted']);
      expect(last.produced[0].data).toMatchObject({ minutesRemaining: 0 });
      expect(last.produced[1]).toEqual({ type: 'PolicyExhausted', data: { policyId: 'p1', minutesUsed: 30, exhaustedAt: NOW } });
      const state = fold(evolvePolicy, initialPolicyState(), last.history);
      expect(policyStatusAt(state, NOW)).toBe('exhausted');
      expect(attempt(last.history, deduct({ entryId: 'e3', minutes: 1 })).code).toBe('insufficient-balance');
    });

    it('never goes below zero', () => {
      spec
        .given([registration({ minutes: 10 })])
        .when(deduct({ minutes: 11 }), agent(NOW))
        .thenThrows('insufficient-balance', { minutesRemaining: 10, minutesRequested: 11 });
    });

    it('validity is judged on calendar dates in the policy zone', () => {
      // 2026-03-09 23:30 in Mexico City is 2026-03-10T05:30Z: still the last valid day
      spec
        .given([registration()])
        .when(deduct({ workedOn: '2026-03-09' }), agent('2026-03-10T05:30:00Z'))
        .then((e) => expect(e).toHaveLength(1));
      // 2026-03-10 00:30 in Mexico City: expired
      spec
        .given([registration()])
        .when(deduct({ workedOn: '2026-03-09' }), agent('2026-03-10T06:30:00Z'))
        .thenThrows('policy-expired', { status: 'expired', validUntil: '2026-03-09' });
    });

    it('refuses before validFrom and work dated before validFrom', () => {
      spec
        .given([registration()])
        .when(deduct({ workedOn: '2025-03-01' }), agent('2025-03-01T18:00:00Z'))
        .thenThrows('policy-expired', { status: 'not-started' });
      spec
        .given([registration()])
        .when(deduct({ workedOn: '2025-03-09' }), agent('2025-03-11T18:00:00Z'))
        .thenThrows('policy-expired', { status: 'not-started' });
    });

    it('refuses after PolicyExpired was recorded', () => {
      const expired: PolicyEvent = {
        type: 'PolicyExpired',
        data: { policyId: 'p1', validUntil: '2026-03-09', minutesRemaining: 300, expiredAt: '2026-03-10T07:00:00.000Z' },
      };
      spec.given([registration(), expired]).when(deduct(), agent('2026-03-11T18:00:00Z')).thenThrows('policy-expired');
    });

    it('facility and on-site advice are limited to what the plan includes', () => {
      spec
        .given([registration()])
        .when(deduct({ kind: 'facility' }), agent(NOW))
        .thenThrows('insufficient-balance', { allowance: 'facility', minutesRemaining: 0 });
      let history = [registration({ plan: 'business-plus', minutes: 3000, facilityMinutes: 180, onSiteMinutes: 180 })];
      const big = { authorizedMinutes: 1000, minutes: 180 };
      const r1 = attempt(history, deduct({ entryId: 'f1', kind: 'facility', ...big }));
      expect(r1.code).toBeNull();
      history = r1.history;
      expect(attempt(history, deduct({ entryId: 'f2', kind: 'facility', authorizedMinutes: 1000, minutes: 1 })).code).toBe('insufficient-balance');
      expect(attempt(history, deduct({ entryId: 's1', kind: 'on-site', authorizedMinutes: 1000, minutes: 60 })).code).toBeNull();
      expect(attempt(history, deduct({ entryId: 'r1', kind: 'remote', authorizedMinutes: 1000, minutes: 60 })).code).toBeNull();
    });
  });

  describe('ExpirePolicy', () => {
    it('records PolicyExpired only after validUntil, once', () => {
      spec
        .given([registration()])
        .when({ type: 'ExpirePolicy', policyId: 'p1' }, agent('2026-03-10T05:59:00Z'))
        .thenThrows('policy-not-expired');
      const produced = spec
        .given([registration()])
        .when({ type: 'ExpirePolicy', policyId: 'p1' }, agent('2026-03-10T06:00:00Z'))
        .then([
          {
            type: 'PolicyExpired',
            data: { policyId: 'p1', validUntil: '2026-03-09', minutesRemaining: 300, expiredAt: '2026-03-10T06:00:00.000Z' },
          },
        ]);
      spec
        .given([registration(), ...produced])
        .when({ type: 'ExpirePolicy', policyId: 'p1' }, agent('2026-03-11T00:00:00Z'))
        .then([]);
    });

    it('is 404 for an unregistered policy', () => {
      spec.given([]).when({ type: 'ExpirePolicy', policyId: 'p1' }, agent(NOW)).thenThrows('not-found');
    });
  });

  describe('RecordPolicyExpiryApproaching (30 days before validUntil)', () => {
    const notice = { type: 'RecordPolicyExpiryApproaching' as const, policyId: 'p1' };

    it('is refused before validUntil - 30 days in the policy zone, recorded from then on, once', () => {
      // validUntil 2026-03-09: the notice is due from 2026-02-07 00:00 in Mexico City (06:00 UTC)
      spec.given([registration()]).when(notice, agent('2026-02-07T05:59:00Z')).thenThrows('expiry-not-near', { noticeOn: '2026-02-07' });
      const produced = spec
        .given([registration()])
        .when(notice, agent('2026-02-07T06:00:00Z'))
        .then([
          {
            type: 'PolicyExpiryApproaching',
            data: {
              policyId: 'p1',
              customerId: 'acme',
              validUntil: '2026-03-09',
              noticeDays: 30,
              daysLeft: 30,
              minutesRemaining: 300,
              recordedAt: '2026-02-07T06:00:00.000Z',
            },
          },
        ]);
      spec.given([registration(), ...produced]).when(notice, agent('2026-02-20T00:00:00Z')).then([]);
    });

    it('records the days actually left when the scheduler comes late', () => {
      spec
        .given([registration()])
        .when(notice, agent('2026-03-01T18:00:00Z'))
        .then((events) => expect(events).toEqual([expect.objectContaining({ type: 'PolicyExpiryApproaching', data: expect.objectContaining({ daysLeft: 8 }) })]));
    });

    it('records nothing for an expired or exhausted policy', () => {
      spec.given([registration()]).when(notice, agent('2026-03-10T06:00:00Z')).then([]);
      spec
        .given([registration(), { type: 'PolicyExpired', data: { policyId: 'p1', validUntil: '2026-03-09', minutesRemaining: 300, expiredAt: '2026-03-10T06:00:00.000Z' } }])
        .when(notice, agent('2026-03-09T12:00:00Z'))
        .then([]);
      spec
        .given([registration(), { type: 'PolicyExhausted', data: { policyId: 'p1', minutesUsed: 300, exhaustedAt: '2026-02-01T00:00:00.000Z' } }])
        .when(notice, agent('2026-02-20T00:00:00Z'))
        .then([]);
    });

    it('is 404 for an unregistered policy', () => {
      spec.given([]).when(notice, agent(NOW)).thenThrows('not-found');
    });
  });

  describe('policyStatusAt', () => {
    const state = fold(evolvePolicy, initialPolicyState(), [registration()]);

    it('follows the clock in the policy zone', () => {
      expect(policyStatusAt(state, '2025-03-10T05:59:00Z')).toBe('not-started'); // 9 Mar 23:59 in Mexico City
      expect(policyStatusAt(state, '2025-03-10T06:00:00Z')).toBe('active');
      expect(policyStatusAt(state, '2026-03-10T05:59:59Z')).toBe('active');
      expect(policyStatusAt(state, '2026-03-10T06:00:00Z')).toBe('expired'); // even before the scheduler ran
    });

    it('throws for a policy that is not registered', () => {
      expect(() => policyStatusAt(initialPolicyState(), NOW)).toThrow();
    });
  });
});
