/**
 * HTTP side of notifications: the signed-in person's own notifications and preferences, the
 * admins' view of e-mail deliveries and escalation contacts, and webhook subscriptions.
 */
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'crypto';
import { DIGEST_KINDS, MANDATORY_EMAIL_KINDS, NOTIFICATION_KINDS, type NotificationKind, type NotificationLanguage, type NotificationPreferences } from '@helpdesk/domain/notifications';
import type { EventStore } from '@helpdesk/event-store';
import {
  USERS_COLLECTION,
  checkTarget,
  consolePathOf,
  generateWebhookSecret,
  isValidWebhookSecret,
  parseAllowList,
  personOf,
  titleOf,
  TargetRefusedError,
  type MailDeliveryRecord,
  type NotificationRecord,
  type UserDoc,
  type WebhookDeliveryRecord,
  type WebhookRecord,
} from '@helpdesk/notifications';
import type { ReadStore } from '@helpdesk/read-store';
import { APP_CONFIG, AppConfig } from '../config';
import { AuthenticatedRequest, Roles } from '../http/auth';
import { ProblemException, invalidRequest, notFound, problem } from '../http/problem';
import { Envelopes } from '../http/request';
import { EVENT_STORE, READ_STORE } from '../infrastructure/tokens';
import {
  CreateWebhookDto,
  DeliveryQueryDto,
  EscalationContactsViewDto,
  MailDeliveryDto,
  MailDeliveryPageDto,
  NotificationDto,
  NotificationListQueryDto,
  NotificationPageDto,
  NotificationPreferencesDto,
  SetEscalationContactsDto,
  UpdateNotificationPreferencesDto,
  UpdateWebhookDto,
  WebhookCreatedDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
  WebhookDeliveryQueryDto,
  WebhookDto,
  WebhookListDto,
} from './dtos';
import { ApiProblems } from '../http/openapi';
import { NOTIFICATIONS, NotificationsRuntime } from './runtime';

const EVERYONE = ['customer', 'agent', 'supervisor', 'auditor', 'finance', 'admin'] as const;

const conflict = (code: string, detail: string) => new ProblemException(problem(409, code, detail));
/** 422: well-formed (the document accepts it) but refused for what it names, with the fields at fault */
const refused = (code: string, errors: Array<{ path: string; message: string }>) =>
  new ProblemException(problem(422, code, errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors }));

// ------------------------------------------------------------------ views

function emailView(n: NotificationRecord, delivery: MailDeliveryRecord | undefined): NotificationDto['email'] {
  if (n.email.channel === 'none') return { state: 'suppressed', reason: n.email.suppressedReason, digest: false, attempts: 0, sentAt: null };
  const digest = n.email.channel === 'digest';
  if (!delivery) return { state: 'pending', reason: null, digest, attempts: 0, sentAt: null };
  return { state: delivery.state, reason: delivery.state === 'failed' ? delivery.failureReason : null, digest, attempts: delivery.attempts, sentAt: delivery.sentAt };
}

export function mailDeliveryView(d: MailDeliveryRecord): MailDeliveryDto {
  return {
    deliveryId: d.deliveryId,
    type: d.type,
    kind: d.kind,
    recipientId: d.recipientId,
    to: d.to,
    messageId: d.messageId,
    notificationIds: d.notificationIds,
    digestDate: d.digestDate,
    state: d.state,
    attempts: d.attempts,
    failureReason: d.failureReason,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt,
    createdAt: d.createdAt,
    sentAt: d.sentAt,
    log: d.log,
  };
}

function webhookView(w: WebhookRecord): WebhookDto {
  return {
    webhookId: w.webhookId,
    url: w.url,
    eventTypes: w.eventTypes,
    customerId: w.customerId,
    description: w.description,
    state: w.state,
    disabledAt: w.disabledAt,
    disabledReason: w.disabledReason,
    consecutiveFailures: w.consecutiveFailures,
    createdAt: w.createdAt,
    createdBy: w.createdBy,
    updatedAt: w.updatedAt,
  };
}

function webhookDeliveryView(d: WebhookDeliveryRecord): WebhookDeliveryDto {
  return {
    deliveryId: d.deliveryId,
    webhookId: d.webhookId,
    eventId: d.eventId,
    eventType: d.eventType,
    position: d.position,
    state: d.state,
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt,
    replays: d.replays,
    log: d.log,
  };
}

