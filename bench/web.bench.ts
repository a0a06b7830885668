/**
 * npm run bench:web
 *
 * The web console as a user meets it, in Debian's chromium (playwright-core):
 *  1. the gzip size of the JavaScript the first screen needs (the entry chunk, its static
 *     imports and the queue screen's chunk, from Vite's build manifest; target <= 250 KB);
 *  2. the time from navigation to a rendered queue over BENCH_WEB_TICKETS (10,000) open
 *     tickets, seeded through the command pipeline (OpenTicket, the real decide and append)
 *     into a temporary DATA_DIR: first rows on screen (target < 1.5 s), beside the server's
 *     own time for the queue page the screen asks for; then scrolling to the end of the
 *     queue (every page loaded) for the record;
 *  3. a live update's delay, from the acknowledgement of a command (an assignment of the first
 *     ticket on screen) to the change on screen, p50 / p95 over BENCH_WEB_UPDATES (30)
 *     commands (target p95 < 500 ms), beside the server's own delay from acknowledgement to
 *     the event on the stream.
 * Last line: {"bench":"web","firstScreenJsGzipKb":..,"queue10kRenderMs":..,"liveUpdateP95Ms":..}.
 * Small check: BENCH_WEB_TICKETS=300 BENCH_WEB_UPDATES=5 npm run bench:web
 */
import { randomUUID } from 'crypto';
import { CommandBus } from '@nestjs/cqrs';
import { OpenTicketMessage } from '../apps/api/src/application/commands';
import { READ_POSITION } from '../apps/api/src/infrastructure/tokens';
import type { ReadPosition } from '../apps/api/src/infrastructure/read-position';
import { DESKTOP, launchChromium, newContext } from '../test/web/support/browser';
import { WEB_DIR, ensureConsoleBuilt } from '../test/web/support/console-build';
import { seedCustomer, startWebApp, type WebApp } from '../test/web/support/web-app';
import { firstScreenJs } from './support/first-screen';

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const performance: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const TICKETS = Number(process.env.BENCH_WEB_TICKETS ?? 10_000);
const UPDATES = Number(process.env.BENCH_WEB_UPDATES ?? 30);
const RENDERS = Number(process.env.BENCH_WEB_RENDERS ?? 5);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const round = (x: number) => Math.round(x * 10) / 10;
const DEPARTMENTS = ['support', 'billing', 'sales'];
const PRIORITIES = ['high', 'medium', 'low'] as const;

async function seedTickets(web: WebApp, customerIds: string[], n: number): Promise<number> {
  const bus = web.app.get(CommandBus);
  let last = 0;
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const ticketId = randomUUID();
      const o = await bus.execute<OpenTicketMessage, { position: number }>(
        new OpenTicketMessage(
          {
            type: 'OpenTicket',
            ticketId,
            customerId: customerIds[i % customerIds.length],
            reporterId: `contact-${i % 50}`,
            department: DEPARTMENTS[i % DEPARTMENTS.length],
            subject: `Incidencia ${i + 1}: el servicio no responde desde la sucursal ${i % 97}`,
            description: 'Generado por bench:web',
            channel: 'portal',
            reportedPriority: PRIORITIES[i % PRIORITIES.length],
          } as never,
          { actor: { id: `contact-${i % 50}`, roles: ['customer'], customerId: customerIds[i % customerIds.length] }, correlationId: randomUUID(), causationId: null, now: new Date().toISOString() },
        ),
      );
      if (o.position > last) last = o.position;
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return last;
}

async function serverQueueMs(web: WebApp, token: string, reps = 20): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const res = await fetch(`${web.baseUrl}/api/queue?limit=50`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
  }
  return quantile(times, 0.5);
}

