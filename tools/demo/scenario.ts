/**
 * The demo's script: who does what, when, over the last three months. Pure planning (no I/O):
 * customers with their policies, and per ticket a story (a list of steps at increasing
 * instants, staff acting in office hours of the desk's business calendar, customers in the
 * day). The runner plays the steps of every ticket in global time order through the API and
 * decides at that moment what depends on the desk's answers (which policy an estimate draws
 * on, how many minutes are left); steps after `now` are never played, which is what leaves the
 * recent tickets open in their various states.
 */
import { DateTime } from 'luxon';
import type { BusinessCalendar } from '@helpdesk/calendar';
import type { Classification, PolicyPlan, Preset } from '@helpdesk/domain';
import type { Catalog, CompanyProfile, Issue, Urgency } from './catalog';
import { issuesFor } from './catalog';
import type { People, Person } from './people';
import type { Random } from './random';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ------------------------------------------------------------------ customers and policies

export interface PolicyPlanned {
  policyId: string;
  plan: PolicyPlan;
  startsOn: string;
  /** when finance registers it */
  registeredAt: number;
}

export interface CustomerPlanned {
  customerId: string;
  profile: CompanyProfile;
  supportLevel: number | null;
  /** relative share of the tickets */
  weight: number;
  policies: PolicyPlanned[];
  /** one of 'corporate in use', 'exhausted', ... (printed in the summary) */
  story: string;
}

/** policy stories: every stage of use appears; the other customers buy per event */
const POLICY_STORIES: Array<{ story: string; plan: PolicyPlan | null; startsDaysAgo?: number; renewal?: PolicyPlan; weight: number; level?: number }> = [
  { story: 'póliza Corporativa en uso', plan: 'corporate', startsDaysAgo: 240, weight: 4, level: 3 },
  { story: 'póliza Empresarial Plus con poco uso', plan: 'business-plus', startsDaysAgo: 150, weight: 2, level: 2 },
  { story: 'póliza Empresarial vencida y renovada', plan: 'business', startsDaysAgo: 385, renewal: 'business', weight: 3, level: 2 },
  { story: 'póliza Básica agotada', plan: 'basic', startsDaysAgo: 110, weight: 4 },
  { story: 'póliza Empresarial reciente', plan: 'business', startsDaysAgo: 45, weight: 2 },
  { story: 'póliza Básica que empieza el próximo mes', plan: 'basic', startsDaysAgo: -12, weight: 1 },
  { story: 'por evento', plan: null, weight: 3 },
  { story: 'por evento', plan: null, weight: 2 },
  { story: 'por evento', plan: null, weight: 2 },
  { story: 'por evento', plan: null, weight: 1 },
  { story: 'por evento', plan: null, weight: 1 },
  { story: 'por evento', plan: null, weight: 1 },
];

export function planCustomers(random: Random, catalog: Catalog, preset: Preset, zone: string, now: number): CustomerPlanned[] {
  const companies = [...catalog.companies];
  const chosen: CompanyProfile[] = [];
  while (chosen.length < POLICY_STORIES.length && companies.length > 0) chosen.push(companies.splice(random.int(0, companies.length - 1), 1)[0]);
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  return chosen.map((profile, i) => {
    const s = POLICY_STORIES[i];
    const policies: PolicyPlanned[] = [];
    if (s.plan) {
      const starts = today.minus({ days: s.startsDaysAgo! });
      // registered on its first day at 10:00 (a future one: five days ago)
      const registeredAt = (s.startsDaysAgo! >= 0 ? starts : today.minus({ days: 5 })).set({ hour: 10, minute: random.int(0, 59) }).toMillis();
      policies.push({ policyId: random.uuid(), plan: s.plan, startsOn: starts.toISODate()!, registeredAt });
      if (s.renewal) {
        // the year ran out 20 days ago; renewed the next day
        const renewed = starts.plus({ years: 1 });
        policies.push({ policyId: random.uuid(), plan: s.renewal, startsOn: renewed.toISODate()!, registeredAt: renewed.set({ hour: 11, minute: random.int(0, 59) }).toMillis() });
      }
    }
    const supportLevel = preset.hasSupportLevels ? (s.level ?? random.pick([1, 1, 1, 2])) : null;
    return { customerId: random.uuid(), profile, supportLevel, weight: s.weight, policies, story: s.story };
  });
}

