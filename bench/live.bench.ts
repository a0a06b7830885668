/**
 * npm run bench:live — the delay of a live update over HTTP: the real API on the embedded
 * stores (in-process projector) listening on an ephemeral port, `--streams` event streams open
 * (one agent's, one of the ticket's customer, the rest of other customers' contacts, which must
 * receive nothing), and `--commands` ticket commands over HTTP at `--rate` per second. For each
 * command: the time from its HTTP acknowledgement to the arrival of its change (matched by
 * position) on the agent's stream and on the customer's. Baseline in the same run: the HTTP
 * round trip of the commands themselves. What the web console's bench:web adds on top is the
 * browser (EventSource, refetch, render).
 * Last line: {"bench":"live","commands":..,"streams":..,"staffP50Ms":..,"staffP95Ms":..,"customerP95Ms":..,"commandP50Ms":..}
 */
import { randomUUID } from 'crypto';
import { AddressInfo } from 'net';
import { SseClient } from '../test/support/sse';
import { startTestApp } from '../test/support/test-app';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const commands = arg('commands', 1000);
const rate = arg('rate', 100);
const streams = Math.max(2, arg('streams', 50));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

async function main() {
  const t = await startTestApp({ now: new Date().toISOString() });
  try {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/api/events/stream`;
    const admin = t.auth('root', ['admin']);
    const customerId = (await t.http.post('/api/customers').set(admin).send({ name: 'Cliente medido' })).body.customerId as string;
    const staff = await SseClient.open(url, t.auth('ana', ['agent']));
    const customer = await SseClient.open(url, t.auth('carla', ['customer'], customerId));
    const others: SseClient[] = [];
    for (let i = 0; i < streams - 2; i++) others.push(await SseClient.open(url, t.auth(`c${i}`, ['customer'], randomUUID())));
    await staff.next((e) => e.event === 'ready');

    const ticketId = (await t.http.post('/api/tickets').set(t.auth('ana', ['agent'])).send({ customerId, department: 'support', subject: 'Medición', description: 'x' })).body.ticketId as string;
    const staffDelays: number[] = [];
    const customerDelays: number[] = [];
    const commandMs: number[] = [];
    const interval = 1000 / rate;
    const started = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < commands; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(
        (async () => {
          const sent = performance.now();
          const r = await t.http.post(`/api/tickets/${ticketId}/messages`).set(t.auth('carla', ['customer'], customerId)).send({ body: `Mensaje ${i}`, visibility: 'public' });
          const acked = performance.now();
          commandMs.push(acked - sent);
          const position = r.body.position as number;
          const onStaff = await staff.next((e) => e.event === 'change' && e.id === String(position), 30_000);
          const onCustomer = await customer.next((e) => e.event === 'change' && e.id === String(position), 30_000);
          staffDelays.push(Math.max(0, onStaff.at - acked));
          customerDelays.push(Math.max(0, onCustomer.at - acked));
        })(),
      );
    }
    await Promise.all(inflight);
    const leaked = others.reduce((n, s) => n + s.changes().length, 0);
    console.log(`${commands} messages at ${rate}/s over HTTP, ${streams} streams open (${streams - 2} of other customers, which received ${leaked} changes)`);
    console.log(`acknowledgement -> change on the agent's stream: p50 ${pct(staffDelays, 50).toFixed(1)} ms, p95 ${pct(staffDelays, 95).toFixed(1)} ms, p99 ${pct(staffDelays, 99).toFixed(1)} ms`);
    console.log(`acknowledgement -> change on the customer's stream: p50 ${pct(customerDelays, 50).toFixed(1)} ms, p95 ${pct(customerDelays, 95).toFixed(1)} ms`);
    console.log(`baseline, the command's own HTTP round trip: p50 ${pct(commandMs, 50).toFixed(1)} ms, p95 ${pct(commandMs, 95).toFixed(1)} ms`);
    for (const s of [staff, customer, ...others]) s.close();
    if (leaked > 0) throw new Error(`${leaked} changes reached other customers' streams`);
    console.log(
      JSON.stringify({
        bench: 'live',
        commands,
        streams,
        staffP50Ms: Number(pct(staffDelays, 50).toFixed(2)),
        staffP95Ms: Number(pct(staffDelays, 95).toFixed(2)),
        customerP95Ms: Number(pct(customerDelays, 95).toFixed(2)),
        commandP50Ms: Number(pct(commandMs, 50).toFixed(2)),
      }),
    );
  } finally {
    await t.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