async function main(): Promise<void> {
  console.log(`bench:web — ${TICKETS} open tickets, ${UPDATES} live updates, ${RENDERS} renders`);
  await ensureConsoleBuilt();
  const first = firstScreenJs(WEB_DIR, 'src/queue/QueueScreen.tsx');
  const signIn = firstScreenJs(WEB_DIR, 'src/sign-in/SignInScreen.tsx');
  console.log(`first screen (queue): ${(first.jsGzipBytes / 1024).toFixed(1)} KB gzip JS in ${first.files.length} files (${(first.jsBytes / 1024).toFixed(0)} KB raw); CSS ${(first.cssGzipBytes / 1024).toFixed(1)} KB gzip`);
  console.log(`sign-in screen: ${(signIn.jsGzipBytes / 1024).toFixed(1)} KB gzip JS`);

  const web = await startWebApp();
  const chromium = await launchChromium();
  try {
    const customers = [];
    for (let i = 0; i < 20; i++) customers.push((await seedCustomer(web, `Cliente ${String(i + 1).padStart(2, '0')} SA de CV`)).customerId);
    const t0 = performance.now();
    const lastPosition = await seedTickets(web, customers, TICKETS);
    const seeded = performance.now() - t0;
    await web.app.get<ReadPosition>(READ_POSITION).waitFor(BigInt(lastPosition), 600_000);
    console.log(`seeded ${TICKETS} tickets through the command pipeline in ${(seeded / 1000).toFixed(1)} s; projected after ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const agent = web.token('bench-agent', ['agent']);
    const queryMs = await serverQueueMs(web, agent);
    console.log(`server: GET /api/queue?limit=50 p50 ${queryMs.toFixed(1)} ms (HTTP, same machine)`);

    // 2. navigation -> first rows of the queue, fresh page each time (assets from the browser cache after the first)
    const context = await newContext(chromium.browser, { viewport: DESKTOP, token: agent });
    await context.addInitScript(() => {
      new (window as any).MutationObserver((_: unknown, observer: { disconnect(): void }) => {
        if (document.querySelector('[data-testid="queue-table"] tbody tr[data-ticket-id]')) {
          (window as any).__queueRenderedAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const renders: number[] = [];
    let cold = 0;
    for (let i = 0; i < RENDERS; i++) {
      const page = await context.newPage();
      await page.goto(`${web.baseUrl}/queue`);
      await page.waitForFunction(() => (window as any).__queueRenderedAt !== undefined, undefined, { timeout: 60_000 });
      const ms = await page.evaluate(() => (window as any).__queueRenderedAt as number);
      if (i === 0) cold = ms;
      renders.push(ms);
      if (i < RENDERS - 1) await page.close();
    }
    const warm = renders.length > 1 ? renders.slice(1) : renders;
    const queueRenderMs = quantile(warm, 0.5);
    console.log(`chromium: navigation -> queue rendered: cold ${cold.toFixed(0)} ms, warm p50 ${queueRenderMs.toFixed(0)} ms (${warm.map((x) => x.toFixed(0)).join(', ')})`);

    // the whole queue: End until every page is loaded
    const page = context.pages()[context.pages().length - 1];
    const tScroll = performance.now();
    await page.locator('[data-testid="queue-table"] tbody tr[data-ticket-id]').first().focus();
    for (;;) {
      await page.keyboard.press('End');
      const state = await page.evaluate(() => {
        const el = document.querySelector('[data-testid="queue-count"]');
        return { count: Number(el?.getAttribute('data-count') ?? 0), more: !!document.querySelector('[data-loading="true"]') };
      });
      if (state.count >= TICKETS && !state.more) break;
      if (performance.now() - tScroll > 300_000) throw new Error(`the queue did not load every ticket (${state.count} of ${TICKETS})`);
      await page.waitForTimeout(30);
    }
    const allLoadedMs = performance.now() - tScroll;
    console.log(`chromium: the whole queue (${TICKETS} rows) loaded by scrolling to its end in ${allLoadedMs.toFixed(0)} ms`);

    // 3. live updates: command acknowledged -> row changed on screen
    await page.keyboard.press('Home');
    const live = await page.evaluate(() => document.querySelector('#app')?.getAttribute('data-live'));
    console.log(`live stream: ${live}`);
    const delays: number[] = [];
    const serverDelays: number[] = [];
    const stream = live === 'open' ? watchStream(web, agent) : null;
    if (stream) await stream.ready;
    for (let i = 0; i < UPDATES; i++) {
      const target = await page.evaluate(() => document.querySelector('[data-testid="queue-table"] tbody tr[data-ticket-id]')?.getAttribute('data-ticket-id') as string);
      const assignee = `eng-${i}-${randomUUID().slice(0, 6)}`;
      await page.evaluate(
        ({ id, who }: { id: string; who: string }) => {
          (window as any).__seenAt = undefined;
          const check = () => {
            const row = document.querySelector(`tr[data-ticket-id="${id}"]`);
            if (row && row.textContent.includes(who)) {
              (window as any).__seenAt = Date.now();
              return true;
            }
            return false;
          };
          const observer = new (window as any).MutationObserver(() => check() && observer.disconnect());
          observer.observe(document.querySelector('[data-testid="queue-table"]'), { childList: true, subtree: true, characterData: true });
        },
        { id: target, who: assignee },
      );
      const res = await fetch(`${web.baseUrl}/api/tickets/${target}/assignment`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
        body: JSON.stringify({ assigneeId: assignee }),
      });
      const ackedAt = Date.now();
      const body = (await res.json()) as { position: number };
      if (stream) serverDelays.push((await stream.until(body.position)) - ackedAt);
      await page.waitForFunction(() => (window as any).__seenAt !== undefined, undefined, { timeout: 30_000 });
      delays.push((await page.evaluate(() => (window as any).__seenAt as number)) - ackedAt);
    }
    stream?.close();
    const p50 = quantile(delays, 0.5);
    const p95 = quantile(delays, 0.95);
    console.log(`live update, acknowledgement -> on screen: p50 ${p50} ms, p95 ${p95} ms (${delays.join(', ')})`);
    if (serverDelays.length) console.log(`server: acknowledgement -> change on the event stream p50 ${quantile(serverDelays, 0.5)} ms, p95 ${quantile(serverDelays, 0.95)} ms`);
    else console.log('server: no event stream on this server (the console refreshes every 15 s instead)');

    console.log(
      JSON.stringify({
        bench: 'web',
        firstScreenJsGzipKb: round(first.jsGzipBytes / 1024),
        queue10kRenderMs: Math.round(queueRenderMs),
        liveUpdateP95Ms: Math.round(p95),
        tickets: TICKETS,
        queueColdRenderMs: Math.round(cold),
        queueAllLoadedMs: Math.round(allLoadedMs),
        serverQueuePageMs: round(queryMs),
        liveUpdateP50Ms: Math.round(p50),
        serverStreamP95Ms: serverDelays.length ? Math.round(quantile(serverDelays, 0.95)) : null,
        liveStream: live,
        signInScreenJsGzipKb: round(signIn.jsGzipBytes / 1024),
      }),
    );
  } finally {
    await chromium.close();
    await web.close();
  }
}

/** reads the event stream as a client; `until(position)` answers when a change at or after it arrived */
function watchStream(web: WebApp, token: string): { ready: Promise<void>; until(position: number): Promise<number>; close(): void } {
  const abort = new AbortController();
  const seen: Array<[number, number]> = [];
  const waiters: Array<{ position: number; resolve: (at: number) => void }> = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  const settle = () => {
    for (const w of [...waiters]) {
      const hit = seen.find(([p]) => p >= w.position);
      if (hit) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit[1]);
      }
    }
  };
  void (async () => {
    try {
      const res = await fetch(`${web.baseUrl}/api/events/stream`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const cut = buffer.lastIndexOf('\n\n');
        if (cut < 0) continue;
        const complete = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (/event: ready/.test(complete)) markReady();
        for (const m of complete.matchAll(/event: change\ndata: .*?"position":(\d+)/g)) seen.push([Number(m[1]), Date.now()]);
        settle();
      }
    } catch {
      // closed
    }
  })();
  return {
    ready,
    until: (position) =>
      new Promise<number>((resolve) => {
        waiters.push({ position, resolve });
        settle();
      }),
    close: () => abort.abort(),
  };
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
