/**
 * Test support: an in-memory event log that runs the domain deciders and records their
 * events as StoredEvents (stream versions, global positions, metadata), as the event store
 * would.
 */
import { randomUUID } from 'crypto';
import { DateTime } from 'luxon';
import {
  createTicketDecider,
  createTicketRules,
  customerDecider,
  fold,
  loadPreset,
  policyDecider,
  ticketDecider,
  type CustomerCommand,
  type DecisionContext,
  type PolicyCommand,
  type TicketCommandInput,
  type TicketRules,
} from '@helpdesk/domain';
import type { EventStore, StoredEvent } from '@helpdesk/event-store';
import { BatchApplier, Projection } from '@helpdesk/projections';
import type { Doc, ReadStore } from '@helpdesk/read-store';

export const MX = 'America/Mexico_City';
export const impera: TicketRules = createTicketRules(loadPreset('impera'));
export const intecnia: TicketRules = createTicketRules(loadPreset('intecnia'));

/** local wall time in Mexico City -> UTC ISO */
export const at = (localIso: string, zone = MX) => DateTime.fromISO(localIso, { zone }).toUTC().toISO() as string;

export const agent = (now: string, id = 'ana'): DecisionContext => ({ now, actor: { id, roles: ['agent'] } });
export const customer = (now: string, customerId = 'acme', id = 'carla'): DecisionContext => ({
  now,
  actor: { id, roles: ['customer'], customerId },
});
export const admin = (now: string): DecisionContext => ({ now, actor: { id: 'root', roles: ['admin'] } });
export const system = (now: string): DecisionContext => ({ now, actor: { id: 'scheduler', roles: ['system'] } });

type AnyEvent = { type: string; data: Record<string, unknown> };

export class EventLog {
  readonly events: StoredEvent[] = [];
  private readonly streams = new Map<string, AnyEvent[]>();

  constructor(readonly rules: TicketRules = impera) {}

  append(streamId: string, events: AnyEvent[], ctx: DecisionContext): StoredEvent[] {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const stored: StoredEvent[] = [];
    for (const e of events) {
      const s: StoredEvent = {
        id: randomUUID(),
        type: e.type,
        data: e.data,
        metadata: {
          actor: ctx.actor.id,
          actorRoles: ctx.actor.roles,
          occurredAt: ctx.now,
          correlationId: randomUUID(),
          causationId: null,
          schemaVersion: 1,
        },
        streamId,
        version: BigInt(stream.length),
        position: BigInt(this.events.length + 1),
      };
      stream.push(e);
      this.events.push(s);
      stored.push(s);
    }
    return stored;
  }

  stream(streamId: string): AnyEvent[] {
    return this.streams.get(streamId) ?? [];
  }

  /** decides a ticket command on the ticket's current state and appends the events */
  ticket(ticketId: string, command: TicketCommandInput, ctx: DecisionContext): StoredEvent[] {
    const state = fold(ticketDecider.evolve, ticketDecider.initialState(), this.stream(`ticket-${ticketId}`) as never[]);
    return this.append(`ticket-${ticketId}`, rulesDecider(this.rules).decide({ ...command, ticketId } as TicketCommandInput, state, ctx), ctx);
  }

  policy(policyId: string, command: PolicyCommand, ctx: DecisionContext): StoredEvent[] {
    const state = fold(policyDecider.evolve, policyDecider.initialState(), this.stream(`policy-${policyId}`) as never[]);
    return this.append(`policy-${policyId}`, policyDecider.decide(command, state, ctx), ctx);
  }

  customer(customerId: string, command: CustomerCommand, ctx: DecisionContext): StoredEvent[] {
    const state = fold(customerDecider.evolve, customerDecider.initialState(), this.stream(`customer-${customerId}`) as never[]);
    return this.append(`customer-${customerId}`, customerDecider.decide(command, state, ctx), ctx);
  }
}

const deciders = new Map<TicketRules, ReturnType<typeof createTicketDecider>>();
function rulesDecider(rules: TicketRules) {
  let d = deciders.get(rules);
  if (!d) deciders.set(rules, (d = createTicketDecider(rules)));
  return d;
}

/** applies events through a BatchApplier per projection, flushing every `pageSize` events */
export async function project(store: ReadStore, projections: Projection[], events: StoredEvent[], pageSize = 1000): Promise<void> {
  await store.ensureCollections(projections.flatMap((p) => p.collections));
  for (const projection of projections) {
    const applier = new BatchApplier(store, projection);
    let checkpoint = await store.getCheckpoint(applier.checkpointName);
    const pending = events.filter((e) => e.position > checkpoint);
    for (let i = 0; i < pending.length; i += pageSize) {
      const page = pending.slice(i, i + pageSize);
      await applier.applyPage(page);
      const last = page[page.length - 1].position;
      await applier.flush(checkpoint, last);
      checkpoint = last;
    }
  }
}

/** every document of every collection of the projections, sorted, for comparisons */
export async function dump(store: ReadStore, projections: Projection[]): Promise<Record<string, Doc[]>> {
  const out: Record<string, Doc[]> = {};
  for (const spec of projections.flatMap((p) => p.collections)) out[spec.name] = await store.find(spec.name, { sort: [['_id', 1]] });
  return out;
}

/** appends events to an event store in their global order, one append per run of the same stream */
export async function appendInOrder(store: EventStore, events: StoredEvent[]): Promise<void> {
  let run: StoredEvent[] = [];
  const flush = async () => {
    if (run.length === 0) return;
    await store.append(run[0].streamId, run.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })), 'any');
    run = [];
  };
  for (const e of events) {
    if (run.length > 0 && run[0].streamId !== e.streamId) await flush();
    run.push(e);
  }
  await flush();
}