// ------------------------------------------------------------------ the person's own

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(
    @Inject(NOTIFICATIONS) private readonly rt: NotificationsRuntime,
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly envelopes: Envelopes,
  ) {}

  private async views_(items: NotificationRecord[], recipientId: string): Promise<NotificationDto[]> {
    const deliveries = new Map((await this.rt.store.getMailDeliveries(items.map((n) => n.email.deliveryId).filter((x): x is string => !!x))).map((d) => [d.deliveryId, d]));
    const language = (await this.preferencesView(recipientId)).language as NotificationLanguage;
    return items.map((n) => ({
      notificationId: n.notificationId,
      kind: n.kind,
      title: titleOf(n, language, this.rt.renderContext),
      reason: n.reason,
      link: consolePathOf(n),
      ticketId: n.ticketId,
      policyId: n.policyId,
      customerId: n.customerId,
      params: n.params,
      cause: { eventId: n.cause.eventId, eventType: n.cause.eventType, position: n.cause.position, occurredAt: n.cause.occurredAt },
      createdAt: n.createdAt,
      readAt: n.readAt,
      email: emailView(n, n.email.deliveryId ? deliveries.get(n.email.deliveryId) : undefined),
    }));
  }

  @Get('notifications')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: "The signed-in person's own notifications, newest first, paged by cursor; `unread=true` for the unread ones only" })
  @ApiResponse({ status: 200, type: NotificationPageDto })
  @ApiProblems(400, 401, 403)
  async list(@Query() q: NotificationListQueryDto, @Req() req: AuthenticatedRequest): Promise<NotificationPageDto> {
    const me = req.principal!.id;
    const page = await this.rt.store.listFor(me, { unreadOnly: q.unread === true, limit: q.limit ?? 50, cursor: q.cursor });
    return { items: await this.views_(page.items, me), nextCursor: page.nextCursor, unreadCount: await this.rt.store.countUnread(me) };
  }

  @Post('notifications/:notificationId/read')
  @HttpCode(200)
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'Marks one of your notifications read (again: no change); someone else’s is 404' })
  @ApiResponse({ status: 200, type: NotificationDto })
  @ApiProblems(401, 403, [404, 'not-found: no such notification of yours'])
  async read(@Param('notificationId') id: string, @Req() req: AuthenticatedRequest): Promise<NotificationDto> {
    const me = req.principal!.id;
    const n = await this.rt.store.markRead(me, id, this.envelopes.now());
    if (!n) throw notFound(`notification ${id}`);
    return (await this.views_([n], me))[0];
  }

  private async preferencesView(userId: string, stored?: NotificationPreferences & { updatedAt: string | null }): Promise<NotificationPreferencesDto> {
    const p = stored ?? (await this.rt.store.preferencesOf(userId));
    const user = await this.views.get<UserDoc>(USERS_COLLECTION, userId);
    const account = user ? personOf(user).language : null;
    const email: Record<string, boolean> = {};
    for (const kind of NOTIFICATION_KINDS) email[kind] = MANDATORY_EMAIL_KINDS.includes(kind) || p.email[kind] !== false;
    return {
      language: p.language ?? account ?? this.rt.language,
      languageSource: p.language ? 'preference' : account ? 'account' : 'default',
      dailyDigest: p.dailyDigest,
      digestHour: this.config.notifications.digestHour,
      timeZone: this.rt.zone,
      email: email as unknown as NotificationPreferencesDto['email'],
      mandatoryKinds: [...MANDATORY_EMAIL_KINDS],
      digestKinds: [...DIGEST_KINDS],
      emailEnabled: this.rt.emailEnabled,
      updatedAt: p.updatedAt,
    };
  }

  @Get('me/notification-preferences')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'Your notification preferences: which kinds reach you by e-mail, language, daily digest' })
  @ApiResponse({ status: 200, type: NotificationPreferencesDto })
  @ApiProblems(401, 403)
  async preferences(@Req() req: AuthenticatedRequest): Promise<NotificationPreferencesDto> {
    return this.preferencesView(req.principal!.id);
  }

  @Patch('me/notification-preferences')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'Changes your notification preferences; the kinds that carry an obligation cannot be turned off (400 naming the field)' })
  @ApiResponse({ status: 200, type: NotificationPreferencesDto })
  @ApiProblems(400, 401, 403)
  async updatePreferences(@Body() dto: UpdateNotificationPreferencesDto, @Req() req: AuthenticatedRequest): Promise<NotificationPreferencesDto> {
    const email = (dto.email ?? {}) as Partial<Record<NotificationKind, boolean>>;
    const refused = MANDATORY_EMAIL_KINDS.filter((k) => email[k] === false);
    if (refused.length) throw invalidRequest(refused.map((k) => ({ path: `email.${k}`, message: 'cannot be turned off: it asks you to act' })));
    const stored = await this.rt.store.updatePreferences(
      req.principal!.id,
      (p) => {
        const next = { ...p.email };
        for (const kind of NOTIFICATION_KINDS) {
          const v = email[kind];
          if (v === undefined || MANDATORY_EMAIL_KINDS.includes(kind)) continue;
          if (v) delete next[kind];
          else next[kind] = false;
        }
        return { email: next, language: dto.language === undefined ? p.language : dto.language, dailyDigest: dto.dailyDigest ?? p.dailyDigest };
      },
      this.envelopes.now(),
    );
    return this.preferencesView(req.principal!.id, stored);
  }
}

