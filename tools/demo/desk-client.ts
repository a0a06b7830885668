/**
 * The demo's way into the desk: the real HTTP application (controllers, validation, command
 * handlers, deciders, stores, in-process projector and scheduler), called in process through
 * Fastify's inject with a bearer token per person, and a decision clock the demo sets to the
 * past instant of each action. What the demo records is what the API would record had these
 * people made these requests at those instants.
 */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Scheduler, SchedulerReport } from '@helpdesk/application';
import { signToken } from '../../apps/api/src/http/auth';
import { ReadPosition } from '../../apps/api/src/infrastructure/read-position';
import { Clock, EVENT_STORE, READ_POSITION } from '../../apps/api/src/infrastructure/tokens';
import type { EventStore } from '@helpdesk/event-store';
import type { Person } from './people';

/** The decision clock: every command's `now` is the instant the demo set. */
export class DemoClock implements Clock {
  constructor(private ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
  set(ms: number): void {
    if (ms < this.ms) throw new Error(`the demo clock only moves forward (${new Date(ms).toISOString()} < ${new Date(this.ms).toISOString()})`);
    this.ms = ms;
  }
  get millis(): number {
    return this.ms;
  }
}

/** A request the desk answered with a status the demo did not expect. */
export class DeskRefusal extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: { code?: string; detail?: string; [k: string]: unknown },
  ) {
    super(`${method} ${path} -> ${status} ${body.code ?? ''}: ${body.detail ?? JSON.stringify(body)}`);
  }
}

export class DeskClient {
  /** global position of the last event a command of the demo wrote */
  head = 0;
  commands = 0;
  private readonly tokens = new Map<string, string>();

  constructor(
    readonly app: NestFastifyApplication,
    readonly clock: DemoClock,
    private readonly secret: string,
  ) {}

  private token(p: Person): string {
    if (!p.id) throw new Error(`${p.email} has no user id yet`);
    let t = this.tokens.get(p.id);
    if (!t) {
      t = signToken(this.secret, p.id, p.roles, p.customerId, '12h');
      this.tokens.set(p.id, t);
    }
    return t;
  }

  /** a command; answers its body, or throws DeskRefusal on any status but 200/201 */
  async post<T = Record<string, unknown>>(as: Person, path: string, body: unknown): Promise<T> {
    const r = await this.app.inject({
      method: 'POST',
      url: `/api${path}`,
      headers: { authorization: `Bearer ${this.token(as)}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    const answer = r.body ? JSON.parse(r.body) : {};
    if (r.statusCode !== 200 && r.statusCode !== 201) throw new DeskRefusal('POST', path, r.statusCode, answer);
    this.commands++;
    if (typeof answer.position === 'number' && answer.position > this.head) this.head = answer.position;
    return answer as T;
  }

  /** a request to a public endpoint (setup, accepting an invitation): no token */
  async postPublic<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
    const r = await this.app.inject({ method: 'POST', url: `/api${path}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    const answer = r.body ? JSON.parse(r.body) : {};
    if (r.statusCode !== 200 && r.statusCode !== 201) throw new DeskRefusal('POST', path, r.statusCode, answer);
    this.commands++;
    return answer as T;
  }

  /** a query that reads the demo's own writes (X-Min-Position) */
  async get<T = Record<string, unknown>>(as: Person, path: string): Promise<T> {
    const r = await this.app.inject({
      method: 'GET',
      url: `/api${path}`,
      headers: { authorization: `Bearer ${this.token(as)}`, 'x-min-position': String(this.head) },
    });
    const answer = r.body ? JSON.parse(r.body) : {};
    if (r.statusCode !== 200) throw new DeskRefusal('GET', path, r.statusCode, answer);
    return answer as T;
  }

  /** waits until the read models include everything written so far */
  async caughtUp(): Promise<void> {
    const head = BigInt(this.head);
    if (!(await this.app.get<ReadPosition>(READ_POSITION).waitFor(head, 60_000))) throw new Error(`the read models did not reach position ${head}`);
  }

  /**
   * One scheduler pass at the clock's instant, on read models that include every write so
   * far (the scheduler nominates candidates from them): SLA warnings and breaches, automatic
   * escalation, closing for no customer response, policy expiry.
   */
  async tick(): Promise<SchedulerReport> {
    await this.caughtUp();
    const report = await this.app.get(Scheduler).tick();
    if (report.errors.length > 0) throw new Error(`scheduler at ${this.clock.now().toISOString()}: ${report.errors.join('; ')}`);
    if (report.warnings + report.breaches + report.autoClosed + report.policiesExpired > 0) {
      // what it wrote is part of what the next reads must include
      this.head = Number(await this.app.get<EventStore>(EVENT_STORE).headPosition());
    }
    return report;
  }
}
