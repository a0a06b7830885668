/**
 * npm run bench:lag — projection lag while commands arrive at a steady rate (default 2,000/s
 * for 10 s) on the embedded stores, with the projector in the same process as in `npm start`.
 * For each command: the time from its acknowledgement until every read model includes it.
 * Last line: {"bench":"lag","commandsPerSec":..,"commands":..,"lagP50Ms":..,"lagP99Ms":..,"lagMaxMs":..,"maxPositionsBehind":..}
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandEnvelope, CommandPipeline } from '../libs/application/src';
import { createTicketDecider, createTicketRules, customerDecider, loadPreset } from '../libs/domain/src';
import { SqliteEventStore } from '../libs/event-store/src';
import { Projector, allProjections } from '../libs/projections/src';
import { SqliteReadStore } from '../libs/read-store/src';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rate = arg('rate', 2000);
const seconds = arg('seconds', 10);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lag-'));
  const events = SqliteEventStore.open(path.join(dir, 'events.db'));
  const views = SqliteReadStore.open(path.join(dir, 'views.db'));
  const preset = loadPreset('impera');
  const decider = createTicketDecider(createTicketRules(preset));
  const pipeline = new CommandPipeline(events);
  const projector = new Projector(events, views, allProjections());
  await projector.start();

  const env = (): CommandEnvelope => ({
    actor: { id: 'ana', roles: ['agent'] },
    correlationId: randomUUID(),
    causationId: null,
    now: new Date().toISOString(),
  });
  const customers: string[] = [];
  for (let i = 0; i < 50; i++) {
    const customerId = randomUUID();
    customers.push(customerId);
    await pipeline.execute(`customer-${customerId}`, customerDecider, { type: 'RegisterCustomer', customerId, name: `Cliente ${i}` }, env());
  }
  const tickets: string[] = [];
  const lags: number[] = [];
  let maxBehind = 0n;
  let sent = 0;
  let conflicts = 0;
  const pending: Promise<void>[] = [];

  const one = async (i: number) => {
    let r;
    if (tickets.length < 200 || i % 3 === 0) {
      const ticketId = randomUUID();
      r = await pipeline.execute(
        `ticket-${ticketId}`,
        decider,
        {
          type: 'OpenTicket',
          ticketId,
          customerId: customers[i % customers.length],
          department: 'support',
          subject: `Caso ${i}`,
          description: 'El sitio no carga desde dos dispositivos',
          facts: { customer: { exists: true } },
        } as never,
        env(),
      );
      tickets.push(ticketId);
    } else {
      const ticketId = tickets[Math.floor(Math.random() * tickets.length)];
      try {
        r = await pipeline.execute(`ticket-${ticketId}`, decider, { type: 'AssignTicket', ticketId, assigneeId: `agent-${i % 7}` } as never, env());
      } catch (err) {
        conflicts++; // the same ticket assigned by many at once: the pipeline gave up retrying
        return;
      }
    }
    const acked = process.hrtime.bigint();
    const behind = r.position - projector.position();
    if (behind > maxBehind) maxBehind = behind;
    await projector.waitFor(r.position, 30_000);
    lags.push(Number(process.hrtime.bigint() - acked) / 1e6);
  };

  const started = Date.now();
  const total = rate * seconds;
  while (sent < total) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    while (sent < Math.min(due, total)) pending.push(one(sent++));
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  const elapsed = (Date.now() - started) / 1000;
  await projector.stop();
  await views.close();
  await events.close();
  fs.rmSync(dir, { recursive: true, force: true });

  lags.sort((a, b) => a - b);
  const p = (q: number) => +lags[Math.min(lags.length - 1, Math.floor(q * lags.length))].toFixed(1);
  const achieved = Math.round(total / elapsed);
  console.log(`${total} commands at ${achieved}/s (asked ${rate}/s): lag p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms; at most ${maxBehind} positions behind the head; ${conflicts} commands gave up on conflicts`);
  console.log(JSON.stringify({ bench: 'lag', commandsPerSec: achieved, commands: total, lagP50Ms: p(0.5), lagP99Ms: p(0.99), lagMaxMs: p(1), maxPositionsBehind: Number(maxBehind) }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
