/**
 * Response schemas of the dashboard, finance, audit, replay and administration endpoints
 * (what the server sends, field by field).
 */
import {
  Schema,
  arr,
  bool,
  date,
  instant,
  int,
  month,
  moneyByCurrency,
  nint,
  ninstant,
  nmonth,
  nstr,
  num,
  obj,
  page,
  str,
  ndate,
} from './openapi';

const classification = str({ description: "a priority ('low', 'medium', 'high') or a severity ('1'-'4'), as the target recorded it" });
const percent = num({ nullable: true, minimum: 0, maximum: 100, description: 'percent with one decimal; null when there is nothing to count' });
const outcomeFigures = {
  met: int({ minimum: 0 }),
  missed: int({ minimum: 0 }),
  total: int({ minimum: 0 }),
  metPercent: percent,
  missedPercent: percent,
};
const byClassification = arr(obj({ classification, ...outcomeFigures }), { description: 'most urgent first' });

export const RESPONSE_TARGETS_SCHEMA: Schema = obj({
  from: nmonth(),
  to: nmonth(),
  months: arr(obj({ month: month(), ...outcomeFigures, byClassification }), { description: 'months with at least one decided target, in order' }),
  totals: obj({ ...outcomeFigures, byClassification }),
});

export const RESPONSE_TARGET_TICKETS_SCHEMA: Schema = page(
  obj({
    ticketId: str(),
    customerId: nstr(),
    subject: nstr(),
    cycle: int({ minimum: 1, description: 'response cycle (1, +1 per reopening)' }),
    targetId: str({ description: '`${cycle}.${revision}` of the target decided' }),
    classification,
    month: month('the month of decidedAt in the target\'s zone'),
    outcome: str({ enum: ['met', 'missed'] }),
    decidedBy: str({ enum: ['response', 'breach'], description: 'the first response was recorded, or the breach was recorded first' }),
    decidedAt: instant(),
    dueAt: ninstant(),
    respondedAt: ninstant('the first response (decidedBy response)'),
    targetMinutes: int({ minimum: 0, description: 'business minutes' }),
  }),
  { total: int({ minimum: 0, description: 'how many match the filter (the count in the chart)' }) },
);

const levelFigures = obj({ level: int({ minimum: 0 }), levelName: str(), count: int({ minimum: 0 }), automatic: int({ minimum: 0, description: 'of which automatic (on breach)' }) });

export const ESCALATIONS_SCHEMA: Schema = obj({
  from: nmonth(),
  to: nmonth(),
  months: arr(obj({ month: month(), total: int({ minimum: 0 }), levels: arr(levelFigures) })),
  totals: obj({ total: int({ minimum: 0 }), levels: arr(levelFigures) }),
});

export const ESCALATION_TICKETS_SCHEMA: Schema = page(
  obj({
    ticketId: str(),
    customerId: nstr(),
    subject: nstr(),
    version: int({ minimum: 0, description: 'ticket stream version of the TicketEscalated' }),
    fromLevel: int({ minimum: 0 }),
    level: int({ minimum: 0 }),
    levelName: str(),
    automatic: bool(),
    requestedBy: str(),
    requestedByRole: str({ enum: ['customer', 'staff', 'system'] }),
    escalatedAt: instant(),
    month: month(),
  }),
  { total: int({ minimum: 0 }) },
);

const SLA_STATE_ENUM = ['breached', 'at-risk', 'on-track', 'paused', 'responded'];