// ------------------------------------------------------------------ admins: deliveries and escalation contacts

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationAdminController {
  constructor(
    @Inject(NOTIFICATIONS) private readonly rt: NotificationsRuntime,
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly envelopes: Envelopes,
  ) {}

  @Get('notification-deliveries')
  @Roles('admin')
  @ApiOperation({ summary: 'E-mail deliveries (each notification or digest), newest first: state, attempts with the server replies, why one failed' })
  @ApiResponse({ status: 200, type: MailDeliveryPageDto })
  @ApiProblems(400, 401, 403)
  async deliveries(@Query() q: DeliveryQueryDto): Promise<MailDeliveryPageDto> {
    const page = await this.rt.store.listMailDeliveries({ state: q.state, kind: q.kind, recipientId: q.recipientId }, q.limit ?? 50, q.cursor);
    return { items: page.items.map(mailDeliveryView), nextCursor: page.nextCursor };
  }

  @Post('notification-deliveries/:deliveryId/retry')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Sends a failed e-mail again (same Message-ID), with a new round of attempts' })
  @ApiResponse({ status: 200, type: MailDeliveryDto })
  @ApiProblems(401, 403, 404, { status: 409, codes: ['delivery-not-failed', 'version-conflict'], description: 'Only a failed delivery is retried (or it kept changing; retry)' })
  async retry(@Param('deliveryId') id: string): Promise<MailDeliveryDto> {
    for (let i = 0; i < 5; i++) {
      const d = await this.rt.store.getMailDelivery(id);
      if (!d) throw notFound(`delivery ${id}`);
      if (d.state !== 'failed') throw conflict('delivery-not-failed', `delivery ${id} is ${d.state}`);
      const now = this.envelopes.now();
      const stored = await this.rt.store.updateMailDelivery({ ...d, state: 'pending', nextAttemptAt: now, attemptsBefore: d.attempts, failureReason: null, updatedAt: now });
      if (stored) {
        this.rt.mail?.wake();
        return mailDeliveryView(stored);
      }
    }
    throw conflict('version-conflict', `delivery ${id} kept changing`);
  }

  private async contactsView(): Promise<EscalationContactsViewDto> {
    const stored = await this.rt.store.escalationContacts();
    return {
      levels: this.config.preset.escalation.levels
        .filter((l) => l.level >= 2)
        .map((l) => {
          const userIds = stored.levels[String(l.level)] ?? [];
          return { level: l.level, name: l.name, userIds, fallback: userIds.length ? null : 'supervisors' };
        }),
      updatedAt: stored.updatedAt,
      updatedBy: stored.updatedBy,
    };
  }

  @Get('notification-settings/escalation-contacts')
  @Roles('admin', 'supervisor')
  @ApiOperation({ summary: "Who is told when a response target is missed and the case reaches each level of the preset's escalation chain" })
  @ApiResponse({ status: 200, type: EscalationContactsViewDto })
  @ApiProblems(401, 403)
  async contacts(): Promise<EscalationContactsViewDto> {
    return this.contactsView();
  }

  @Put('notification-settings/escalation-contacts')
  @Roles('admin')
  @ApiOperation({ summary: 'Names the people of each escalation level (2 and up; level 1 is the assigned engineer); a level without people falls back to the supervisors' })
  @ApiResponse({ status: 200, type: EscalationContactsViewDto })
  @ApiProblems(400, 401, 403, { status: 422, codes: ['unknown-level', 'duplicate-level', 'unknown-staff'], description: "A level the preset's escalation chain does not have, a level given twice, or a person who is not an active staff member; `errors` names each" })
  async setContacts(@Body() dto: SetEscalationContactsDto, @Req() req: AuthenticatedRequest): Promise<EscalationContactsViewDto> {
    const levels = new Set(this.config.preset.escalation.levels.map((l) => l.level).filter((l) => l >= 2));
    // 2..20 is the document's range; which of them this deployment's chain has is the preset's (422)
    const outside = dto.levels.flatMap((entry, i) =>
      levels.has(entry.level) ? [] : [{ path: `levels.${i}.level`, message: `not a level of the preset's chain above 1 (${[...levels].join(', ') || 'none'})` }],
    );
    if (outside.length) throw refused('unknown-level', outside);
    const twice: Array<{ path: string; message: string }> = [];
    const unknown: Array<{ path: string; message: string }> = [];
    const seen = new Set<number>();
    const byLevel: Record<string, string[]> = {};
    for (const [i, entry] of dto.levels.entries()) {
      if (seen.has(entry.level)) twice.push({ path: `levels.${i}.level`, message: 'given twice' });
      seen.add(entry.level);
      const users = await this.views.getMany<UserDoc>(USERS_COLLECTION, entry.userIds);
      const staff = new Set(users.map(personOf).filter((p) => p.kind === 'staff' && p.status === 'active').map((p) => p.id));
      entry.userIds.forEach((id, j) => {
        if (!staff.has(id)) unknown.push({ path: `levels.${i}.userIds.${j}`, message: 'not an active staff member' });
      });
      byLevel[String(entry.level)] = entry.userIds;
    }
    if (twice.length) throw refused('duplicate-level', twice);
    if (unknown.length) throw refused('unknown-staff', unknown);
    await this.rt.store.setEscalationContacts(byLevel, req.principal!.id, this.envelopes.now());
    this.rt.gatherer.invalidate();
    return this.contactsView();
  }
}

