/**
 * Fills an empty desk with the demo (see tools/demo.ts): builds the real API application on
 * the given stores with a decision clock, registers the customers and their policies, seeds
 * the people, then plays every ticket's steps in time order through HTTP (in process), running
 * the scheduler every simulated hour so that SLA warnings and breaches, automatic escalations,
 * closings for no response and policy expiry are recorded when they happened. The in-process
 * projector keeps the read models filled as it goes; at the end they include everything.
 */
import { CommandPipeline } from '@helpdesk/application';
import {
  Classification,
  PolicyState,
  TicketState,
  createTicketRules,
  maxEscalationLevel,
  minutesRemaining,
  pendingQuote,
  policyDecider,
  policyStatusAt,
} from '@helpdesk/domain';
import type { EventStore } from '@helpdesk/event-store';
import type { ReadStore } from '@helpdesk/read-store';
import { createApp } from '../../apps/api/src/app';
import { TicketDeciderProvider } from '../../apps/api/src/application/handlers';
import type { AppConfig } from '../../apps/api/src/config';
import { catalogFor, type Catalog } from './catalog';
import { DemoClock, DeskClient, DeskRefusal } from './desk-client';
import { seedPeople, signInDetails, type People, type Person, type SignInDetail } from './people';
import { Random } from './random';
import { DemoTime, moreUrgent, planCustomers, planTickets, type CustomerPlanned, type Step, type TicketPlanned } from './scenario';

export interface DemoOptions {
  /** tickets over the window (default 300) */
  tickets?: number;
  /** the same seed gives the same desk (default 2026) */
  seed?: number;
  /** the end of the window (default: now, to the minute) */
  now?: number;
  /** days the tickets open in, ending at `now` (default 91: the last three months) */
  days?: number;
  /** simulated minutes between scheduler passes (default 60) */
  tickMinutes?: number;
  /** the password of every demo user (default: a random one) */
  password?: string;
  /** progress lines */
  log?: (line: string) => void;
}