export const SLA_NOW_TICKET_SCHEMA: Schema = obj({
  ticketId: str(),
  subject: nstr(),
  customerId: nstr(),
  department: nstr(),
  assigneeId: nstr(),
  status: str({ enum: ['open', 'awaiting-customer'] }),
  classification: nstr(),
  escalationLevel: int({ minimum: 0 }),
  state: str({ enum: SLA_STATE_ENUM }),
  calendarId: nstr(),
  responseDueAt: ninstant(),
  warningAt: ninstant(),
  respondedAt: ninstant(),
  businessMinutesLeft: nint({ minimum: 0, description: 'at-risk and on-track: business minutes until the response is due, on the ticket\'s calendar' }),
  businessMinutesOverdue: nint({ minimum: 0, description: 'breached: business minutes since the due instant' }),
  sla: obj(
    {
      state: str({ enum: ['on-track', 'at-risk', 'breached', 'paused', 'met', 'none'] }),
      pausedReason: nstr({ enum: ['awaiting-customer', 'outside-business-hours', null] as unknown as string[] }),
    },
    { nullable: true, description: "the graded SLA state the queue shows (its at-risk is the warning window, not this dashboard's N business minutes); null on a calendar the preset no longer has" },
  ),
});

const stateCounts = {
  open: int({ minimum: 0 }),
  breached: int({ minimum: 0 }),
  atRisk: int({ minimum: 0 }),
  onTrack: int({ minimum: 0 }),
  paused: int({ minimum: 0 }),
  responded: int({ minimum: 0 }),
};

export const SLA_NOW_SCHEMA: Schema = obj({
  now: instant(),
  withinBusinessMinutes: int({ minimum: 1 }),
  counts: obj(stateCounts),
  breached: arr(SLA_NOW_TICKET_SCHEMA, { description: 'the first `limit`, earliest due first' }),
  atRisk: arr(SLA_NOW_TICKET_SCHEMA, { description: 'the first `limit`, earliest due first' }),
});

export const SLA_NOW_TICKETS_SCHEMA: Schema = page(SLA_NOW_TICKET_SCHEMA, {
  now: instant(),
  withinBusinessMinutes: int({ minimum: 1 }),
  total: int({ minimum: 0, description: 'how many tickets are in this state (the count in the chart)' }),
});

const workloadRow = obj({ agentId: nstr({ description: 'null: nobody is assigned' }), agentName: nstr({ description: 'the name of the agent when they are a known user' }), ...stateCounts });

export const WORKLOAD_SCHEMA: Schema = obj({
  now: instant(),
  withinBusinessMinutes: int({ minimum: 1 }),
  agents: arr(workloadRow, { description: 'agents with open assigned tickets, by id' }),
  unassigned: workloadRow,
  totals: obj(stateCounts),
});

// ------------------------------------------------------------------ finance

const difference = obj(
  {
    kind: str({
      enum: [
        'policy-missing',
        'policy-unknown',
        'policy-balance',
        'billed-row-missing',
        'billed-row-unknown',
        'billed-row',
        'billed-customer-total',
        'billed-policy-total',
        'deduction-without-work-log',
      ],
    }),
    id: str({ description: 'policyId, customerId, or ticketId/entryId' }),
    field: nstr({ description: 'the field that differs, when one does' }),
    expected: { nullable: true, description: 'recomputed from the event log (any JSON value)' } as Schema,
    actual: { nullable: true, description: 'what the read model answers (any JSON value)' } as Schema,
  },
  { required: ['kind', 'id', 'field', 'expected', 'actual'] },
);

const billedCustomerTotal = obj({
  customerId: nstr(),
  minutes: int({ minimum: 0 }),
  policyMinutes: int({ minimum: 0 }),
  perEventMinutes: int({ minimum: 0 }),
  chargeMinor: moneyByCurrency(),
});

