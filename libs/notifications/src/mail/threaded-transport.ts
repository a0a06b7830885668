/**
 * SMTP on a worker thread: nodemailer's work per message (MIME building, quoted-printable,
 * the SMTP conversation) costs about as much CPU as recording and deciding the notification
 * itself, so it runs beside the API's event loop instead of on it. The dispatcher, its
 * records and the Message-IDs stay on the main thread; only the message crosses over.
 */
import { Worker } from 'worker_threads';
import { classifySmtpError, MailSendError, type MailTransport, type OutgoingMail, type SendResult, type SmtpOptions } from './transport';

const SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const nodemailer = require(workerData.module);
const transport = nodemailer.createTransport({
  url: workerData.url,
  pool: true,
  maxConnections: workerData.maxConnections,
  maxMessages: 1000,
  connectionTimeout: workerData.timeoutMs,
  greetingTimeout: workerData.timeoutMs,
  socketTimeout: workerData.timeoutMs,
});
parentPort.on('message', (m) => {
  if (m === 'close') {
    transport.close();
    parentPort.postMessage({ closed: true });
    return;
  }
  transport.sendMail({ ...m.mail, disableFileAccess: true, disableUrlAccess: true }).then(
    (info) => parentPort.postMessage({ id: m.id, response: String(info.response || ''), rejected: Array.isArray(info.rejected) ? info.rejected.length : 0 }),
    (err) => parentPort.postMessage({ id: m.id, error: { message: String((err && err.message) || err), responseCode: err && err.responseCode, response: err && err.response, code: err && err.code } }),
  );
});
`;

interface Reply {
  id: number;
  response?: string;
  rejected?: number;
  error?: { message: string; responseCode?: number; response?: string; code?: string };
}

export class ThreadedMailTransport implements MailTransport {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: SendResult) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private closed = false;

  constructor(url: string, options: SmtpOptions = {}) {
    this.worker = new Worker(SOURCE, {
      eval: true,
      workerData: { url, module: require.resolve('nodemailer'), maxConnections: options.maxConnections ?? 5, timeoutMs: options.timeoutMs ?? 30_000 },
    });
    this.worker.unref();
    this.worker.on('message', (m: Reply) => {
      const waiter = this.waiting.get(m.id);
      if (!waiter) return;
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (m.error) return waiter.reject(classifySmtpError(m.error));
      const response = (m.response ?? '').slice(0, 500);
      if (m.rejected) return waiter.reject(new MailSendError(`recipient refused: ${response}`, null, true));
      const code = /^(\d{3})/.exec(response);
      waiter.resolve({ response, code: code ? Number(code[1]) : null });
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', () => this.failAll(new Error('the mail thread stopped')));
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(classifySmtpError(err));
    this.waiting.clear();
  }

  send(mail: OutgoingMail): Promise<SendResult> {
    if (this.closed) return Promise.reject(new MailSendError('the mail transport is closed', null, false));
    const id = ++this.seq;
    return new Promise<SendResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, mail });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.postMessage('close');
    // let the pool say QUIT, then stop the thread
    setTimeout(() => void this.worker.terminate(), 200).unref();
  }
}