export interface DemoResult {
  preset: string;
  from: string;
  to: string;
  customers: Array<{ customerId: string; name: string; supportLevel: number | null; story: string; policies: Array<{ policyId: string; plan: string; startsOn: string; status: string; minutesRemaining: number }> }>;
  tickets: number;
  commands: number;
  /** steps not played because the desk's state made them moot (e.g. a closed ticket) */
  skipped: number;
  schedulerPasses: number;
  recordedByScheduler: { warnings: number; breaches: number; autoClosed: number; policiesExpired: number };
  /** tickets in the read models at the end, by what they show */
  states: Record<string, number>;
  events: number;
  signIn: SignInDetail[];
  /** the password of every demo user */
  password: string;
  seconds: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export async function runDemo(deps: { config: AppConfig; events: EventStore; views: ReadStore }, options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const preset = deps.config.preset;
  const rules = createTicketRules(preset);
  const catalog = catalogFor(preset);
  const random = new Random(options.seed ?? 2026);
  const now = Math.floor((options.now ?? Date.now()) / MINUTE) * MINUTE;
  const days = options.days ?? 91;
  const tickMs = (options.tickMinutes ?? 60) * MINUTE;
  const time = new DemoTime(rules.calendar(preset.contactAttempts.calendarId), random);

  const customers = planCustomers(random, catalog, preset, time.zone, now);
  const firstInstant = Math.min(...customers.flatMap((c) => c.policies.map((p) => p.registeredAt)), now - days * 24 * HOUR) - 30 * 24 * HOUR;
  const clock = new DemoClock(firstInstant);
  // the demo runs the projector in this process whatever PROJECTOR says (the scheduler reads
  // the views), and sends no e-mail: its people are fiction, their invitation links are used at once
  const config: AppConfig = {
    ...deps.config,
    projector: 'in-process',
    schedulerIntervalMs: 3_600_000,
    identity: { ...deps.config.identity, smtpUrl: null },
  };
  const app = await createApp({ config, events: deps.events, views: deps.views, clock }, { logger: false });
  const desk = new DeskClient(app, clock, config.jwtSecret);
  const pipeline = app.get(CommandPipeline);
  const ticketDecider = app.get(TicketDeciderProvider).decider;
  try {
    // the people and the company's customers, a month before anything else happens
    const people = await seedPeople(desk, {
      catalog,
      random,
      password: options.password,
      customers: customers.map((c) => ({ customerId: c.customerId, domain: c.profile.domain })),
      registerCustomers: async (admin) => {
        for (const c of customers) {
          await desk.post(admin, '/customers', { customerId: c.customerId, name: c.profile.name, ...(c.supportLevel !== null ? { supportLevel: c.supportLevel } : {}) });
        }
      },
    });
    log(`${customers.length} customers registered; people: ${people.agents.length} agents, ${people.supervisors.length} supervisor(s), auditor, finance, admin, ${[...people.contacts.values()].flat().length} contacts`);

    const tickets = planTickets({ random, preset, catalog, people, customers, time, now, days, tickets: options.tickets ?? 300 });
    type Agenda = { at: number; seq: number; run: () => Promise<void> };
    const agenda: Agenda[] = [];
    let seq = 0;
    for (const c of customers) {
      for (const p of c.policies) {
        agenda.push({
          at: p.registeredAt,
          seq: seq++,
          run: async () => {
            await desk.post(people.finance, '/policies', { policyId: p.policyId, customerId: c.customerId, plan: p.plan, startsOn: p.startsOn });
          },
        });
      }
    }
    const player = new StepPlayer(desk, pipeline, ticketDecider, preset, catalog, people, time);
    for (const t of tickets) for (const s of t.steps) if (s.at <= now) agenda.push({ at: s.at, seq: seq++, run: () => player.play(s) });
    agenda.sort((a, b) => a.at - b.at || a.seq - b.seq);

    // play, with a scheduler pass every tickMs of simulated time (from the start of the window)
    const report = { warnings: 0, breaches: 0, autoClosed: 0, policiesExpired: 0 };
    let passes = 0;
    let nextTick = Math.ceil((now - days * 24 * HOUR) / tickMs) * tickMs;
    const tickUntil = async (until: number) => {
      while (nextTick <= until) {
        clock.set(nextTick);
        const r = await desk.tick();
        passes++;
        report.warnings += r.warnings;
        report.breaches += r.breaches;
        report.autoClosed += r.autoClosed;
        report.policiesExpired += r.policiesExpired;
        nextTick += tickMs;
      }
    };
    let done = 0;
    for (const item of agenda) {
      await tickUntil(item.at);
      clock.set(item.at);
      await item.run();
      if (++done % 500 === 0) log(`  ${done}/${agenda.length} steps played (${new Date(item.at).toISOString().slice(0, 10)})`);
    }
    await tickUntil(now);
    clock.set(now);
    const last = await desk.tick();
    passes++;
    report.warnings += last.warnings;
    report.breaches += last.breaches;
    report.autoClosed += last.autoClosed;
    report.policiesExpired += last.policiesExpired;
    await desk.caughtUp();
    log(`${agenda.length} steps played (${player.skipped} moot), ${passes} scheduler passes`);

    const customerName = (id: string) => customers.find((c) => c.customerId === id)?.profile.name ?? id;
    const nowIso = new Date(now).toISOString();
    const result: DemoResult = {
      preset: `${preset.name} ${preset.version}`,
      from: new Date(now - days * 24 * HOUR).toISOString(),
      to: nowIso,
      customers: await Promise.all(customers.map((c) => customerSummary(pipeline, c, nowIso))),
      tickets: tickets.length,
      commands: desk.commands,
      skipped: player.skipped,
      schedulerPasses: passes,
      recordedByScheduler: report,
      states: await ticketStates(deps.views, nowIso),
      events: Number(await deps.events.headPosition()),
      signIn: signInDetails(people, config.jwtSecret, customerName),
      password: people.password,
      seconds: (Date.now() - started) / 1000,
    };
    return result;
  } finally {
    // closes the app, which closes both stores
    await app.close();
  }
}

async function customerSummary(pipeline: CommandPipeline, c: CustomerPlanned, nowIso: string): Promise<DemoResult['customers'][number]> {
  const policies = [];
  for (const p of c.policies) {
    const s = (await pipeline.load<PolicyState, never>(`policy-${p.policyId}`, policyDecider as never)).state;
    policies.push({ policyId: p.policyId, plan: p.plan, startsOn: p.startsOn, status: policyStatusAt(s, nowIso), minutesRemaining: minutesRemaining(s) });
  }
  return { customerId: c.customerId, name: c.profile.name, supportLevel: c.supportLevel, story: c.story, policies };
}

/** how the tickets look in the read models at the end */
async function ticketStates(views: ReadStore, nowIso: string): Promise<Record<string, number>> {
  type Doc = { _id: string; status: string; slaBreached: boolean; responseDueAt: string | null; respondedAt: string | null; escalationLevel: number; paused: boolean; state: TicketState; classificationSource: string | null };
  const docs = await views.find<Doc>('tickets', {});
  const count = (pred: (d: Doc) => boolean) => docs.filter(pred).length;
  const open = (d: Doc) => d.status !== 'closed';
  return {
    total: docs.length,
    open: count((d) => d.status === 'open'),
    'awaiting-customer (paused)': count((d) => d.status === 'awaiting-customer'),
    closed: count((d) => d.status === 'closed'),
    'breached, still unanswered': count((d) => open(d) && d.respondedAt === null && d.responseDueAt !== null && d.responseDueAt <= nowIso),
    'breach recorded (any time)': count((d) => d.slaBreached || d.state.previousCycles.some((c) => c.breachRecorded)),
    'escalated, open': count((d) => open(d) && d.escalationLevel > 1),
    'escalated (any time)': count((d) => d.escalationLevel > 1),
    'quote awaiting the customer': count((d) => open(d) && pendingQuote(d.state.billing) !== null),
    'authorized, work in progress': count((d) => open(d) && d.state.billing.authorizationOrder.length > 0),
    'quote declined': count((d) => Object.values(d.state.billing.quotes).some((q) => q.status === 'declined')),
    'reopened (any time)': count((d) => d.state.reopenCount > 0),
    'reopened, open': count((d) => open(d) && d.state.reopenCount > 0),
    'closed for no customer response': count((d) => d.state.closeReason === 'no-customer-response'),
    'with per-event charges': count((d) => Object.values(d.state.billing.workLogs).some((w) => w.chargeMinor !== null)),
    'with policy deductions': count((d) => Object.values(d.state.billing.workLogs).some((w) => w.policyId !== null)),
    'classified by staff': count((d) => d.classificationSource === 'staff'),
    'carrying the default class': count((d) => d.classificationSource === 'default'),
  };
}

/**
 * Plays one step through the API, deciding at that moment what depends on the desk's state
 * (read from the command side, as the handlers read it): which quote is pending, how much an
 * authorization and a policy have left, whether the ticket is still open. A step the state
 * makes moot (the scheduler closed the ticket meanwhile, a policy ran out) is skipped; any
 * other refusal is a bug in the script and stops the demo.
 */
class StepPlayer {
  skipped = 0;
  private purchaseOrders = 0;

