/**
 * A real SMTP server for the tests (smtp-server, in this process, on an ephemeral port) that
 * parses every message it accepts with mailparser. `reply` decides per message whether to
 * accept it or answer with an SMTP error (e.g. 451 then 550) so the tests can make the server
 * refuse.
 */
import { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
  /** envelope recipients */
  rcpt: string[];
  receivedAt: number;
}

export interface RefusedMail {
  rcpt: string[];
  code: number;
  messageId: string | null;
}

/** null accepts the message; a code (4xx, 5xx) refuses it with that reply */
export type Reply = (envelope: { rcpt: string[]; messageId: string | null }) => { code: number; message: string } | null;

export interface SmtpReceiver {
  url: string;
  port: number;
  mails: ReceivedMail[];
  refused: RefusedMail[];
  reply: Reply;
  /** waits until `predicate` holds over the mails received (or throws after timeoutMs) */
  waitFor(predicate: (mails: ReceivedMail[]) => boolean, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** waits until `n` messages have been refused */
  waitForRefusals(n: number, timeoutMs?: number): Promise<RefusedMail[]>;
  to(address: string): ReceivedMail[];
  clear(): void;
  close(): Promise<void>;
}

export async function startSmtpReceiver(options: { onMail?: (m: ReceivedMail) => void } = {}): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const refused: RefusedMail[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of waiters) w();
  };
  const receiver = { reply: (() => null) as Reply };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const rcpt = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      simpleParser(stream)
        .then((parsed) => {
          const messageId = parsed.messageId ?? null;
          const verdict = receiver.reply({ rcpt, messageId });
          if (verdict) {
            refused.push({ rcpt, code: verdict.code, messageId });
            notify();
            const err = new Error(verdict.message) as Error & { responseCode: number };
            err.responseCode = verdict.code;
            callback(err);
            return;
          }
          const toField = parsed.to ? (Array.isArray(parsed.to) ? parsed.to : [parsed.to]) : [];
          const mail: ReceivedMail = {
            messageId: messageId ?? '',
            from: parsed.from?.value[0]?.address ?? '',
            to: toField.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase())),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            headers: parsed.headers as Map<string, unknown>,
            rcpt,
            receivedAt: Date.now(),
          };
          mails.push(mail);
          options.onMail?.(mail);
          notify();
          callback();
        })
        .catch((err) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  const wait = <T>(check: () => T | null, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const done = () => {
        const r = check();
        if (r !== null) {
          cleanup();
          resolve(r);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; received: ${JSON.stringify(mails.map((m) => [m.to, m.subject]))}; refused: ${JSON.stringify(refused)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(done);
      };
      waiters.add(done);
      done();
    });
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    refused,
    get reply() {
      return receiver.reply;
    },
    set reply(r: Reply) {
      receiver.reply = r;
    },
    waitFor: (predicate, timeoutMs = 10_000) => wait(() => (predicate(mails) ? mails : null), timeoutMs, 'mail'),
    waitForRefusals: (n, timeoutMs = 10_000) => wait(() => (refused.length >= n ? refused : null), timeoutMs, `${n} refusals`),
    to: (address) => mails.filter((m) => m.rcpt.includes(address.toLowerCase())),
    clear: () => {
      mails.length = 0;
      refused.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