// ------------------------------------------------------------------ steps

export type Step = { at: number; ticket: TicketPlanned } & (
  | { kind: 'open'; by: Person; receivedAt: number | null }
  | { kind: 'classify'; by: Person; value: Classification; reason: string | null }
  | { kind: 'assign'; by: Person; assignee: Person }
  | { kind: 'message'; by: Person; body: string; visibility: 'public' | 'internal' }
  | { kind: 'follow-up'; by: Person; note: string }
  | { kind: 'request-info'; by: Person; question: string }
  | { kind: 'contact-attempt'; by: Person; channel: 'phone' | 'email'; note: string }
  | { kind: 'escalate'; by: Person; reason: string }
  | { kind: 'quote'; by: Person; minutes: number; description: string; prefer: 'policy' | 'per-event'; supplementary: boolean }
  | { kind: 'authorize'; by: Person; decision: 'accept' | 'decline'; comment: string }
  /** `rest`: the last entry of its authorization, logging whatever the authorization has left */
  | { kind: 'work'; by: Person; minutes: number; description: string; onSite: boolean; rest: boolean }
  | { kind: 'close'; by: Person; reason: 'resolved' | 'no-customer-response' | 'out-of-scope' | 'duplicate' | 'declined'; resolution: string; duplicateOf: TicketPlanned | null }
  | { kind: 'reopen'; by: Person; reason: string }
);

/** a step before it is attached to its ticket */
export type StepInput = Step extends unknown ? (Step extends infer S ? (S extends unknown ? Omit<S, 'ticket'> : never) : never) : never;

export type StoryName =
  | 'resolved'
  | 'needs-info'
  | 'no-response'
  | 'policy-work'
  | 'per-event-work'
  | 'declined'
  | 'escalated'
  | 'reopened'
  | 'out-of-scope'
  | 'duplicate'
  | 'unattended';

export interface TicketPlanned {
  ticketId: string;
  customer: CustomerPlanned;
  reporter: Person;
  approver: Person;
  department: string;
  product: string | null;
  subject: string;
  description: string;
  stepsToReproduce: string | null;
  errorText: string | null;
  channel: 'portal' | 'email';
  reportedPriority: Classification | null;
  issue: Issue;
  story: StoryName;
  steps: Step[];
}

// ------------------------------------------------------------------ time

/**
 * Office hours of the desk's staff (09:00-18:00 on the business days of the desk's calendar)
 * and the customers' day (08:00-20:00), in the calendar's zone.
 */
export class DemoTime {
  readonly zone: string;
  constructor(
    private readonly calendar: BusinessCalendar,
    private readonly random: Random,
  ) {
    this.zone = calendar.spec.zone;
  }

  private local(ms: number): DateTime {
    return DateTime.fromMillis(ms, { zone: this.zone });
  }

  isBusinessDay(ms: number): boolean {
    return this.calendar.isBusinessDay(this.local(ms).toISODate()!);
  }

  /** the instant itself when in office hours, otherwise the next opening plus a few minutes */
  office(ms: number): number {
    let t = this.local(ms);
    for (let guard = 0; guard < 30; guard++) {
      if (this.calendar.isBusinessDay(t.toISODate()!)) {
        if (t.hour < 9) return t.set({ hour: 9, minute: this.random.int(0, 50), second: 0, millisecond: 0 }).toMillis();
        if (t.hour < 18) return t.set({ second: 0, millisecond: 0 }).toMillis();
      }
      t = t.plus({ days: 1 }).set({ hour: 0, minute: 0, second: 0, millisecond: 0 });
    }
    throw new Error('no business day within 30 days');
  }