  constructor(
    private readonly desk: DeskClient,
    private readonly pipeline: CommandPipeline,
    private readonly decider: TicketDeciderProvider['decider'],
    private readonly preset: AppConfig['preset'],
    private readonly catalog: Catalog,
    private readonly people: People,
    private readonly time: DemoTime,
  ) {}

  private async ticket(id: string): Promise<TicketState> {
    return (await this.pipeline.load<TicketState, never>(`ticket-${id}`, this.decider as never)).state;
  }

  private async policy(id: string): Promise<PolicyState> {
    return (await this.pipeline.load<PolicyState, never>(`policy-${id}`, policyDecider as never)).state;
  }

  private skip(): void {
    this.skipped++;
  }

  async play(step: Step): Promise<void> {
    try {
      await this.playStep(step);
    } catch (err) {
      if (err instanceof DeskRefusal) throw new Error(`demo step ${step.kind} of ticket ${step.ticket.ticketId} (${step.ticket.story}) at ${new Date(step.at).toISOString()}: ${err.message}`);
      throw err;
    }
  }

  private async playStep(step: Step): Promise<void> {
    const t = step.ticket;
    const path = `/tickets/${t.ticketId}`;
    if (step.kind === 'open') return this.open(t, step.by, step.receivedAt);
    const state = await this.ticket(t.ticketId);
    if (state.status === null) return this.skip();
    if (step.kind === 'reopen') {
      if (state.status !== 'closed') return this.skip();
      await this.desk.post(step.by, `${path}/reopen`, { reason: step.reason });
      return;
    }
    if (state.status === 'closed') return this.skip();
    switch (step.kind) {
      case 'classify': {
        const body = this.preset.scheme === 'priority' ? { priority: step.value } : { severity: step.value };
        await this.desk.post(step.by, `${path}/classification`, { ...body, ...(step.reason ? { reason: step.reason } : {}) });
        return;
      }
      case 'assign':
        await this.desk.post(step.by, `${path}/assignment`, { assigneeId: step.assignee.id });
        return;
      case 'message':
        await this.desk.post(step.by, `${path}/messages`, { messageId: uuidFor(step), body: step.body, visibility: step.visibility });
        return;
      case 'follow-up': {
        // seed 002: not before followUpMinutes since the opening or the last follow-up
        const since = state.lastFollowUpAt ?? state.openedAt;
        if (since && step.at < Date.parse(since) + this.preset.followUpMinutes * MINUTE) return this.skip();
        await this.desk.post(step.by, `${path}/follow-ups`, { note: step.note });
        return;
      }
      case 'request-info':
        await this.desk.post(step.by, `${path}/awaiting-customer`, { question: step.question });
        return;
      case 'contact-attempt':
        if (state.status !== 'awaiting-customer') return this.skip();
        await this.desk.post(step.by, `${path}/contact-attempts`, { channel: step.channel, note: step.note });
        return;
      case 'escalate': {
        if (state.escalationLevel >= maxEscalationLevel(this.preset)) return this.skip();
        const current: Classification = (this.preset.scheme === 'priority' ? state.priority : state.severity) ?? this.preset.defaultClassification;
        const raise = moreUrgent(this.preset, current);
        await this.desk.post(step.by, `${path}/escalations`, { reason: step.reason, ...(raise !== current ? { raisePriorityTo: raise } : {}) });
        return;
      }
      case 'quote':
        return this.quote(step, state);
      case 'authorize': {
        const pending = pendingQuote(state.billing);
        if (!pending) return this.skip();
        const po = pending.terms.kind === 'per-event' && pending.terms.purchaseOrderRequired && step.decision === 'accept';
        await this.desk.post(step.by, `${path}/quotes/${pending.quoteId}/authorization`, {
          decision: step.decision,
          comment: step.comment,
          ...(po ? { purchaseOrder: `OC-${this.time.localDate(step.at).slice(0, 4)}-${String(++this.purchaseOrders).padStart(4, '0')}` } : {}),
        });
        return;
      }
      case 'work':
        return this.work(step, state);
      case 'close':
        await this.desk.post(step.by, `${path}/close`, {
          reason: step.reason,
          resolution: step.resolution,
          ...(step.duplicateOf ? { duplicateOf: step.duplicateOf.ticketId } : {}),
        });
        return;
    }
  }

