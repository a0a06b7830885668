import { randomUUID } from 'crypto';
import { Actor, DomainError, POLICY_EXPIRY_NOTICE_DAYS, PolicyState, TicketCommand, TicketState, createTicketDecider, policyDecider, policyStatusAt } from '@helpdesk/domain';
import { ReadStore } from '@helpdesk/read-store';
import { CommandEnvelope, CommandPipeline } from './command-pipeline';

export const SCHEDULER_ACTOR: Actor = { id: 'system:scheduler', roles: ['system'] };

export interface SchedulerReport {
  warnings: number;
  breaches: number;
  autoClosed: number;
  policiesExpired: number;
  /** PolicyExpiryApproaching recorded (30 days before validUntil) */
  expiryNotices: number;
  errors: string[];
}

/**
 * Further work the scheduler does on each pass, after its own (e.g. the notifications' daily
 * digest). `now` is the pass's instant; an error is reported in the pass's errors.
 */
export interface SchedulerJob {
  name: string;
  run(now: string): Promise<unknown>;
}

const addDaysIso = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Records what happens with nobody acting: SLA warnings and breaches when their instants pass
 * (with the preset's auto-escalation on breach), closing as no-customer-response once the
 * three attempts and the announced wait are done, and policy expiry.
 *
 * The views only nominate candidates; each action is a command decided on the ticket's or
 * policy's own stream, and the domain records each at most once per ticket and target (a
 * second attempt decides nothing). So the guarantee holds across restarts, and even if two
 * schedulers ran at once the stream's expected version would let only one of them write.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SchedulerReport> | null = null;
  private readonly jobs: SchedulerJob[] = [];
  /** receives each pass's counts and duration when set (metrics); must not throw */
  observer: ((pass: Omit<SchedulerReport, 'errors'> & { errors: number; seconds: number }) => void) | null = null;

  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly views: ReadStore,
    private readonly decider: ReturnType<typeof createTicketDecider>,
    private readonly clock: () => Date = () => new Date(),
    private readonly log: (m: string) => void = () => undefined,
  ) {}

  /** adds a job run at the end of every pass */
  addJob(job: SchedulerJob): void {
    this.jobs.push(job);
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** one pass; concurrent calls share the pass in progress */
  tick(): Promise<SchedulerReport> {
    if (!this.running) {
      const started = Date.now();
      this.running = this.pass()
        .then(
          (report) => {
            this.observer?.({ ...report, errors: report.errors.length, seconds: (Date.now() - started) / 1000 });
            return report;
          },
          (err: unknown) => {
            this.observer?.({ warnings: 0, breaches: 0, autoClosed: 0, policiesExpired: 0, expiryNotices: 0, errors: 1, seconds: (Date.now() - started) / 1000 });
            throw err;
          },
        )
        .finally(() => (this.running = null));
    }
    return this.running;
  }

  private envelope(now: string, causationId: string | null): CommandEnvelope {
    return { actor: SCHEDULER_ACTOR, correlationId: randomUUID(), causationId, now };
  }

  /**
   * The event that makes a scheduled action due, recorded as its causationId: the event that
   * set the SLA target (warnings and breaches), or the last contact attempt (auto-close).
   */
  private async causeOf(streamId: string, command: TicketCommand): Promise<string | null> {
    const events = await this.pipeline.load(streamId, this.decider);
    const stored = events.events;
    if (command.type === 'RecordSlaWarning' || command.type === 'RecordSlaBreach') {
      const targetId = (command as { targetId: string }).targetId;
      for (let i = stored.length - 1; i >= 0; i--) {
        const sla = (stored[i].data as { sla?: { targetId?: string } | null }).sla;
        if (sla?.targetId === targetId || stored[i].type === 'ClockResumed') return stored[i].id;
      }
    }
    if (command.type === 'CloseForNoCustomerResponse') {
      for (let i = stored.length - 1; i >= 0; i--) if (stored[i].type === 'ContactAttemptRecorded') return stored[i].id;
    }
    return stored[stored.length - 1]?.id ?? null;
  }

  private async pass(): Promise<SchedulerReport> {
    const now = this.clock().toISOString();
    const report: SchedulerReport = { warnings: 0, breaches: 0, autoClosed: 0, policiesExpired: 0, expiryNotices: 0, errors: [] };
    const run = async (streamId: string, command: TicketCommand, counter: keyof Omit<SchedulerReport, 'errors'>) => {
      try {
        const causationId = await this.causeOf(streamId, command);
        const r = await this.pipeline.execute(streamId, this.decider, command as never, this.envelope(now, causationId));
        if (r.events.length > 0) report[counter]++;
      } catch (err) {
        // not due after all (the wait moved), or the ticket was closed meanwhile
        if (err instanceof DomainError && (err.status === 422 || err.status === 409)) return;
        report.errors.push(`${streamId} ${command.type}: ${(err as Error).message}`);
      }
    };

    const open = { status: { $in: ['open', 'awaiting-customer'] } };
    type TicketDoc = { _id: string; slaTargetId?: string | null; state?: TicketState };
    for (const doc of await this.views.find<TicketDoc>('tickets', {
      filter: { ...open, slaWarned: false, respondedAt: null, warningAt: { $lte: now } },
      limit: 500,
    })) {
      const targetId = doc.slaTargetId;
      if (targetId) await run(`ticket-${doc._id}`, { type: 'RecordSlaWarning', ticketId: doc._id, targetId } as never, 'warnings');
    }
    for (const doc of await this.views.find<TicketDoc>('tickets', {
      filter: { ...open, slaBreached: false, respondedAt: null, responseDueAt: { $lte: now } },
      limit: 500,
    })) {
      const targetId = doc.slaTargetId;
      if (targetId) await run(`ticket-${doc._id}`, { type: 'RecordSlaBreach', ticketId: doc._id, targetId } as never, 'breaches');
    }
    for (const doc of await this.views.find<TicketDoc>('tickets', {
      filter: { status: 'awaiting-customer' },
      limit: 1000,
    })) {
      if ((doc.state?.contactAttempts?.length ?? 0) >= 3) {
        await run(`ticket-${doc._id}`, { type: 'CloseForNoCustomerResponse', ticketId: doc._id } as never, 'autoClosed');
      }
    }
    const today = now.slice(0, 10);
    // candidates: past their last day (compared in UTC here; policyStatusAt decides in the
    // policy's zone) and no PolicyExpired yet
    for (const doc of await this.views.find<{ _id: string }>('policies', { filter: { expiredAt: null, validUntil: { $lt: today } }, limit: 500 })) {
      try {
        const p = await this.pipeline.load<PolicyState, never>(`policy-${doc._id}`, policyDecider as never);
        if (policyStatusAt(p.state, now) !== 'expired' || p.state.expiredAt) continue;
        const registered = p.events.find((e) => e.type === 'PolicyRegistered');
        const r = await this.pipeline.execute(`policy-${doc._id}`, policyDecider, { type: 'ExpirePolicy', policyId: doc._id }, this.envelope(now, registered?.id ?? null));
        if (r.events.length > 0) report.policiesExpired++;
      } catch (err) {
        if (!(err instanceof DomainError && err.status === 422)) report.errors.push(`policy-${doc._id}: ${(err as Error).message}`);
      }
    }
    // the expiry notice: once per policy (the policy stream records it at most once), from
    // POLICY_EXPIRY_NOTICE_DAYS before its last valid day; documents written before the notice
    // existed lack expiryNoticeAt, which a null filter matches
    const noticeHorizon = addDaysIso(today, POLICY_EXPIRY_NOTICE_DAYS + 1);
    for (const doc of await this.views.find<{ _id: string }>('policies', {
      filter: { expiryNoticeAt: null, expiredAt: null, exhaustedAt: null, validUntil: { $lte: noticeHorizon } },
      limit: 500,
    })) {
      try {
        const p = await this.pipeline.load<PolicyState, never>(`policy-${doc._id}`, policyDecider as never);
        const registered = p.events.find((e) => e.type === 'PolicyRegistered');
        const r = await this.pipeline.execute(`policy-${doc._id}`, policyDecider, { type: 'RecordPolicyExpiryApproaching', policyId: doc._id }, this.envelope(now, registered?.id ?? null));
        if (r.events.length > 0) report.expiryNotices++;
      } catch (err) {
        if (!(err instanceof DomainError && err.status === 422)) report.errors.push(`policy-${doc._id} expiry notice: ${(err as Error).message}`);
      }
    }
    for (const job of this.jobs) {
      try {
        await job.run(now);
      } catch (err) {
        report.errors.push(`${job.name}: ${(err as Error).message}`);
      }
    }
    if (report.errors.length) this.log(`scheduler: ${report.errors.length} errors, first: ${report.errors[0]}`);
    return report;
  }
}
