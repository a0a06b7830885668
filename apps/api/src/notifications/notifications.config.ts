/**
 * Notification settings from the environment (validated with the rest of the configuration;
 * every problem is reported at once).
 */
import { allowListProblems } from '@helpdesk/notifications';

export interface NotificationsConfig {
  /** null: no e-mail; notifications stay in the console */
  smtpUrl: string | null;
  mailFrom: string | null;
  /** the console's address, for links in messages */
  publicUrl: string;
  /** local hour (company zone) of the daily digest */
  digestHour: number;
  mail: { maxAttempts: number; initialBackoffMs: number; maxBackoffMs: number; concurrency: number; timeoutMs: number };
  webhooks: { allowHosts: string; maxAttempts: number; initialBackoffMs: number; maxBackoffMs: number; disableAfter: number; timeoutMs: number; concurrency: number };
  /** longest sleep of the dispatchers between looks at the store (ms) */
  pollMs: number;
}

type IntReader = (name: string, fallback: number, min: number, max: number) => number;

/** `publicUrl`: PUBLIC_URL as the identity configuration validated it (the console's address) */
export function loadNotificationsConfig(env: NodeJS.ProcessEnv, publicUrl: string, int: IntReader, problems: string[]): NotificationsConfig {
  const smtpUrl = env.SMTP_URL || null;
  if (smtpUrl) {
    try {
      const u = new URL(smtpUrl);
      if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') problems.push(`SMTP_URL must start with smtp:// or smtps://, got ${u.protocol}//`);
      else if (!u.hostname) problems.push('SMTP_URL has no host');
    } catch {
      problems.push('SMTP_URL is not a URL (e.g. smtps://user:pass@mail.example.com:465 or smtp://mail.example.com:587)');
    }
  }
  const mailFrom = env.MAIL_FROM || null;
  if (smtpUrl && !mailFrom) problems.push('SMTP_URL needs MAIL_FROM (e.g. "Mesa de ayuda <soporte@example.com>")');
  if (mailFrom && !/^[^\r\n<>]*<?[^\s@<>]+@[^\s@<>]+\.?[^\s@<>]*>?$/.test(mailFrom)) problems.push(`MAIL_FROM must be an address or "Name <address>", got ${JSON.stringify(mailFrom)}`);
  problems.push(...allowListProblems(env.WEBHOOK_ALLOW_HOSTS));
  return {
    smtpUrl,
    mailFrom,
    publicUrl,
    digestHour: int('NOTIFY_DIGEST_HOUR', 8, 0, 23),
    mail: {
      maxAttempts: int('MAIL_MAX_ATTEMPTS', 8, 1, 100),
      initialBackoffMs: int('MAIL_RETRY_INITIAL_MS', 30_000, 1, 86_400_000),
      maxBackoffMs: int('MAIL_RETRY_MAX_MS', 3_600_000, 1, 86_400_000),
      concurrency: int('MAIL_CONCURRENCY', 8, 1, 100),
      timeoutMs: int('MAIL_TIMEOUT_MS', 30_000, 100, 600_000),
    },
    webhooks: {
      allowHosts: env.WEBHOOK_ALLOW_HOSTS ?? '',
      maxAttempts: int('WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
      initialBackoffMs: int('WEBHOOK_RETRY_INITIAL_MS', 30_000, 1, 86_400_000),
      maxBackoffMs: int('WEBHOOK_RETRY_MAX_MS', 3_600_000, 1, 86_400_000),
      disableAfter: int('WEBHOOK_DISABLE_AFTER', 5, 1, 1000),
      timeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      concurrency: int('WEBHOOK_CONCURRENCY', 8, 1, 100),
    },
    pollMs: int('NOTIFY_POLL_MS', 1000, 10, 60_000),
  };
}