export const RECONCILIATION_SCHEMA: Schema = obj({
  from: ndate(),
  to: ndate(),
  ok: bool({ description: 'true only when there is no difference' }),
  head: int({ minimum: 0, description: "the log's head position when the run started" }),
  checkpoints: obj({ policies: int({ minimum: 0 }), billing: int({ minimum: 0 }) }, { description: 'the positions the read models were compared at' }),
  lag: int({ minimum: 0, description: 'events the read models had not applied yet (compared at their own positions, not a difference)' }),
  differenceCount: int({ minimum: 0 }),
  truncated: bool({ description: 'more differences than `limit`: only the first are listed' }),
  differences: arr(difference),
  policies: arr(
    obj({
      policyId: str(),
      customerId: str(),
      minutesPurchased: int({ minimum: 0 }),
      minutesUsed: int({ minimum: 0 }),
      minutesRemaining: int(),
      deductions: int({ minimum: 0 }),
    }),
    { description: 'every policy as recomputed from the log' },
  ),
  billed: obj({
    rows: int({ minimum: 0 }),
    minutes: int({ minimum: 0 }),
    byCustomer: arr(billedCustomerTotal),
    byPolicy: arr(obj({ policyId: str(), customerId: nstr(), minutes: int({ minimum: 0 }) })),
  }),
  startedAt: instant(),
  durationMs: int({ minimum: 0 }),
});

export const BILLED_SUMMARY_SCHEMA: Schema = obj({
  from: ndate(),
  to: ndate(),
  customerId: nstr(),
  months: arr(month()),
  rows: arr(
    obj({
      customerId: nstr(),
      customerName: nstr(),
      policyId: nstr({ description: 'null: per-event work' }),
      policyNumber: nstr(),
      month: month('month of workedOn'),
      minutes: int({ minimum: 0 }),
      entries: int({ minimum: 0 }),
      chargeMinor: moneyByCurrency(),
    }),
    { description: 'one per customer, policy (or per-event) and month' },
  ),
  totals: obj({
    minutes: int({ minimum: 0 }),
    entries: int({ minimum: 0 }),
    chargeMinor: moneyByCurrency(),
    byMonth: arr(
      obj({
        month: month(),
        minutes: int({ minimum: 0 }),
        policyMinutes: int({ minimum: 0 }),
        perEventMinutes: int({ minimum: 0 }),
        entries: int({ minimum: 0 }),
        chargeMinor: moneyByCurrency(),
      }),
    ),
    byCustomer: arr(
      obj({
        customerId: nstr(),
        customerName: nstr(),
        minutes: int({ minimum: 0 }),
        policyMinutes: int({ minimum: 0 }),
        perEventMinutes: int({ minimum: 0 }),
        chargeMinor: moneyByCurrency(),
      }),
    ),
    byPolicy: arr(obj({ policyId: str(), policyNumber: nstr(), customerId: nstr(), minutes: int({ minimum: 0 }) })),
  }),
});

export const CHARGES_SCHEMA: Schema = obj({
  from: ndate(),
  to: ndate(),
  customerId: nstr(),
  items: arr(
    obj({
      workedOn: date(),
      loggedAt: instant(),
      customerId: nstr(),
      customerName: nstr(),
      ticketId: str(),
      entryId: str(),
      authorizationId: str(),
      quoteId: str(),
      engineerId: str(),
      kind: str({ enum: ['remote', 'on-site', 'facility'] }),
      minutes: int({ minimum: 1 }),
      chargeMinor: int({ minimum: 0, description: 'this work log\'s charge, integer minor units' }),
      currency: str({ pattern: '^[A-Z]{3}$' }),
      description: str(),
      quote: obj(
        {
          minutes: int({ minimum: 1 }),
          hourlyRateMinor: nint({ minimum: 0 }),
          amountMinor: nint({ minimum: 0 }),
          currency: nstr({ pattern: '^[A-Z]{3}$' }),
          paymentTerms: nstr(),
          purchaseOrder: nstr(),
        },
        { nullable: true },
      ),
    }),
  ),
  totals: obj({
    chargeMinor: moneyByCurrency(),
    minutes: int({ minimum: 0 }),
    byCustomer: arr(obj({ customerId: nstr(), customerName: nstr(), minutes: int({ minimum: 0 }), chargeMinor: moneyByCurrency() })),
  }),
});