  private async open(t: TicketPlanned, by: Person, receivedAt: number | null): Promise<void> {
    const staff = !by.roles.includes('customer');
    await this.desk.post(by, '/tickets', {
      ticketId: t.ticketId,
      ...(staff ? { customerId: t.customer.customerId } : {}),
      department: t.department,
      subject: t.subject,
      description: staff ? `${t.description}\n\n(Recibido por correo de ${t.reporter.name} <${t.reporter.email}>)` : t.description,
      ...(t.stepsToReproduce ? { stepsToReproduce: t.stepsToReproduce } : {}),
      ...(t.errorText ? { errorText: t.errorText } : {}),
      ...(t.product ? { product: t.product } : {}),
      ...(t.reportedPriority !== null ? { reportedPriority: t.reportedPriority } : {}),
      ...(staff && receivedAt !== null ? { channel: 'email', receivedAt: new Date(receivedAt).toISOString() } : {}),
    });
  }

  /** an estimate on the customer's policy when one is active with room for it, else a per-event quote */
  private async quote(step: Extract<Step, { kind: 'quote' }>, state: TicketState): Promise<void> {
    const billing = state.billing;
    if (pendingQuote(billing)) return this.skip();
    const last = billing.authorizationOrder[billing.authorizationOrder.length - 1];
    if (step.supplementary && last === undefined) return this.skip();
    let kind: 'policy-estimate' | 'per-event' = 'per-event';
    let minutes = step.minutes;
    if (step.supplementary) kind = billing.authorizations[last].terms.kind;
    else if (step.prefer === 'policy') {
      // an estimate of what the policy still has, when that is less than planned
      const room = Math.floor((await this.activePolicyRoom(step.ticket.customer, step.at)) / 15) * 15;
      if (room >= 30) {
        kind = 'policy-estimate';
        minutes = Math.min(minutes, room);
      }
    }
    const body =
      kind === 'policy-estimate'
        ? { kind, minutes, description: step.description }
        : {
            kind,
            minutes: step.minutes,
            hourlyRateMinor: this.catalog.hourlyRateMinor,
            currency: this.catalog.currency,
            paymentTerms: this.catalog.paymentTerms[step.minutes % this.catalog.paymentTerms.length],
            purchaseOrderRequired: this.preset.name === 'intecnia',
            description: step.description,
          };
    await this.desk.post(step.by, `/tickets/${step.ticket.ticketId}/quotes`, { quoteId: uuidFor(step), ...body, ...(step.supplementary ? { supplementary: true } : {}) });
  }

