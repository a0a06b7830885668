import {
  DEFAULT_PREFERENCES,
  MANDATORY_EMAIL_KINDS,
  NotifiableEvent,
  NotificationFacts,
  NotificationPreferences,
  Person,
  decideNotifications,
  notificationIdOf,
  planEmail,
} from '../../src/notifications';

// ------------------------------------------------------------------ people

const person = (id: string, p: Partial<Person>): Person => ({
  id,
  kind: 'staff',
  email: `${id}@example.test`,
  name: id,
  roles: [],
  customerId: null,
  approver: false,
  status: 'active',
  language: null,
  ...p,
});

const ana = person('ana', { roles: ['agent'] }); // the assignee
const beto = person('beto', { roles: ['agent'] }); // another agent (issued a quote)
const sara = person('sara', { roles: ['supervisor'] });
const quique = person('quique', { roles: ['supervisor', 'agent'] }); // quality lead (named for level 2)
const omar = person('omar', { roles: ['supervisor'] }); // operations manager (named for level 3)
const fina = person('fina', { roles: ['finance'] });
const adri = person('adri', { roles: ['admin'] });
const gone = person('gone', { roles: ['supervisor', 'finance', 'admin'], status: 'deactivated' });
// customer acme
const carla = person('carla', { kind: 'contact', customerId: 'acme', approver: true, language: 'es-MX' });
const ciro = person('ciro', { kind: 'contact', customerId: 'acme', approver: false }); // the reporter
const newbie = person('newbie', { kind: 'contact', customerId: 'acme', approver: true, status: 'invited' });
// customer globex: must never hear about acme
const gina = person('gina', { kind: 'contact', customerId: 'globex', approver: true });
const gus = person('gus', { kind: 'contact', customerId: 'globex', approver: false });

const everyone = [ana, beto, sara, quique, omar, fina, adri, gone, carla, ciro, newbie, gina, gus];

const ticket = {
  ticketId: 't1',
  customerId: 'acme',
  reporterId: 'ciro',
  openedByRole: 'customer',
  assigneeId: 'ana',
  subject: 'Correo caído',
  escalationLevel: 1,
  quoteIssuers: { q1: 'beto' },
};

const policy = { policyId: 'p1', customerId: 'acme', number: 'POL-2026-P1', minutesPurchased: 300, validUntil: '2027-01-14' };

const facts = (over: Partial<NotificationFacts> = {}): NotificationFacts => ({
  ticket,
  policy: null,
  customerName: 'Acme',
  people: everyone,
  preferences: {},
  escalation: {
    levels: [
      { level: 1, name: 'assigned engineer' },
      { level: 2, name: 'quality lead' },
      { level: 3, name: 'operations manager' },
    ],
    contacts: { 2: ['quique'], 3: ['omar'] },
  },
  defaultLanguage: 'es-MX',
  emailEnabled: true,
  ...over,
});

let seq = 0;
const event = (type: string, data: Record<string, unknown>, actor: string | null = 'system:scheduler', streamId = 'ticket-t1'): NotifiableEvent => ({
  id: `e-${++seq}`,
  type,
  streamId,
  position: String(seq),
  occurredAt: '2026-11-16T16:00:00.000Z',
  actor,
  data,
});

const terms = { kind: 'per-event', minutes: 60, hourlyRateMinor: 90000, amountMinor: 90000, currency: 'MXN', paymentTerms: null, purchaseOrderRequired: true, policyId: null, description: 'Revisión' };

type Row = [title: string, event: NotifiableEvent, facts: NotificationFacts, expected: Array<[recipient: string, kind: string, reason: string]>];

// ------------------------------------------------------------------ the table