export const POLICY_BALANCES_SCHEMA: Schema = page(
  obj({
    policyId: str(),
    number: nstr({ description: 'certificate number' }),
    customerId: nstr(),
    customerName: nstr(),
    plan: nstr({ enum: ['basic', 'business', 'business-plus', 'corporate'] }),
    status: str({ enum: ['active', 'exhausted', 'expired', 'not-started'] }),
    minutesPurchased: int({ minimum: 0 }),
    minutesUsed: int({ minimum: 0 }),
    minutesRemaining: int(),
    validFrom: date(),
    validUntil: date(),
    timeZone: nstr(),
    today: date('today in the policy\'s zone'),
    daysToExpiry: int({ description: 'negative once expired' }),
    burn: obj({
      from: ndate('the window: the last 3 months up to today, within the validity'),
      to: ndate(),
      days: int({ minimum: 0 }),
      minutes: int({ minimum: 0, description: 'used in the window (by workedOn)' }),
      minutesPerMonth: int({ minimum: 0, description: 'minutes / days x 30, rounded half up' }),
      months: arr(obj({ month: month(), minutes: int({ minimum: 0 }) })),
    }),
    projectedExhaustionOn: ndate('today + ceil(remaining x days / minutes); null when not active or nothing used in the window'),
    exhaustsBeforeExpiry: bool({ nullable: true }),
  }),
);

// ------------------------------------------------------------------ audit

const quoteTerms = obj({
  kind: str({ enum: ['per-event', 'policy-estimate'] }),
  minutes: int({ minimum: 1 }),
  hourlyRateMinor: nint({ minimum: 0 }),
  amountMinor: nint({ minimum: 0 }),
  currency: nstr({ pattern: '^[A-Z]{3}$' }),
  paymentTerms: nstr(),
  purchaseOrderRequired: bool(),
  policyId: nstr(),
  description: str(),
});

export const APPROVAL_SCHEMA: Schema = obj(
  {
    principal: str({ enum: ['user', 'token'], description: "'token': a bearer token whose subject is no known user (its rights are the token's claims)" }),
    userId: str(),
    roles: arr(str()),
    customerId: nstr(),
    approver: bool(),
    userVersion: nint({ minimum: 0, description: "the version of the person's user stream read at the decision" }),
  },
  { nullable: true, description: "the answering person's rights at that instant, as recorded with the decision; null for answers recorded before people were users" },
);

export const AUTHORIZATIONS_SCHEMA: Schema = arr(
  obj({
    _id: str({ description: 'ticketId/quoteId' }),
    ticketId: str(),
    quoteId: str(),
    decision: str({ enum: ['accept', 'decline'] }),
    authorizationId: nstr({ description: 'the quoteId for an acceptance; null for a decline' }),
    customerId: nstr(),
    terms: quoteTerms,
    purchaseOrder: nstr(),
    comment: nstr(),
    by: str({ description: 'who answered' }),
    at: instant(),
    approval: APPROVAL_SCHEMA,
    quote: obj({ issuedBy: nstr(), issuedAt: ninstant(), supplementary: bool(), supplementsAuthorizationId: nstr(), supersedesQuoteId: nstr() }),
    position: int({ minimum: 1, description: 'global position of the decision (find it in the ticket history)' }),
    version: int({ minimum: 0 }),
  }),
  { description: 'oldest first' },
);

// ------------------------------------------------------------------ administration

export const CUSTOMER_COMMAND_SCHEMA: Schema = obj({
  customerId: str(),
  version: int({ minimum: -1, description: 'customer stream version after the command' }),
  position: int({ minimum: 0, description: 'global position of its last event (X-Min-Position)' }),
});

export const CUSTOMER_HISTORY_SCHEMA: Schema = obj({
  customerId: str(),
  events: arr(
    obj({
      position: int({ minimum: 1 }),
      version: int({ minimum: 0 }),
      type: str({ enum: ['CustomerRegistered', 'SupportSuspended', 'SupportReinstated', 'SupportLevelChanged'] }),
      data: { type: 'object', additionalProperties: true } as Schema,
      occurredAt: instant(),
      actor: str(),
      actorRoles: arr(str()),
      correlationId: str(),
    }),
    { description: 'oldest first' },
  ),
});

