import {
  AuthorizeService,
  BillingCommand,
  BillingEvent,
  BillingState,
  BillingTicket,
  decideBilling,
  evolveBilling,
  initialBillingState,
  isBillingCommand,
  isBillingEvent,
  IssueQuote,
  LogWork,
  priceForMinutes,
  QuoteTerms,
  workLogFromDeduction,
} from '../../src/tickets/billing';
import { evolvePolicy, initialPolicyState, policyDecider, PolicyEvent } from '../../src/policies';
import { Decider, DomainError, fold } from '../../src/shared';
import { ctx, deciderSpecification } from '../decider-specification';

const NOW = '2025-06-10T17:00:00.000Z';
const openTicket: BillingTicket = { ticketId: 't1', customerId: 'acme', status: 'open' };
const agent = ctx(NOW, { id: 'ana', roles: ['agent'] });
const customer = ctx(NOW, { id: 'carla', roles: ['customer'], customerId: 'acme' });

const billingDecider = (ticket: BillingTicket = openTicket): Decider<BillingCommand, BillingState, BillingEvent> => ({
  initialState: initialBillingState,
  evolve: evolveBilling,
  decide: (command, state, context) => decideBilling(command, ticket, state, context),
});
const spec = deciderSpecification(billingDecider());
const closedSpec = deciderSpecification(billingDecider({ ...openTicket, status: 'closed' }));

const perEventTerms = (overrides: Partial<QuoteTerms> = {}): QuoteTerms => ({
  kind: 'per-event',
  minutes: 90,
  hourlyRateMinor: 50000,
  amountMinor: 75000,
  currency: 'MXN',
  paymentTerms: '30 días',
  purchaseOrderRequired: false,
  policyId: null,
  description: 'configuración de VPN',
  ...overrides,
});
const estimateTerms = (overrides: Partial<QuoteTerms> = {}): QuoteTerms => ({
  kind: 'policy-estimate',
  minutes: 120,
  hourlyRateMinor: null,
  amountMinor: null,
  currency: null,
  paymentTerms: null,
  purchaseOrderRequired: false,
  policyId: 'p1',
  description: 'migración de correo',
  ...overrides,
});

const issued = (quoteId: string, terms: QuoteTerms, extra: Partial<BillingEvent['data']> = {}): BillingEvent => ({
  type: 'QuoteIssued',
  data: {
    ticketId: 't1',
    quoteId,
    terms,
    supplementary: false,
    supplementsAuthorizationId: null,
    supersedesQuoteId: null,
    issuedBy: 'ana',
    issuedAt: '2025-06-09T15:00:00.000Z',
    ...extra,
  },
} as BillingEvent);
const authorized = (quoteId: string, terms: QuoteTerms): BillingEvent => ({
  type: 'ServiceAuthorized',
  data: {
    ticketId: 't1',
    customerId: 'acme',
    authorizationId: quoteId,
    quoteId,
    terms,
    purchaseOrder: null,
    comment: null,
    authorizedBy: 'carla',
    authorizedAt: '2025-06-09T16:00:00.000Z',
  },
});

const perEventQuote = (overrides: Partial<IssueQuote> = {}): IssueQuote => ({
  type: 'IssueQuote',
  quoteId: 'q1',
  kind: 'per-event',
  minutes: 90,
  hourlyRateMinor: 50000,
  currency: 'MXN',
  paymentTerms: '30 días',
  description: 'configuración de VPN',
  facts: {},
  ...overrides,
});
const estimate = (overrides: Partial<IssueQuote> = {}): IssueQuote => ({
  type: 'IssueQuote',
  quoteId: 'q2',
  kind: 'policy-estimate',
  minutes: 120,
  description: 'migración de correo',
  facts: { activePolicyId: 'p1' },
  ...overrides,
});
const answer = (overrides: Partial<AuthorizeService> = {}): AuthorizeService => ({ type: 'AuthorizeService', quoteId: 'q1', decision: 'accept', ...overrides });
const logWork = (overrides: Partial<LogWork> = {}): LogWork => ({
  type: 'LogWork',
  entryId: 'w1',
  minutes: 30,
  workedOn: '2025-06-10',
  description: 'configuré el túnel',
  engineerId: 'ana',
  ...overrides,
});