const rows: Row[] = [
  ['assignment: the new assignee', event('TicketAssigned', { ticketId: 't1', assigneeId: 'beto', previousAssigneeId: 'ana', assignedBy: 'sara' }, 'sara'), facts(), [['beto', 'ticket-assigned', 'assignee']]],
  ['self-assignment: nobody', event('TicketAssigned', { ticketId: 't1', assigneeId: 'ana', assignedBy: 'ana' }, 'ana'), facts(), []],
  ['customer reply: the assignee', event('MessagePosted', { ticketId: 't1', messageId: 'm1', body: 'ya probé', visibility: 'public', authorId: 'ciro', authorRole: 'customer' }, 'ciro'), facts(), [['ana', 'customer-replied', 'assignee']]],
  ['customer reply, unassigned: nobody', event('MessagePosted', { ticketId: 't1', body: 'x', visibility: 'public', authorRole: 'customer' }, 'ciro'), facts({ ticket: { ...ticket, assigneeId: null } }), []],
  ['staff message: no customer-replied', event('MessagePosted', { ticketId: 't1', body: 'x', visibility: 'public', authorRole: 'staff' }, 'ana'), facts(), []],
  [
    'quote issued: the customer approvers only (not the invited one, not another customer)',
    event('QuoteIssued', { ticketId: 't1', quoteId: 'q1', terms, supplementary: false, issuedBy: 'beto' }, 'beto'),
    facts(),
    [['carla', 'quote-awaiting-authorization', 'approver']],
  ],
  [
    'quote issued, no approvers: the reporter',
    event('QuoteIssued', { ticketId: 't1', quoteId: 'q1', terms, issuedBy: 'beto' }, 'beto'),
    facts({ people: everyone.filter((p) => p.id !== 'carla') }),
    [['ciro', 'quote-awaiting-authorization', 'reporter']],
  ],
  ['quote accepted: the assignee', event('ServiceAuthorized', { ticketId: 't1', quoteId: 'q1', terms, authorizedBy: 'carla' }, 'carla'), facts(), [['ana', 'quote-accepted', 'assignee']]],
  ['quote declined, unassigned: who issued it', event('QuoteDeclined', { ticketId: 't1', quoteId: 'q1', terms, declinedBy: 'carla' }, 'carla'), facts({ ticket: { ...ticket, assigneeId: null } }), [['beto', 'quote-declined', 'quote-issuer']]],
  [
    'SLA warning: the assignee and the supervisors (not a deactivated one)',
    event('SlaWarningRecorded', { ticketId: 't1', targetId: '1.0', dueAt: '2026-11-17T16:00:00.000Z' }),
    facts(),
    [
      ['ana', 'sla-warning', 'assignee'],
      ['sara', 'sla-warning', 'supervisor'],
      ['quique', 'sla-warning', 'supervisor'],
      ['omar', 'sla-warning', 'supervisor'],
    ],
  ],
  [
    'SLA breach at level 1: assignee, the quality lead named for level 2 (a supervisor too, told once), the supervisors',
    event('SlaBreachRecorded', { ticketId: 't1', targetId: '1.0', dueAt: '2026-11-17T16:00:00.000Z', targetMinutes: 480 }),
    facts({ people: [ana, sara, quique, carla] }),
    [
      ['ana', 'sla-breach', 'assignee'],
      ['quique', 'sla-breach', 'escalation-contact'],
      ['sara', 'sla-breach', 'supervisor'],
    ],
  ],
  [
    'SLA breach at level 2: the next level is the operations manager, named for level 3',
    event('SlaBreachRecorded', { ticketId: 't1', targetId: '1.1', dueAt: '2026-11-17T16:00:00.000Z' }),
    facts({ ticket: { ...ticket, escalationLevel: 2 }, people: [ana, omar, person('lead', { roles: ['agent'] })], escalation: { levels: facts().escalation.levels, contacts: { 3: ['omar', 'lead'] } } }),
    [
      ['ana', 'sla-breach', 'assignee'],
      ['omar', 'sla-breach', 'escalation-contact'],
      ['lead', 'sla-breach', 'escalation-contact'],
    ],
  ],
  [
    'SLA breach with nobody named for the next level: the supervisors stand in',
    event('SlaBreachRecorded', { ticketId: 't1', targetId: '1.0' }),
    facts({ people: [ana, sara], escalation: { levels: [{ level: 1, name: 'a' }, { level: 2, name: 'b' }], contacts: {} } }),
    [
      ['ana', 'sla-breach', 'assignee'],
      ['sara', 'sla-breach', 'supervisor'],
    ],
  ],
  ['awaiting customer: the reporter', event('CustomerInfoRequested', { ticketId: 't1', question: '¿Qué versión?' }, 'ana'), facts(), [['ciro', 'awaiting-customer', 'reporter']]],
  [
    'awaiting customer, ticket opened by staff: the approvers',
    event('CustomerInfoRequested', { ticketId: 't1', question: '?' }, 'ana'),
    facts({ ticket: { ...ticket, reporterId: 'ana', openedByRole: 'agent' } }),
    [['carla', 'awaiting-customer', 'approver']],
  ],
  [
    'awaiting customer, reporter known only by token: the reporter (console)',
    event('CustomerInfoRequested', { ticketId: 't1', question: '?' }, 'ana'),
    facts({ ticket: { ...ticket, reporterId: 'cli-token' } }),
    [['cli-token', 'awaiting-customer', 'reporter']],
  ],
  ['contact attempt: the reporter', event('ContactAttemptRecorded', { ticketId: 't1', attempt: 2, channel: 'phone', note: 'no contestó', closeAfter: '2026-11-20T00:00:00.000Z' }, 'ana'), facts(), [['ciro', 'contact-attempt', 'reporter']]],
  [
    'auto-close for no response: the reporter and the assignee',
    event('TicketClosed', { ticketId: 't1', reason: 'no-customer-response', resolution: 'sin respuesta', automatic: true }),
    facts(),
    [
      ['ciro', 'ticket-auto-closed', 'reporter'],
      ['ana', 'ticket-auto-closed', 'assignee'],
    ],
  ],
  ['closing by staff: nobody', event('TicketClosed', { ticketId: 't1', reason: 'resolved', automatic: false }, 'ana'), facts(), []],
  [
    'policy crosses 80%: approvers and finance',
    event('MinutesDeducted', { policyId: 'p1', customerId: 'acme', minutes: 60, minutesRemaining: 60 }, 'ana', 'policy-p1'),
    facts({ ticket: null, policy }),
    [
      ['carla', 'policy-usage-80', 'approver'],
      ['fina', 'policy-usage-80', 'finance'],
    ],
  ],
  ['policy below 80%: nobody', event('MinutesDeducted', { policyId: 'p1', minutes: 30, minutesRemaining: 90 }, 'ana', 'policy-p1'), facts({ ticket: null, policy }), []],
  ['policy already past 80%: nobody', event('MinutesDeducted', { policyId: 'p1', minutes: 10, minutesRemaining: 50 }, 'ana', 'policy-p1'), facts({ ticket: null, policy }), []],
  ['policy from 70% to 100% in one deduction: only the exhaustion speaks', event('MinutesDeducted', { policyId: 'p1', minutes: 90, minutesRemaining: 0 }, 'ana', 'policy-p1'), facts({ ticket: null, policy }), []],
  [
    'policy exhausted: approvers and finance',
    event('PolicyExhausted', { policyId: 'p1', minutesUsed: 300 }, 'ana', 'policy-p1'),
    facts({ ticket: null, policy }),
    [
      ['carla', 'policy-exhausted', 'approver'],
      ['fina', 'policy-exhausted', 'finance'],
    ],
  ],
  [
    'policy expiring in 30 days: approvers and finance',
    event('PolicyExpiryApproaching', { policyId: 'p1', validUntil: '2027-01-14', daysLeft: 30 }, 'system:scheduler', 'policy-p1'),
    facts({ ticket: null, policy }),
    [
      ['carla', 'policy-expiring', 'approver'],
      ['fina', 'policy-expiring', 'finance'],
    ],
  ],
  [
    "support suspended: the customer's active contacts",
    event('SupportSuspended', { customerId: 'acme', reason: 'abusive-language', endsAt: null }, 'sara', 'customer-acme'),
    facts({ ticket: null }),
    [
      ['carla', 'support-suspended', 'customer-contact'],
      ['ciro', 'support-suspended', 'customer-contact'],
    ],
  ],
  [
    'invitation: the invited person, even not yet active',
    event('UserInvited', { userId: 'newbie', invitationId: 'i1', expiresAt: '2026-11-23T16:00:00.000Z', invitedBy: 'adri' }, 'adri', 'user-newbie'),
    facts({ ticket: null }),
    [['newbie', 'user-invited', 'invitee']],
  ],
  [
    'invitation before the users view knows the person: the address from the event',
    event('UserInvited', { userId: 'u9', email: 'u9@example.test', name: 'U9', kind: 'staff', language: 'en', invitationId: 'i2' }, 'adri', 'user-u9'),
    facts({ ticket: null }),
    [['u9', 'user-invited', 'invitee']],
  ],
  [
    'invitation renewed: the invited person again, with the new link',
    event('InvitationRenewed', { userId: 'newbie', invitationId: 'i3', expiresAt: '2026-11-30T16:00:00.000Z', by: 'adri' }, 'adri', 'user-newbie'),
    facts({ ticket: null }),
    [['newbie', 'user-invited', 'invitee']],
  ],
  ['password reset: the account holder', event('PasswordResetRequested', { userId: 'ciro', requestId: 'r1', expiresAt: '2026-11-16T17:00:00.000Z' }, 'ciro', 'user-ciro'), facts({ ticket: null }), [['ciro', 'password-reset', 'account-holder']]],
  ['password reset of a deactivated account: nobody', event('PasswordResetRequested', { userId: 'gone', requestId: 'r2' }, null, 'user-gone'), facts({ ticket: null }), []],
  [
    'webhook disabled: the active admins',
    { id: 'webhook-disabled:w1:1', type: 'WebhookDisabled', streamId: 'webhook-w1', position: null, occurredAt: '2026-11-16T16:00:00.000Z', actor: 'system:webhooks', data: { webhookId: 'w1', url: 'https://erp.example/hook', consecutiveFailures: 5 } },
    facts({ ticket: null }),
    [['adri', 'webhook-disabled', 'admin']],
  ],
  ['an event that notifies nobody', event('TicketClassified', { ticketId: 't1' }, 'ana'), facts(), []],
];