// ------------------------------------------------------------------ case history (replay)

const patchOp = obj(
  {
    op: str({ enum: ['add', 'replace', 'remove'] }),
    path: str({ description: 'RFC 6901 JSON pointer into the folded state' }),
    value: { description: 'add and replace: the new value (any JSON value)', nullable: true } as Schema,
    old: { description: 'replace and remove: the value before (any JSON value)', nullable: true } as Schema,
  },
  { required: ['op', 'path'], description: 'an RFC 6902 JSON Patch operation, plus `old`' },
);

const ticketState = { type: 'object', additionalProperties: true, description: "the case folded with the command side's own evolve (the domain's TicketState)" } as Schema;

export const HISTORY_SCHEMA: Schema = obj({
  ticketId: str(),
  asOf: ninstant(),
  asOfVersion: nint({ minimum: 0 }),
  chain: obj({
    intact: bool({ description: 'the hash chains of every stream the case touches verify, whole (not only the window)' }),
    firstBreak: obj(
      {
        streamId: str(),
        version: int({ minimum: 0 }),
        position: int({ minimum: 0 }),
        eventId: str(),
        reason: str(),
      },
      { nullable: true, description: 'the first event whose hash, prevHash or version does not verify; null when intact' },
    ),
    streams: arr(str(), { description: "the streams checked, the ticket's first" }),
  }),
  events: arr(
    obj(
      {
        position: int({ minimum: 1 }),
        streamId: str(),
        version: int({ minimum: 0 }),
        eventId: str({ format: 'uuid' }),
        type: str(),
        data: { type: 'object', additionalProperties: true } as Schema,
        occurredAt: instant(),
        actor: str(),
        actorRoles: arr(str(), { description: "the actor's roles when the event was recorded" }),
        correlationId: str(),
        causationId: nstr({ description: 'the event that caused this one (the scheduler, the repairer), if any' }),
        causedByPosition: nint({ minimum: 1, description: 'that event\'s position, when it belongs to this case' }),
        hash: nstr({ pattern: '^[0-9a-f]{64}$' }),
        prevHash: nstr({ pattern: '^[0-9a-f]{64}$' }),
        changes: arr(patchOp, {
          description:
            'with changes=true: what the event changed in the folded state, from the state after the previous ticket event (the first from baseState); empty for events of other streams',
        }),
      },
      {
        required: ['position', 'streamId', 'version', 'eventId', 'type', 'data', 'occurredAt', 'actor', 'actorRoles', 'correlationId', 'causationId', 'causedByPosition', 'hash', 'prevHash'],
      },
    ),
    { description: 'in global order' },
  ),
  correlations: arr(obj({ correlationId: str(), positions: arr(int({ minimum: 1 })) }), { description: 'events made by one request or scheduler pass (two or more), to draw links' }),
  quotes: arr(
    obj({
      quoteId: str(),
      status: str({ enum: ['pending', 'accepted', 'declined', 'superseded'] }),
      terms: quoteTerms,
      supplementary: bool(),
      supplementsAuthorizationId: nstr(),
      supersedesQuoteId: nstr(),
      issuedBy: str(),
      issuedAt: instant(),
      decision: obj(
        {
          decision: str({ enum: ['accept', 'decline'] }),
          purchaseOrder: nstr(),
          comment: nstr(),
          by: str(),
          at: instant(),
          position: int({ minimum: 1, description: 'the answer event in `events`' }),
          approval: APPROVAL_SCHEMA,
        },
        { nullable: true, description: 'null while pending (at the end of the window)' },
      ),
    }),
    { description: "every quote of the case as it stood at the end of the window, with its answer and the answering person's rights then" },
  ),
  baseState: { ...ticketState, nullable: true, description: "with changes=true: the state the first event's changes apply to (the domain's initial state); else null" },
  state: { ...ticketState, nullable: true, description: 'the case at the end of the window (asOf / asOfVersion); null before the ticket existed' },
});