  /** `minutes` later, moved into office hours */
  staffAfter(ms: number, minutes: number): number {
    return this.office(ms + minutes * MINUTE);
  }

  /** `n` business days later, between 09:30 and 13:00 */
  businessDaysLater(ms: number, n: number): number {
    let t = this.local(ms);
    for (let k = 0; k < n; ) {
      t = t.plus({ days: 1 });
      if (this.calendar.isBusinessDay(t.toISODate()!)) k++;
    }
    return t.set({ hour: 9, minute: 30, second: 0, millisecond: 0 }).toMillis() + this.random.int(0, 210) * MINUTE;
  }

  /** `minutes` later, moved into the customers' day (weekends mostly wait for Monday) */
  customerAfter(ms: number, minutes: number): number {
    let t = this.local(ms + minutes * MINUTE);
    if (t.hour < 8) t = t.set({ hour: 8, minute: this.random.int(0, 59) });
    else if (t.hour >= 20) t = t.plus({ days: 1 }).set({ hour: 8, minute: this.random.int(0, 59) });
    if (t.weekday >= 6 && this.random.chance(0.7)) t = t.plus({ days: 8 - t.weekday }).set({ hour: 9, minute: this.random.int(0, 59) });
    return t.set({ second: 0, millisecond: 0 }).toMillis();
  }

  /** an opening instant in [from, to): mostly office hours, some evenings and weekends */
  openingBetween(from: number, to: number): number {
    for (let guard = 0; guard < 50; guard++) {
      const ms = from + Math.floor(this.random.next() * (to - from));
      const t = this.local(ms);
      const office = this.isBusinessDay(ms) && t.hour >= 8 && t.hour < 19;
      if (office || this.random.chance(0.12)) return t.set({ second: 0, millisecond: 0 }).toMillis();
    }
    return this.office(from);
  }

  localDate(ms: number): string {
    return this.local(ms).toISODate()!;
  }
}

// ------------------------------------------------------------------ tickets

/** the preset's class of a problem of this urgency */
export function classOf(preset: Preset, urgency: Urgency, random: Random): Classification {
  if (preset.scheme === 'priority') return urgency;
  if (urgency === 'high') return random.chance(0.7) ? 1 : 2;
  if (urgency === 'medium') return random.chance(0.6) ? 2 : 3;
  return random.chance(0.8) ? 4 : 3;
}

/** one step more urgent (or the same when none is) */
export function moreUrgent(preset: Preset, c: Classification): Classification {
  if (preset.scheme === 'priority') return c === 'low' ? 'medium' : 'high';
  return Math.max(1, (c as number) - 1) as Classification;
}

const STORY_WEIGHTS: Record<StoryName, number> = {
  resolved: 30,
  'needs-info': 12,
  'no-response': 5,
  'policy-work': 15,
  'per-event-work': 10,
  declined: 4,
  escalated: 8,
  reopened: 6,
  'out-of-scope': 3,
  duplicate: 3,
  unattended: 2,
};

export interface ScenarioInput {
  random: Random;
  preset: Preset;
  catalog: Catalog;
  people: People;
  customers: CustomerPlanned[];
  time: DemoTime;
  now: number;
  /** the window the tickets open in */
  days: number;
  tickets: number;
}

