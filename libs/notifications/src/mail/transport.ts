/**
 * Sending one message over SMTP with nodemailer. SMTP_URL says how: `smtps://host:465`
 * (implicit TLS), `smtp://host:587` (STARTTLS when the server offers it; `?requireTLS=true`
 * refuses to send without it), credentials as `user:pass@`, and any nodemailer option as a
 * query parameter (`?tls.rejectUnauthorized=false`, `?pool=false`). Connections are pooled.
 */
import * as nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<id@domain>`: the same on every attempt, so the receiving side can de-duplicate */
  messageId: string;
  headers?: Record<string, string>;
}

export interface SendResult {
  /** the server's final reply, e.g. "250 OK: queued" */
  response: string;
  code: number | null;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<SendResult>;
  close(): void;
}

export class MailSendError extends Error {
  constructor(
    message: string,
    /** SMTP reply code when the server answered */
    readonly code: number | null,
    /** 5xx (or an address the server will never accept): retrying cannot help */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

/** a nodemailer error as a delivery outcome: 5xx permanent, 4xx and connection problems transient */
export function classifySmtpError(error: unknown): MailSendError {
  if (error instanceof MailSendError) return error;
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
  const code = typeof e?.responseCode === 'number' ? e.responseCode : null;
  const text = (e?.response ?? e?.message ?? String(error)).replace(/\s+/g, ' ').trim().slice(0, 500);
  const permanent = code !== null ? code >= 500 : e?.code === 'EENVELOPE' && /no recipients/i.test(text);
  return new MailSendError(text, code, permanent);
}

export interface SmtpOptions {
  /** simultaneous connections of the pool (default 5) */
  maxConnections?: number;
  /** connection, greeting and socket timeouts, ms (default 30 s) */
  timeoutMs?: number;
}

export class SmtpMailTransport implements MailTransport {
  private readonly transporter: nodemailer.Transporter;

  constructor(url: string, options: SmtpOptions = {}) {
    const timeout = options.timeoutMs ?? 30_000;
    this.transporter = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      maxMessages: 1000,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    } as unknown as Parameters<typeof nodemailer.createTransport>[0]);
  }

  async send(mail: OutgoingMail): Promise<SendResult> {
    try {
      const info = (await this.transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
        // the SMTP reply must name every recipient as accepted
        disableFileAccess: true,
        disableUrlAccess: true,
      })) as { response?: string; rejected?: unknown[] };
      const response = String(info.response ?? '');
      if (Array.isArray(info.rejected) && info.rejected.length > 0) throw new MailSendError(`recipient refused: ${response}`, null, true);
      const m = /^(\d{3})/.exec(response);
      return { response: response.slice(0, 500), code: m ? Number(m[1]) : null };
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  close(): void {
    this.transporter.close();
  }
}

/** host part of SMTP_URL without credentials (for logs) */
export function describeSmtpUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return '(unparseable SMTP_URL)';
  }
}