  /** minutes left on the customer's active policies */
  private async activePolicyRoom(customer: CustomerPlanned, at: number): Promise<number> {
    let room = 0;
    for (const p of customer.policies) {
      const s = await this.policy(p.policyId);
      if (s.policy && policyStatusAt(s, new Date(at).toISOString()) === 'active') room = Math.max(room, minutesRemaining(s));
    }
    return room;
  }

  /** logs the planned minutes, or what the authorization and the policy still allow (never split) */
  private async work(step: Extract<Step, { kind: 'work' }>, state: TicketState): Promise<void> {
    const billing = state.billing;
    const room = Math.max(0, ...billing.authorizationOrder.map((id) => billing.authorizations[id].minutesAuthorized - billing.authorizations[id].minutesLogged));
    let minutes = Math.min(step.rest ? Math.max(step.minutes, room) : step.minutes, room, 1440);
    let onSite = step.onSite;
    const chosen = billing.authorizationOrder.map((id) => billing.authorizations[id]).find((a) => a.minutesAuthorized - a.minutesLogged >= minutes);
    if (chosen?.policyId) {
      const p = await this.policy(chosen.policyId);
      if (!p.policy || policyStatusAt(p, new Date(step.at).toISOString()) !== 'active') return this.skip();
      minutes = Math.min(minutes, minutesRemaining(p));
      if (onSite && p.policy.onSiteMinutes - p.onSiteMinutesUsed < minutes) onSite = false;
    }
    if (minutes <= 0 || !chosen) return this.skip();
    await this.desk.post(step.by, `/tickets/${step.ticket.ticketId}/work-logs`, {
      entryId: uuidFor(step),
      minutes,
      workedOn: this.time.localDate(step.at),
      description: step.description,
      kind: onSite ? 'on-site' : 'remote',
    });
  }
}

/** a stable UUID per step (client-supplied ids make a replayed request safe) */
function uuidFor(step: Step): string {
  const key = `${step.ticket.ticketId}:${step.kind}:${step.at}:${step.ticket.steps.indexOf(step)}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    h1 = Math.imul(h1 ^ key.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ key.charCodeAt(i), 2246822519) >>> 0;
  }
  const r = new Random(h1 ^ h2);
  return r.uuid();
}