describe('ticket billing', () => {
  it('recognises its events and commands', () => {
    expect(isBillingEvent({ type: 'QuoteIssued' })).toBe(true);
    expect(isBillingEvent({ type: 'WorkLogged' })).toBe(true);
    expect(isBillingEvent({ type: 'TicketOpened' })).toBe(false);
    expect(isBillingCommand({ type: 'AuthorizeService' })).toBe(true);
    expect(isBillingCommand({ type: 'CloseTicket' })).toBe(false);
  });

  describe('money', () => {
    it.each([
      [50000, 90, 75000],
      [100, 1, 2], // 1.67 -> 2
      [90, 1, 2], // 1.5 -> 2 (half-up)
      [89, 1, 1], // 1.48 -> 1
      [150, 20, 50], // exact
      [0, 60, 0],
      [99_999_999_999, 525_600, 876_000_000_000_000 - 8760], // beyond 2^53 intermediate, exact via BigInt
    ])('price(%i/h, %i min) = %i', (rate, minutes, amount) => {
      expect(priceForMinutes(rate, minutes)).toBe(amount);
    });
  });

  describe('IssueQuote', () => {
    it('issues a per-event quote with the amount computed from rate and minutes', () => {
      spec
        .given([])
        .when(perEventQuote(), agent)
        .then([
          {
            type: 'QuoteIssued',
            data: {
              ticketId: 't1',
              quoteId: 'q1',
              terms: perEventTerms(),
              supplementary: false,
              supplementsAuthorizationId: null,
              supersedesQuoteId: null,
              issuedBy: 'ana',
              issuedAt: NOW,
            },
          },
        ]);
    });

    it('rounds the default amount half-up to a minor unit', () => {
      spec
        .given([])
        .when(perEventQuote({ hourlyRateMinor: 90, minutes: 1 }), agent)
        .then((events) => expect((events[0].data as { terms: QuoteTerms }).terms.amountMinor).toBe(2));
      spec
        .given([])
        .when(perEventQuote({ hourlyRateMinor: 100, minutes: 10 }), agent)
        .then((events) => expect((events[0].data as { terms: QuoteTerms }).terms.amountMinor).toBe(17));
    });

    it('keeps an explicit amount and purchase-order requirement', () => {
      spec
        .given([])
        .when(perEventQuote({ amountMinor: 70000, purchaseOrderRequired: true }), agent)
        .then((events) => expect((events[0].data as { terms: QuoteTerms }).terms).toMatchObject({ amountMinor: 70000, purchaseOrderRequired: true }));
    });

    it.each([
      [{ hourlyRateMinor: undefined }, 'hourlyRateMinor'],
      [{ hourlyRateMinor: 12.5 }, 'hourlyRateMinor'],
      [{ currency: undefined }, 'currency'],
      [{ currency: 'mxn' }, 'currency'],
      [{ currency: 'PESOS' }, 'currency'],
      [{ amountMinor: -1 }, 'amountMinor'],
      [{ minutes: 0 }, 'minutes'],
      [{ minutes: 1.5 }, 'minutes'],
      [{ description: '' }, 'description'],
      [{ kind: 'hourly' as 'per-event' }, 'kind'],
    ])('refuses a per-event quote with %p naming %s', (overrides, path) => {
      spec
        .given([])
        .when(perEventQuote(overrides), agent)
        .thenThrows('invalid-request', { errors: [{ path, message: expect.any(String) }] });
    });

    it('issues a policy estimate recording the active policy', () => {
      spec
        .given([])
        .when(estimate(), agent)
        .then((events) => expect(events[0].data).toMatchObject({ quoteId: 'q2', terms: estimateTerms() }));
    });

    it('refuses a policy estimate without an active policy with no-coverage', () => {
      spec.given([]).when(estimate({ facts: { activePolicyId: null } }), agent).thenThrows('no-coverage');
      spec.given([]).when(estimate({ facts: {} }), agent).thenThrows('no-coverage');
    });

    it('refuses money fields on a policy estimate', () => {
      spec
        .given([])
        .when(estimate({ hourlyRateMinor: 100 }), agent)
        .thenThrows('invalid-request', { errors: [{ path: 'hourlyRateMinor', message: expect.any(String) }] });
    });

    it('allows one pending quote at a time: 409 quote-pending', () => {
      spec
        .given([issued('q1', perEventTerms())])
        .when(estimate(), agent)
        .thenThrows('quote-pending', { pendingQuoteId: 'q1' });
    });

    it('allows a new quote once the previous one was answered', () => {
      const declined: BillingEvent = {
        type: 'QuoteDeclined',
        data: { ticketId: 't1', customerId: 'acme', quoteId: 'q1', terms: perEventTerms(), comment: 'caro', declinedBy: 'carla', declinedAt: NOW },
      };
      spec.given([issued('q1', perEventTerms()), declined]).when(estimate(), agent).then((e) => expect(e).toHaveLength(1));
    });

    it('a quote that supersedes the pending one replaces it', () => {
      const produced = spec
        .given([issued('q1', perEventTerms())])
        .when(perEventQuote({ quoteId: 'q1b', hourlyRateMinor: 40000, supersedes: 'q1' }), agent)
        .then((events) => expect(events[0].data).toMatchObject({ supersedesQuoteId: 'q1', terms: { amountMinor: 60000 } }));
      const state = fold(evolveBilling, initialBillingState(), [issued('q1', perEventTerms()), ...produced]);
      expect(state.quotes.q1.status).toBe('superseded');
      expect(state.quotes.q1b.status).toBe('pending');
    });

    it('superseding a quote that is not pending is quote-not-pending', () => {
      spec
        .given([issued('q1', perEventTerms()), authorized('q1', perEventTerms())])
        .when(perEventQuote({ quoteId: 'q3', supersedes: 'q1' }), agent)
        .thenThrows('quote-not-pending');
    });

    it('a supplementary quote extends the latest accepted authorization', () => {
      spec
        .given([issued('q1', perEventTerms()), authorized('q1', perEventTerms())])
        .when(perEventQuote({ quoteId: 'q3', minutes: 60, supplementary: true }), agent)
        .then((events) => expect(events[0].data).toMatchObject({ supplementary: true, supplementsAuthorizationId: 'q1' }));
    });

    it('a supplementary quote without an accepted authorization is authorization-required', () => {
      spec.given([]).when(perEventQuote({ supplementary: true }), agent).thenThrows('authorization-required');
    });

    it('is idempotent by quoteId: same body -> [], another body -> 409 id-reused', () => {
      const history = [issued('q1', perEventTerms({ paymentTerms: '30 días' }))];
      spec.given(history).when(perEventQuote(), agent).then([]);
      spec.given(history).when(perEventQuote({ amountMinor: 75000 }), agent).then([]); // the default, stated explicitly
      spec.given(history).when(perEventQuote({ minutes: 60 }), agent).thenThrows('id-reused');
    });

    it('a retried policy estimate answers [] even if the facts changed since', () => {
      spec.given([issued('q2', estimateTerms())]).when(estimate({ facts: { activePolicyId: null } }), agent).then([]);
    });

    it('refuses on a closed ticket (409) and on a missing one (404)', () => {
      closedSpec.given([]).when(perEventQuote(), agent).thenThrows('ticket-closed');
      deciderSpecification(billingDecider({ ...openTicket, status: 'none' }))
        .given([])
        .when(perEventQuote(), agent)
        .thenThrows('not-found');
    });
  });

  describe('AuthorizeService', () => {
    const pending = [issued('q1', perEventTerms())];

    it('the customer accepts: the authorization copies the terms, who and when', () => {
      spec
        .given(pending)
        .when(answer({ purchaseOrder: 'OC-77', comment: 'adelante' }), customer)
        .then([
          {
            type: 'ServiceAuthorized',
            data: {
              ticketId: 't1',
              customerId: 'acme',
              authorizationId: 'q1',
              quoteId: 'q1',
              terms: perEventTerms(),
              purchaseOrder: 'OC-77',
              comment: 'adelante',
              authorizedBy: 'carla',
              authorizedAt: NOW,
            },
          },
        ]);
    });

    it('the customer declines: the decline keeps the terms', () => {
      spec
        .given(pending)
        .when(answer({ decision: 'decline', comment: 'muy caro' }), customer)
        .then([
          {
            type: 'QuoteDeclined',
            data: { ticketId: 't1', customerId: 'acme', quoteId: 'q1', terms: perEventTerms(), comment: 'muy caro', declinedBy: 'carla', declinedAt: NOW },
          },
        ]);
    });

    it('staff cannot authorize (403); another customer gets 404', () => {
      spec.given(pending).when(answer(), agent).thenThrows('forbidden');
      spec.given(pending).when(answer(), ctx(NOW, { roles: ['supervisor', 'admin'] })).thenThrows('forbidden');
      spec.given(pending).when(answer(), ctx(NOW, { id: 'x', roles: ['customer'], customerId: 'globex' })).thenThrows('not-found');
    });

    it('an unknown quote is 404', () => {
      spec.given(pending).when(answer({ quoteId: 'nope' }), customer).thenThrows('not-found');
    });

    it('only a pending quote can be answered: 422 quote-not-pending', () => {
      const accepted = [...pending, authorized('q1', perEventTerms())];
      spec.given(accepted).when(answer({ decision: 'decline' }), customer).thenThrows('quote-not-pending', { status: 'accepted' });
      const superseded = [...pending, issued('q1b', perEventTerms(), { supersedesQuoteId: 'q1' })];
      spec.given(superseded).when(answer(), customer).thenThrows('quote-not-pending', { status: 'superseded' });
    });

    it('repeating the same answer appends nothing', () => {
      spec.given([...pending, authorized('q1', perEventTerms())]).when(answer(), customer).then([]);
    });

    it('a quote requiring a purchase order cannot be accepted without one (400 naming purchaseOrder)', () => {
      const withPo = [issued('q1', perEventTerms({ purchaseOrderRequired: true }))];
      spec
        .given(withPo)
        .when(answer(), customer)
        .thenThrows('invalid-request', { errors: [{ path: 'purchaseOrder', message: expect.any(String) }] });
      spec.given(withPo).when(answer({ purchaseOrder: 'OC-1' }), customer).then((e) => expect(e[0].type).toBe('ServiceAuthorized'));
      spec.given(withPo).when(answer({ decision: 'decline' }), customer).then((e) => expect(e[0].type).toBe('QuoteDeclined'));
    });

    it('refuses an unknown decision and a closed ticket', () => {
      spec.given(pending).when(answer({ decision: 'maybe' as 'accept' }), customer).thenThrows('invalid-request');
      closedSpec.given(pending).when(answer(), customer).thenThrows('ticket-closed');
    });

    it("records the approver's rights at that instant; a contact without them is 403 and nothing is recorded", () => {
      const approval = { principal: 'user' as const, userId: 'carla', roles: ['customer'], customerId: 'acme', approver: true, userVersion: 3 };
      spec
        .given(pending)
        .when(answer({ approval }), customer)
        .then((e) => expect(e[0]).toMatchObject({ type: 'ServiceAuthorized', data: { authorizedBy: 'carla', approval } }));
      spec
        .given(pending)
        .when(answer({ decision: 'decline', approval }), customer)
        .then((e) => expect(e[0]).toMatchObject({ type: 'QuoteDeclined', data: { approval } }));
      spec.given(pending).when(answer({ approval: { ...approval, approver: false } }), customer).thenThrows('forbidden');
      spec.given(pending).when(answer({ decision: 'decline', approval: { ...approval, approver: false } }), customer).thenThrows('forbidden');
      // answers from before people were users carry no approval and replay as they are
      const old = [...pending, authorized('q1', perEventTerms())];
      expect(fold(evolveBilling, initialBillingState(), old).quotes.q1.status).toBe('accepted');
    });
  });

  describe('LogWork', () => {
    const perEventAuthorized = [issued('q1', perEventTerms()), authorized('q1', perEventTerms())];
    const estimateAuthorized = [issued('q2', estimateTerms()), authorized('q2', estimateTerms())];

    it('logs per-event work with its charge at the quote rate', () => {
      spec
        .given(perEventAuthorized)
        .when(logWork(), agent)
        .then([
          {
            type: 'WorkLogged',
            data: {
              ticketId: 't1',
              entryId: 'w1',
              authorizationId: 'q1',
              minutes: 30,
              workedOn: '2025-06-10',
              engineerId: 'ana',
              description: 'configuré el túnel',
              kind: 'remote',
              policyId: null,
              chargeMinor: 25000,
              currency: 'MXN',
              loggedBy: 'ana',
              loggedAt: NOW,
            },
          },
        ]);
    });

    it('charges cumulatively so rounding never adds up: ten 1-minute entries at 1.00/h cost 0.17', () => {
      const terms = perEventTerms({ hourlyRateMinor: 100, minutes: 10, amountMinor: 17 });
      let history: BillingEvent[] = [issued('q1', terms), authorized('q1', terms)];
      const charges: (number | null)[] = [];
      for (let i = 0; i < 10; i++) {
        const state = fold(evolveBilling, initialBillingState(), history);
        const produced = decideBilling(logWork({ entryId: `w${i}`, minutes: 1 }), openTicket, state, agent);
        charges.push((produced[0].data as { chargeMinor: number | null }).chargeMinor);
        history = [...history, ...produced];
      }
      expect(charges).toEqual([2, 1, 2, 2, 1, 2, 2, 1, 2, 2]);
      const state = fold(evolveBilling, initialBillingState(), history);
      expect(state.authorizations.q1).toMatchObject({ minutesLogged: 10, chargedMinor: 17 });
    });

    it('never charges more than the accepted amount', () => {
      const terms = perEventTerms({ hourlyRateMinor: 6000, minutes: 60, amountMinor: 5000 });
      spec
        .given([issued('q1', terms), authorized('q1', terms)])
        .when(logWork({ minutes: 60 }), agent)
        .then((events) => expect(events[0].data).toMatchObject({ chargeMinor: 5000 }));
    });

    it('logs policy-backed work with the policy and no charge', () => {
      spec
        .given(estimateAuthorized)
        .when(logWork({ kind: 'on-site' }), agent)
        .then((events) => expect(events[0].data).toMatchObject({ authorizationId: 'q2', policyId: 'p1', chargeMinor: null, currency: null, kind: 'on-site' }));
    });

    it('needs an accepted authorization on the ticket: 422 authorization-required', () => {
      spec.given([]).when(logWork(), agent).thenThrows('authorization-required');
      spec.given([issued('q1', perEventTerms())]).when(logWork(), agent).thenThrows('authorization-required');
      spec.given(perEventAuthorized).when(logWork({ authorizationId: 'other' }), agent).thenThrows('authorization-required');
    });

    it('never beyond what was authorized: 422 exceeds-authorization', () => {
      spec.given(perEventAuthorized).when(logWork({ minutes: 90 }), agent).then((e) => expect(e).toHaveLength(1));
      spec
        .given(perEventAuthorized)
        .when(logWork({ minutes: 91 }), agent)
        .thenThrows('exceeds-authorization', { authorizationId: 'q1', minutesAuthorized: 90, minutesLogged: 0, minutesRequested: 91 });
      const after60 = [...perEventAuthorized, ...decideBilling(logWork({ minutes: 60 }), openTicket, fold(evolveBilling, initialBillingState(), perEventAuthorized), agent)];
      spec.given(after60).when(logWork({ entryId: 'w2', minutes: 31, authorizationId: 'q1' }), agent).thenThrows('exceeds-authorization');
      spec.given(after60).when(logWork({ entryId: 'w2', minutes: 30 }), agent).then((e) => expect(e[0].data).toMatchObject({ chargeMinor: 25000 }));
    });

    it('without authorizationId picks the oldest authorization with room for the entry', () => {
      const supplement = perEventTerms({ minutes: 60, amountMinor: 50000 });
      const history = [
        ...perEventAuthorized,
        ...decideBilling(logWork({ minutes: 80 }), openTicket, fold(evolveBilling, initialBillingState(), perEventAuthorized), agent),
        issued('q3', supplement, { supplementary: true, supplementsAuthorizationId: 'q1' }),
        authorized('q3', supplement),
      ];
      spec.given(history).when(logWork({ entryId: 'w2', minutes: 10 }), agent).then((e) => expect(e[0].data).toMatchObject({ authorizationId: 'q1' }));
      spec.given(history).when(logWork({ entryId: 'w2', minutes: 11 }), agent).then((e) => expect(e[0].data).toMatchObject({ authorizationId: 'q3' }));
      spec.given(history).when(logWork({ entryId: 'w2', minutes: 61 }), agent).thenThrows('exceeds-authorization', { authorizationId: 'q3' });
    });

    it('is idempotent by entryId: same body -> [], another body -> 409 id-reused', () => {
      const history = [...perEventAuthorized, ...decideBilling(logWork(), openTicket, fold(evolveBilling, initialBillingState(), perEventAuthorized), agent)];
      spec.given(history).when(logWork(), agent).then([]);
      spec.given(history).when(logWork({ authorizationId: 'q1' }), agent).then([]);
      spec.given(history).when(logWork({ minutes: 31 }), agent).thenThrows('id-reused');
      spec.given(history).when(logWork({ description: 'otra cosa' }), agent).thenThrows('id-reused');
      closedSpec.given(history).when(logWork(), agent).then([]); // a retry answers like the first time
    });

    it('refuses on a closed ticket', () => {
      closedSpec.given(perEventAuthorized).when(logWork(), agent).thenThrows('ticket-closed');
    });

    it.each([
      [{ minutes: 0 }, 'minutes'],
      [{ minutes: 1441 }, 'minutes'],
      [{ minutes: 2.5 }, 'minutes'],
      [{ workedOn: '2025-13-01' }, 'workedOn'],
      [{ workedOn: '2025-06-12' }, 'workedOn'],
      [{ kind: 'travel' as 'remote' }, 'kind'],
      [{ description: ' ' }, 'description'],
    ])('refuses %p naming %s', (overrides, path) => {
      spec
        .given(perEventAuthorized)
        .when(logWork(overrides), agent)
        .thenThrows('invalid-request', { errors: [{ path, message: expect.any(String) }] });
    });
  });

  describe('the money path end to end: estimate, authorization, deduction, work log', () => {
    it('workLogFromDeduction rebuilds the ticket event from the policy event', () => {
      let ticketHistory: BillingEvent[] = [];
      const apply = (events: BillingEvent[]) => (ticketHistory = [...ticketHistory, ...events]);
      const billing = () => fold(evolveBilling, initialBillingState(), ticketHistory);

      apply(decideBilling(estimate(), openTicket, billing(), agent));
      apply(decideBilling(answer({ quoteId: 'q2' }), openTicket, billing(), customer));
      const workLogged = decideBilling(logWork({ minutes: 45, kind: 'facility' }), openTicket, billing(), agent)[0];
      const wl = workLogged.data as ReturnType<typeof workLogFromDeduction>;
      expect(wl.policyId).toBe('p1');

      const policyHistory: PolicyEvent[] = [
        {
          type: 'PolicyRegistered',
          data: {
            policyId: 'p1',
            customerId: 'acme',
            policyNumber: 'POL-2025-P1',
            plan: 'corporate',
            minutes: 4200,
            facilityMinutes: 300,
            onSiteMinutes: 300,
            products: [],
            validFrom: '2025-01-01',
            validUntil: '2025-12-31',
            timeZone: 'UTC',
            registeredBy: 'fer',
            registeredAt: '2025-01-01T00:00:00.000Z',
          },
        },
      ];
      const authorization = billing().authorizations[wl.authorizationId];
      const deducted = policyDecider.decide(
        {
          type: 'DeductMinutes',
          policyId: wl.policyId as string,
          entryId: wl.entryId,
          ticketId: wl.ticketId,
          authorizationId: wl.authorizationId,
          authorizedMinutes: authorization.minutesAuthorized,
          minutes: wl.minutes,
          workedOn: wl.workedOn,
          engineerId: wl.engineerId,
          description: wl.description,
          kind: wl.kind,
          customerId: openTicket.customerId,
        },
        fold(evolvePolicy, initialPolicyState(), policyHistory),
        agent,
      );
      expect(deducted).toHaveLength(1);
      expect(deducted[0].type).toBe('MinutesDeducted');
      if (deducted[0].type !== 'MinutesDeducted') throw new Error('unreachable');
      expect(workLogFromDeduction(deducted[0].data)).toEqual(wl);
    });

    it('a refused command is a DomainError with an HTTP status', () => {
      try {
        decideBilling(logWork(), openTicket, initialBillingState(), agent);
        throw new Error('expected a refusal');
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).status).toBe(422);
      }
    });
  });
});
