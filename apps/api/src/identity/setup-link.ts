import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { CredentialStore, IdentityKeys, linkToken, linkUrl } from '@helpdesk/identity';
import { APP_CONFIG, AppConfig } from '../config';
import { CLOCK, Clock, CREDENTIAL_STORE } from '../infrastructure/tokens';
import { IdentityService } from './identity.service';

/**
 * A one-time setup link: creates the first administrator (POST /api/auth/setup). Its nonce
 * and expiry live in the credential store; `email`, when given, is the only address it
 * accepts. `reuse`: answer a still-unused link without an email instead of making another
 * (the server prints the same link on every start until it is used).
 */
export async function setupLink(
  store: CredentialStore,
  keys: IdentityKeys,
  publicUrl: string,
  now: Date,
  validMinutes: number,
  options: { email?: string | null; reuse?: boolean } = {},
): Promise<{ url: string; expiresAt: string }> {
  const email = options.email ? options.email.trim().toLowerCase() : null;
  if (options.reuse && !email) {
    const open = (await store.findUnusedOneTime('setup', now.toISOString())).find((r) => r.email === null);
    if (open) return { url: linkUrl(publicUrl, 'setup', linkToken(keys, 'setup', 'setup', open.nonceId)), expiresAt: open.expiresAt! };
  }
  const nonceId = randomUUID();
  const expiresAt = new Date(now.getTime() + validMinutes * 60_000).toISOString();
  await store.createOneTime({ purpose: 'setup', nonceId, email, expiresAt, usedAt: null, createdAt: now.toISOString() });
  return { url: linkUrl(publicUrl, 'setup', linkToken(keys, 'setup', 'setup', nonceId)), expiresAt };
}

/** First start with nobody able to sign in: print a setup link. Also ends expired sessions hourly. */
@Injectable()
export class IdentityBootstrap implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('identity');
  /** the link printed at start (for tests), null when people exist */
  lastSetupLink: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CREDENTIAL_STORE) private readonly credentials: CredentialStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly identity: IdentityService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.credentials.countCredentials()) === 0) {
      const { url, expiresAt } = await setupLink(this.credentials, this.identity.keys, this.config.identity.publicUrl, this.clock.now(), this.config.identity.setupLinkValidMinutes, {
        reuse: true,
      });
      this.lastSetupLink = url;
      this.logger.warn(`No one can sign in yet. Create the first administrator with this one-time link (valid until ${expiresAt}): ${url}`);
    }
    this.timer = setInterval(() => {
      this.credentials.deleteExpiredSessions(this.clock.now().toISOString()).catch((err) => this.logger.warn(`session housekeeping: ${(err as Error).message}`));
    }, 60 * 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.identity.settle();
  }
}