/** Plans every ticket: its content and its story; returns the tickets with their steps. */
export function planTickets(input: ScenarioInput): TicketPlanned[] {
  const { random, preset, catalog, people, customers, time, now } = input;
  const from = now - input.days * DAY;
  const products = preset.products.filter((p) => p.endOfLife === null || p.endOfLife >= time.localDate(now)).map((p) => p.id);
  const otherDepartments = preset.departments.map((d) => d.id).filter((d) => d !== 'support');
  const usedSubjects = new Map<string, Set<string>>();
  const customerWeights = Object.fromEntries(customers.map((c, i) => [String(i), c.weight])) as Record<string, number>;
  const tickets: TicketPlanned[] = [];
  const builder = new StoryBuilder(input);

  const newTicket = (customer: CustomerPlanned, story: StoryName, content?: { issue: Issue; department: string; product: string | null }): TicketPlanned => {
    const contacts = people.contacts.get(customer.customerId)!;
    const department = content?.department ?? (random.chance(0.85) || otherDepartments.length === 0 ? 'support' : random.pick(otherDepartments));
    const product = content ? content.product : department === 'support' && products.length > 0 ? random.pick(products) : null;
    const issue = content?.issue ?? random.pick(issuesFor(catalog, department, product));
    const used = usedSubjects.get(customer.customerId) ?? new Set<string>();
    usedSubjects.set(customer.customerId, used);
    // one ticket per topic: every subject of a customer names its site, area or device
    let subject = `${issue.subject} (${random.pick(customer.profile.places)})`;
    for (let n = 2; used.has(subject); n++) subject = `${issue.subject} (${random.pick(customer.profile.places)}, ${n})`;
    used.add(subject);
    const reported = random.chance(0.5) ? (random.chance(0.3) ? moreUrgent(preset, classOf(preset, issue.urgency, random)) : classOf(preset, issue.urgency, random)) : null;
    return {
      ticketId: random.uuid(),
      customer,
      reporter: random.pick(contacts),
      approver: contacts[0],
      department,
      product,
      subject,
      description: issue.description,
      stepsToReproduce: issue.stepsToReproduce ?? null,
      errorText: issue.errorText ?? null,
      channel: random.chance(preset.name === 'intecnia' ? 0.3 : 0.1) ? 'email' : 'portal',
      reportedPriority: reported,
      issue,
      story,
      steps: [],
    };
  };

  const pickCustomer = (needsPolicy: boolean): CustomerPlanned => {
    if (needsPolicy) {
      const withPolicy = customers.filter((c) => c.policies.length > 0);
      return random.pick(withPolicy.flatMap((c) => Array(c.weight).fill(c) as CustomerPlanned[]));
    }
    return customers[Number(random.weighted(customerWeights))];
  };

  // a few stories at fixed distances from now, so that every state is there whatever the size
  const fixed: Array<{ story: StoryName; daysAgo: number; stopAfter?: Step['kind']; stopCount?: number; customer?: string; quoteMinutes?: number }> = [
    // the basic policy is used up: an estimate of everything it has left, worked in full
    { story: 'policy-work', daysAgo: 50, customer: 'póliza Básica agotada', quoteMinutes: 300 },
    { story: 'unattended', daysAgo: 4 },
    { story: 'needs-info', daysAgo: 3, stopAfter: 'request-info' },
    { story: 'escalated', daysAgo: 5, stopAfter: 'escalate' },
    { story: 'policy-work', daysAgo: 2, stopAfter: 'quote' },
    { story: 'per-event-work', daysAgo: 6, stopAfter: 'work', stopCount: 1 },
    { story: 'reopened', daysAgo: 12, stopAfter: 'reopen' },
    { story: 'no-response', daysAgo: 25 },
    { story: 'per-event-work', daysAgo: 30 },
    { story: 'policy-work', daysAgo: 40 },
    { story: 'declined', daysAgo: 20 },
    { story: 'duplicate', daysAgo: 15 },
  ];
  for (const f of fixed.slice(0, Math.min(fixed.length, input.tickets))) {
    const customer = customers.find((c) => c.story === f.customer) ?? pickCustomer(f.story === 'policy-work');
    const t = newTicket(customer, f.story);
    builder.build(t, time.office(now - f.daysAgo * DAY), tickets, { quoteMinutes: f.quoteMinutes });
    if (f.stopAfter) {
      let seen = 0;
      const cut = t.steps.findIndex((s) => s.kind === f.stopAfter && ++seen === (f.stopCount ?? 1));
      if (cut >= 0) t.steps = t.steps.slice(0, cut + 1);
    }
    tickets.push(t);
  }

  while (tickets.length < input.tickets) {
    let story = random.weighted(STORY_WEIGHTS);
    const openAt = time.openingBetween(from, now - 30 * MINUTE);
    // nobody leaves a ticket unattended for weeks: only recent ones are
    if (story === 'unattended' && openAt < now - 10 * DAY) story = 'resolved';
    if (story === 'out-of-scope') {
      const o = random.pick(catalog.outOfScope);
      const customer = pickCustomer(false);
      const t = newTicket(customer, story, {
        issue: { ...catalog.issues.general[0], subject: o.subject, description: o.description, resolution: o.resolution, urgency: 'low' },
        department: 'support',
        product: null,
      });
      t.subject = `${o.subject} (${random.pick(customer.profile.places)})`;
      builder.build(t, openAt, tickets);
      tickets.push(t);
      continue;
    }
    const t = newTicket(pickCustomer(story === 'policy-work'), story);
    builder.build(t, openAt, tickets);
    tickets.push(t);
  }
  return tickets;
}