// ------------------------------------------------------------------ webhooks

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    @Inject(NOTIFICATIONS) private readonly rt: NotificationsRuntime,
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly envelopes: Envelopes,
  ) {}

  private async webhook(id: string): Promise<WebhookRecord> {
    const w = await this.rt.store.getWebhook(id);
    if (!w) throw notFound(`webhook ${id}`);
    return w;
  }

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Subscribes a URL to event types; deliveries are signed per Standard Webhooks with the secret, which this answer shows once' })
  @ApiResponse({ status: 201, type: WebhookCreatedDto })
  @ApiProblems(
    400,
    401,
    403,
    {
      status: 422,
      codes: ['webhook-target-refused', 'unknown-customer'],
      description:
        'The url is refused (not a URL, credentials in it, a host that does not resolve, or one that resolves to a loopback, link-local, private, unique-local, multicast or unspecified address not in WEBHOOK_ALLOW_HOSTS), or there is no such customer',
    },
    503,
  )
  async create(@Body() dto: CreateWebhookDto, @Req() req: AuthenticatedRequest): Promise<WebhookCreatedDto> {
    // the document's pattern states the secret's form exactly; this is the library's own check
    if (dto.secret !== undefined && !isValidWebhookSecret(dto.secret)) throw invalidRequest([{ path: 'secret', message: 'must be whsec_ followed by the base64 of 24 to 64 bytes' }]);
    try {
      await checkTarget(dto.url, parseAllowList(this.config.notifications.webhooks.allowHosts));
    } catch (err) {
      if (!(err instanceof TargetRefusedError)) throw err;
      throw refused('webhook-target-refused', [{ path: 'url', message: err.message }]);
    }
    if (dto.customerId !== undefined && !(await this.views.get('customers', dto.customerId))) throw refused('unknown-customer', [{ path: 'customerId', message: 'no such customer' }]);
    const now = this.envelopes.now();
    const webhookId = randomUUID();
    const record: WebhookRecord = {
      _id: webhookId,
      webhookId,
      url: dto.url,
      eventTypes: dto.eventTypes,
      customerId: dto.customerId ?? null,
      description: dto.description ?? null,
      secret: dto.secret ?? generateWebhookSecret(),
      state: 'enabled',
      disabledAt: null,
      disabledReason: null,
      consecutiveFailures: 0,
      disabledCount: 0,
      fromPosition: (await this.events.headPosition()).toString(),
      createdAt: now,
      createdBy: req.principal!.id,
      updatedAt: now,
    };
    await this.rt.store.insertWebhook(record);
    this.rt.recorder?.invalidate();
    return { ...webhookView(record), secret: record.secret };
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Webhook subscriptions (secrets are never shown again)' })
  @ApiResponse({ status: 200, type: WebhookListDto })
  @ApiProblems(401, 403)
  async list(): Promise<WebhookListDto> {
    return { items: (await this.rt.store.listWebhooks()).map(webhookView) };
  }

  @Get(':webhookId')
  @Roles('admin')
  @ApiResponse({ status: 200, type: WebhookDto })
  @ApiProblems(401, 403, 404)
  async get(@Param('webhookId') id: string): Promise<WebhookDto> {
    return webhookView(await this.webhook(id));
  }

  @Patch(':webhookId')
  @Roles('admin')
  @ApiOperation({ summary: 'Enables (clearing the failure count) or disables a subscription, or changes its event types or description' })
  @ApiResponse({ status: 200, type: WebhookDto })
  @ApiProblems(400, 401, 403, 404, { status: 409, codes: ['version-conflict'], description: 'The subscription kept changing under five attempts; retry' })
  async update(@Param('webhookId') id: string, @Body() dto: UpdateWebhookDto, @Req() req: AuthenticatedRequest): Promise<WebhookDto> {
    for (let i = 0; i < 5; i++) {
      const w = await this.webhook(id);
      const now = this.envelopes.now();
      const next: WebhookRecord = { ...w, updatedAt: now };
      if (dto.eventTypes) next.eventTypes = dto.eventTypes;
      if (dto.description !== undefined) next.description = dto.description;
      if (dto.enabled === true && w.state !== 'enabled') Object.assign(next, { state: 'enabled', disabledAt: null, disabledReason: null, consecutiveFailures: 0 });
      if (dto.enabled === false && w.state !== 'disabled') Object.assign(next, { state: 'disabled', disabledAt: now, disabledReason: `disabled by ${req.principal!.id}` });
      const stored = await this.rt.store.updateWebhook(next);
      if (stored) {
        this.rt.recorder?.invalidate();
        return webhookView(stored);
      }
    }
    throw conflict('version-conflict', `webhook ${id} kept changing`);
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Deletes a subscription; its pending deliveries are not sent' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiProblems(401, 403, 404)
  async remove(@Param('webhookId') id: string): Promise<void> {
    if (!(await this.rt.store.deleteWebhook(id))) throw notFound(`webhook ${id}`);
    this.rt.recorder?.invalidate();
  }

  @Get(':webhookId/deliveries')
  @Roles('admin')
  @ApiOperation({ summary: "A subscription's deliveries, newest first, with every attempt's HTTP status" })
  @ApiResponse({ status: 200, type: WebhookDeliveryPageDto })
  @ApiProblems(400, 401, 403, 404)
  async deliveries(@Param('webhookId') id: string, @Query() q: WebhookDeliveryQueryDto): Promise<WebhookDeliveryPageDto> {
    await this.webhook(id);
    const page = await this.rt.store.listWebhookDeliveries(id, { state: q.state }, q.limit ?? 50, q.cursor);
    return { items: page.items.map(webhookDeliveryView), nextCursor: page.nextCursor };
  }

  @Post(':webhookId/deliveries/:deliveryId/replay')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({ summary: 'Sends a delivery again (same webhook-id and body, new timestamp and signature), with a new round of attempts' })
  @ApiResponse({ status: 202, type: WebhookDeliveryDto })
  @ApiProblems(401, 403, 404, { status: 409, codes: ['webhook-disabled', 'delivery-pending', 'version-conflict'], description: 'Enable the subscription first; or the delivery is still being delivered (or it kept changing; retry)' })
  async replay(@Param('webhookId') id: string, @Param('deliveryId') deliveryId: string): Promise<WebhookDeliveryDto> {
    const w = await this.webhook(id);
    for (let i = 0; i < 5; i++) {
      const d = await this.rt.store.getWebhookDelivery(deliveryId);
      if (!d || d.webhookId !== id) throw notFound(`delivery ${deliveryId}`);
      if (w.state !== 'enabled') throw conflict('webhook-disabled', `webhook ${id} is disabled; enable it first`);
      if (d.state === 'pending') throw conflict('delivery-pending', `delivery ${deliveryId} is still being delivered`);
      const now = this.envelopes.now();
      const stored = await this.rt.store.updateWebhookDelivery({ ...d, state: 'pending', nextAttemptAt: now, attemptsBefore: d.attempts, replays: d.replays + 1, updatedAt: now });
      if (stored) {
        this.rt.webhooks?.wake();
        return webhookDeliveryView(stored);
      }
    }
    throw conflict('version-conflict', `delivery ${deliveryId} kept changing`);
  }
}

export const NOTIFICATION_CONTROLLERS = [NotificationsController, NotificationAdminController, WebhooksController];