describe('decideNotifications: who is told about what', () => {
  it.each(rows)('%s', (_title, e, f, expected) => {
    const decided = decideNotifications(e, f);
    expect(decided.map((d) => [d.recipientId, d.kind, d.reason])).toEqual(expected);
    for (const d of decided) {
      expect(d.notificationId).toBe(notificationIdOf(e.id, d.recipientId, d.kind));
      expect(d.cause).toEqual({ eventId: e.id, eventType: e.type, streamId: e.streamId, position: e.position, occurredAt: e.occurredAt, actor: e.actor });
    }
  });

  it('never tells a contact about another customer, whatever the facts hold', () => {
    // a globex contact slipped into acme's facts as reporter and approver
    const mixed = facts({ ticket: { ...ticket, reporterId: 'gus' }, people: [ana, { ...gina, customerId: 'globex' }, gus] });
    for (const e of [
      event('QuoteIssued', { ticketId: 't1', quoteId: 'q2', terms }, 'beto'),
      event('CustomerInfoRequested', { ticketId: 't1', question: '?' }, 'ana'),
      event('ContactAttemptRecorded', { ticketId: 't1', attempt: 1 }, 'ana'),
      event('TicketClosed', { ticketId: 't1', reason: 'no-customer-response', automatic: true }),
      event('SupportSuspended', { customerId: 'acme', reason: 'other' }, 'sara', 'customer-acme'),
    ]) {
      const decided = decideNotifications(e, mixed);
      expect(decided.filter((d) => d.recipientKind !== 'staff').map((d) => d.recipientId)).toEqual([]);
    }
    const policyFacts = facts({ ticket: null, policy, people: [gina, gus, fina] });
    expect(decideNotifications(event('PolicyExhausted', { policyId: 'p1' }, 'ana', 'policy-p1'), policyFacts).map((d) => d.recipientId)).toEqual(['fina']);
  });

  it('never sends a staff notice to a contact, even named as assignee', () => {
    const f = facts({ ticket: { ...ticket, assigneeId: 'carla' } });
    expect(decideNotifications(event('SlaWarningRecorded', { ticketId: 't1' }), f).map((d) => d.recipientId)).toEqual(['sara', 'quique', 'omar']);
  });

  it('derives the same ids for the same cause, recipient and kind (recording twice records once)', () => {
    const e = event('SlaWarningRecorded', { ticketId: 't1' });
    expect(decideNotifications(e, facts())).toEqual(decideNotifications(e, facts()));
    expect(notificationIdOf('e', 'ana', 'sla-warning')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(notificationIdOf('e', 'ana', 'sla-warning')).not.toBe(notificationIdOf('e', 'ana', 'sla-breach'));
    expect(notificationIdOf('e', 'ana', 'sla-warning')).not.toBe(notificationIdOf('e', 'sara', 'sla-warning'));
  });

  it('carries no secret and only what the templates need', () => {
    const [invite] = decideNotifications(event('UserInvited', { userId: 'newbie', invitationId: 'i1', expiresAt: 'x', token: 'SECRET' }, 'adri', 'user-newbie'), facts({ ticket: null }));
    expect(JSON.stringify(invite)).not.toContain('SECRET');
    const [attempt] = decideNotifications(event('ContactAttemptRecorded', { ticketId: 't1', attempt: 1, note: 'nota interna' }, 'ana'), facts());
    expect(JSON.stringify(attempt)).not.toContain('nota interna');
  });
});

describe('planEmail: how a notification reaches its recipient', () => {
  const prefs = (p: Partial<NotificationPreferences>): NotificationPreferences => ({ ...DEFAULT_PREFERENCES, ...p });
  type PlanRow = [title: string, kind: Parameters<typeof planEmail>[0], who: Pick<Person, 'email' | 'language'>, prefs: NotificationPreferences, emailEnabled: boolean, expected: { channel: string; suppressedReason: string | null; language: string }];
  const who = { email: 'x@example.test', language: null };
  const table: PlanRow[] = [
    ['no SMTP: console only', 'sla-warning', who, DEFAULT_PREFERENCES, false, { channel: 'none', suppressedReason: 'smtp-not-configured', language: 'es-MX' }],
    ['no address', 'sla-warning', { email: null, language: null }, DEFAULT_PREFERENCES, true, { channel: 'none', suppressedReason: 'no-address', language: 'es-MX' }],
    ['default: at once', 'ticket-assigned', who, DEFAULT_PREFERENCES, true, { channel: 'immediate', suppressedReason: null, language: 'es-MX' }],
    ['turned off', 'ticket-assigned', who, prefs({ email: { 'ticket-assigned': false } }), true, { channel: 'none', suppressedReason: 'preference-off', language: 'es-MX' }],
    ['an obligation cannot be turned off', 'quote-awaiting-authorization', who, prefs({ email: { 'quote-awaiting-authorization': false } }), true, { channel: 'immediate', suppressedReason: null, language: 'es-MX' }],
    ['digest: a non-urgent kind waits', 'customer-replied', who, prefs({ dailyDigest: true }), true, { channel: 'digest', suppressedReason: null, language: 'es-MX' }],
    ['digest: an urgent kind goes at once', 'sla-breach', who, prefs({ dailyDigest: true }), true, { channel: 'immediate', suppressedReason: null, language: 'es-MX' }],
    ['digest: an obligation goes at once', 'user-invited', who, prefs({ dailyDigest: true }), true, { channel: 'immediate', suppressedReason: null, language: 'es-MX' }],
    ["the account's language", 'sla-warning', { email: 'x@example.test', language: 'en' }, DEFAULT_PREFERENCES, true, { channel: 'immediate', suppressedReason: null, language: 'en' }],
    ['the preference over the account', 'sla-warning', { email: 'x@example.test', language: 'en' }, prefs({ language: 'es-CO' }), true, { channel: 'immediate', suppressedReason: null, language: 'es-CO' }],
  ];
  it.each(table)('%s', (_t, kind, person, p, enabled, expected) => {
    const plan = planEmail(kind, person, p, enabled, 'es-MX');
    expect({ channel: plan.email.channel, suppressedReason: plan.email.suppressedReason, language: plan.language }).toEqual(expected);
  });

  it('the mandatory kinds are the obligations', () => {
    expect([...MANDATORY_EMAIL_KINDS].sort()).toEqual(['password-reset', 'quote-awaiting-authorization', 'user-invited']);
  });
});