/** Writes the steps of one ticket's story. */
class StoryBuilder {
  private readonly r: Random;
  constructor(private readonly input: ScenarioInput) {
    this.r = input.random;
  }

  private agent(): Person {
    return this.r.pick(this.input.people.agents);
  }

  private say(template: string, to: Person): string {
    return template.replace(/\{name\}/g, to.name.split(' ')[0]);
  }

  build(t: TicketPlanned, openAt: number, earlier: TicketPlanned[], options: { quoteMinutes?: number } = {}): void {
    const { preset, catalog, people, time } = this.input;
    const r = this.r;
    const steps: Step[] = [];
    const add = (s: StepInput) => {
      const last = steps[steps.length - 1];
      steps.push({ ...s, ticket: t, at: last && s.at < last.at ? last.at : s.at } as Step);
      return steps[steps.length - 1].at;
    };
    const engineer = this.agent();
    const supervisor = people.supervisors[0];
    const cat = catalog;
    const issue = t.issue;

    // opening: the portal, or an e-mail an engineer imports (its clock starts when it arrived)
    let at = openAt;
    if (t.channel === 'email') {
      const importedAt = time.staffAfter(openAt, r.int(5, 90));
      add({ kind: 'open', by: engineer, receivedAt: openAt, at: importedAt });
      at = importedAt;
    } else {
      add({ kind: 'open', by: t.reporter, receivedAt: null, at });
    }
    if (t.story === 'unattended') {
      // nobody answers: the customer asks for a follow-up the next day
      add({ kind: 'follow-up', by: t.reporter, note: r.pick(cat.customerFollowUps), at: time.customerAfter(at, r.int(60 * 18, 60 * 26)) });
      t.steps = steps;
      return;
    }

    // triage: assignment, and most of the time a classification by staff (which may confirm
    // the default or the reporter's class: it is recorded either way)
    // urgent problems are picked up and answered faster
    const urgent = issue.urgency === 'high';
    at = add({ kind: 'assign', by: r.chance(0.5) ? supervisor : engineer, assignee: engineer, at: time.staffAfter(at, urgent ? r.int(3, 25) : r.int(5, 120)) });
    if (r.chance(0.7)) {
      const value = classOf(preset, issue.urgency, r);
      add({ kind: 'classify', by: engineer, value, reason: r.chance(0.4) ? 'Clasificado según la guía de impacto.' : null, at: time.staffAfter(at, r.int(1, 20)) });
    }

    // first response: usually within the target, sometimes days late (the SLA breaches)
    const late = t.story === 'escalated' || r.chance(0.12);
    const responseAt = late ? time.businessDaysLater(at, r.int(1, 3)) : time.staffAfter(at, urgent ? r.int(3, 30) : r.int(5, 150));
    if (t.story === 'escalated') {
      // the customer first asks for a follow-up (after the 40 minutes), then escalates
      add({ kind: 'follow-up', by: t.reporter, note: r.pick(cat.customerFollowUps), at: time.customerAfter(at, r.int(60 * 3, 60 * 8)) });
      const escalateAt = time.customerAfter(at, r.int(20, 36) * 60);
      add({ kind: 'escalate', by: t.reporter, reason: r.pick(cat.escalationReasons), at: Math.min(escalateAt, responseAt - 30 * MINUTE) });
      at = add({ kind: 'assign', by: supervisor, assignee: supervisor, at: time.staffAfter(responseAt, -20) });
      at = add({ kind: 'message', by: supervisor, body: `${this.say(r.pick(cat.lateApologies), t.reporter)} ${r.pick(cat.supervisorNotes)}`, visibility: 'public', at: responseAt });
    } else {
      at = add({ kind: 'message', by: engineer, body: this.say(r.pick(late ? cat.lateApologies : cat.firstResponses), t.reporter), visibility: 'public', at: responseAt });
    }
    if (r.chance(0.3)) at = add({ kind: 'message', by: engineer, body: r.pick(cat.internalNotes), visibility: 'internal', at: time.staffAfter(at, r.int(10, 90)) });

    const closeResolved = (from: number, by: Person = engineer) => {
      const msgAt = time.staffAfter(from, r.int(60, 60 * 24));
      add({ kind: 'message', by, body: `${this.say(r.pick(cat.closingMessages), t.reporter)}\n\n${issue.resolution}`, visibility: 'public', at: msgAt });
      return add({ kind: 'close', by, reason: 'resolved', resolution: issue.resolution, duplicateOf: null, at: time.staffAfter(msgAt, r.int(2, 30)) });
    };

    const billable = (from: number, prefer: 'policy' | 'per-event', declines: boolean): number => {
      const perEventMinutes = preset.name === 'intecnia' ? 60 : r.pick([60, 90, 120, 180]);
      const minutes = options.quoteMinutes ?? (prefer === 'per-event' ? perEventMinutes : r.pick([60, 90, 120, 180, 240]));
      let t0 = add({ kind: 'quote', by: engineer, minutes, description: issue.quote, prefer, supplementary: false, at: time.staffAfter(from, r.int(30, 240)) });
      t0 = add({ kind: 'authorize', by: t.approver, decision: declines ? 'decline' : 'accept', comment: r.pick(declines ? cat.declineComments : cat.acceptComments), at: time.customerAfter(t0, r.int(30, 60 * 20)) });
      if (declines) {
        return add({ kind: 'close', by: engineer, reason: 'declined', resolution: 'El cliente no autorizó la cotización; se cierra el caso sin trabajo facturable.', duplicateOf: null, at: time.staffAfter(t0, r.int(30, 240)) });
      }
      const entries = r.int(1, Math.min(3, issue.work.length + 1));
      const each = Math.max(15, Math.floor(minutes / entries / 15) * 15);
      for (let k = 0; k < entries; k++) {
        t0 = time.staffAfter(t0, r.int(60, 60 * 24));
        add({ kind: 'work', by: engineer, minutes: each, description: issue.work[k % issue.work.length], onSite: preset.name === 'intecnia' && r.chance(0.3), rest: k === entries - 1, at: t0 });
      }
      if (r.chance(0.12)) {
        // more work than authorized: a supplementary quote first
        t0 = add({ kind: 'quote', by: engineer, minutes: 60, description: `Trabajo adicional: ${issue.quote.toLowerCase()}`, prefer, supplementary: true, at: time.staffAfter(t0, r.int(30, 120)) });
        t0 = add({ kind: 'authorize', by: t.approver, decision: 'accept', comment: r.pick(cat.acceptComments), at: time.customerAfter(t0, r.int(30, 600)) });
        add({ kind: 'work', by: engineer, minutes: 60, description: issue.work[issue.work.length - 1], onSite: false, rest: true, at: time.staffAfter(t0, r.int(60, 600)) });
      }
      return steps[steps.length - 1].at;
    };

    switch (t.story) {
      case 'resolved':
      case 'escalated':
        if (r.chance(0.15)) at = add({ kind: 'follow-up', by: t.reporter, note: r.pick(cat.customerFollowUps), at: time.customerAfter(at, r.int(60, 60 * 24)) });
        else if (r.chance(0.15)) at = add({ kind: 'message', by: t.reporter, body: r.pick(cat.customerFollowUps), visibility: 'public', at: time.customerAfter(at, r.int(60, 60 * 24)) });
        closeResolved(at, t.story === 'escalated' ? supervisor : engineer);
        break;
      case 'needs-info': {
        at = add({ kind: 'request-info', by: engineer, question: issue.question, at: time.staffAfter(at, r.int(5, 60)) });
        const answerAt = time.customerAfter(at, r.int(60, 60 * 48));
        // a reminder by phone the next business day when the answer takes long
        if (answerAt - at > DAY) add({ kind: 'contact-attempt', by: engineer, channel: 'phone', note: r.pick(cat.contactNotes.phone), at: time.businessDaysLater(at, 1) });
        at = add({ kind: 'message', by: t.reporter, body: issue.answer, visibility: 'public', at: answerAt });
        closeResolved(at);
        break;
      }
      case 'no-response': {
        at = add({ kind: 'request-info', by: engineer, question: issue.question, at: time.staffAfter(at, r.int(5, 60)) });
        // three attempts on three business days; the scheduler closes once the announced wait is over
        for (const channel of ['phone', 'email', 'phone'] as const) {
          at = add({ kind: 'contact-attempt', by: engineer, channel, note: r.pick(cat.contactNotes[channel]), at: time.businessDaysLater(at, 1) });
        }
        break;
      }
      case 'policy-work':
        closeResolved(billable(at, 'policy', false));
        break;
      case 'per-event-work':
        closeResolved(billable(at, 'per-event', false));
        break;
      case 'declined':
        billable(at, r.chance(0.5) ? 'policy' : 'per-event', true);
        break;
      case 'reopened': {
        at = closeResolved(at);
        at = add({ kind: 'reopen', by: t.reporter, reason: r.pick(cat.reopenReasons), at: time.customerAfter(at, r.int(60 * 20, 60 * 24 * 4)) });
        at = add({ kind: 'message', by: engineer, body: this.say(r.pick(cat.firstResponses), t.reporter), visibility: 'public', at: time.staffAfter(at, r.int(10, 120)) });
        closeResolved(at);
        break;
      }
      case 'out-of-scope':
        add({ kind: 'close', by: engineer, reason: 'out-of-scope', resolution: issue.resolution, duplicateOf: null, at: time.staffAfter(at, r.int(2, 30)) });
        break;
      case 'duplicate': {
        // another contact reports the same problem again, in other words: the engineer closes
        // it as a duplicate of the first ticket
        const contacts = this.input.people.contacts.get(t.customer.customerId)!;
        const other = contacts.find((c) => c.id !== t.reporter.id) ?? t.reporter;
        const dup: TicketPlanned = {
          ...t,
          ticketId: r.uuid(),
          reporter: other,
          subject: `Seguimos sin servicio: ${t.subject.charAt(0).toLowerCase()}${t.subject.slice(1)}`,
          description: `Reporto de nuevo: ${t.description}`,
          channel: 'portal',
          reportedPriority: null,
          story: 'duplicate',
          steps: [],
        };
        const dupOpen = time.customerAfter(openAt, r.int(60, 60 * 6));
        dup.steps.push({ kind: 'open', by: other, receivedAt: null, at: dupOpen, ticket: dup });
        const closeAt = time.staffAfter(dupOpen, r.int(10, 120));
        dup.steps.push({ kind: 'close', by: engineer, reason: 'duplicate', resolution: cat.duplicateResolution, duplicateOf: t, at: closeAt, ticket: dup });
        earlier.push(dup);
        closeResolved(at);
        break;
      }
    }
    t.steps = steps;
  }
}
