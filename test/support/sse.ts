/**
 * A small server-sent-events client over node:http for tests and benchmarks: opens
 * GET /api/events/stream with the given headers, parses frames (id, event, data, comments)
 * as they arrive and lets the caller wait for the next matching one.
 *   const s = await SseClient.open(`${base}/api/events/stream`, { Authorization: `Bearer ${token}` });
 *   const change = await s.next((e) => e.event === 'change' && JSON.parse(e.data).ticketId === id);
 */
import * as http from 'http';

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
  /** when the frame was parsed (ms, performance.now()) */
  at: number;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  ended = false;
  private buffer = '';
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly req: http.ClientRequest,
    readonly response: http.IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.feed(chunk));
    response.on('end', () => this.finish());
    response.on('close', () => this.finish());
    response.on('error', () => this.finish());
  }

  /** resolves with the client once the status line arrived; a non-200 answer rejects with its status and body */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        if (res.statusCode !== 200) {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body}`), { status: res.statusCode, body, headers: res.headers })));
          return;
        }
        resolve(new SseClient(req, res));
      });
      req.on('error', reject);
    });
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | null = null;
      let event = 'message';
      const data: string[] = [];
      let isEvent = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) (id = line.slice(4)), (isEvent = true);
        else if (line.startsWith('event: ')) (event = line.slice(7)), (isEvent = true);
        else if (line.startsWith('data: ')) data.push(line.slice(6)), (isEvent = true);
      }
      if (isEvent) this.events.push({ id, event, data: data.join('\n'), at: performance.now() });
    }
    this.wake();
  }

  private finish(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** the first event (from `from` on) matching, waiting up to timeoutMs */
  async next(match: (e: SseEvent) => boolean = () => true, timeoutMs = 5_000, from = 0): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      if (this.ended) throw new Error(`the stream ended; events: ${JSON.stringify(this.events.map((e) => [e.event, e.data]))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; events: ${JSON.stringify(this.events.map((e) => [e.event, e.data]))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** the data of the `change` events received so far */
  changes(): Array<{ position: number; type: string; streamId: string; ticketId: string | null; customerId: string | null; policyId: string | null; userId: string | null }> {
    return this.events.filter((e) => e.event === 'change').map((e) => JSON.parse(e.data));
  }

  close(): void {
    this.req.destroy();
  }
}
