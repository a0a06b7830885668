/**
 * `access_log` read model, for auditors: one entry per sign-in, failed sign-in, sign-out,
 * session revocation, password or second-factor change (the access streams), and per change
 * of a person's roles, approver rights or activation (their user stream). Entries are
 * written once, keyed by the event id, so replays change nothing.
 */
import { ACCESS_EVENT_TYPES } from '@helpdesk/domain';
import type { LeanStoredEvent } from '@helpdesk/event-store';
import type { Doc } from '@helpdesk/read-store';
import type { Projection } from '../projection';
import { COLLECTIONS, occurredAt, utcIso } from './common';

/** the user-stream events the access log shows, and the action each is listed as */
export const ACCESS_USER_EVENTS: Record<string, string> = {
  UserInvited: 'user-invited',
  InvitationAccepted: 'invitation-accepted',
  InvitationRenewed: 'invitation-renewed',
  UserRolesChanged: 'roles-changed',
  ApproverGranted: 'approver-granted',
  ApproverRevoked: 'approver-revoked',
  UserDeactivated: 'user-deactivated',
  UserReactivated: 'user-reactivated',
  PasswordResetRequested: 'password-reset-requested',
};

export const ACCESS_ACTIONS: Record<string, string> = {
  SignedIn: 'signed-in',
  SignInFailed: 'sign-in-failed',
  SignedOut: 'signed-out',
  SessionsRevoked: 'sessions-revoked',
  PasswordChanged: 'password-changed',
  MfaEnabled: 'mfa-enabled',
  MfaDisabled: 'mfa-disabled',
  ...ACCESS_USER_EVENTS,
};

export interface AccessEntryFields {
  entryId: string;
  at: string;
  action: string;
  /** the person the entry is about; null for a failed sign-in with an unknown email */
  userId: string | null;
  /** who did it (the person, an administrator, `system:...`) */
  by: string | null;
  email: string | null;
  ip: string | null;
  userAgent: string | null;
  /** what else the event says (reason, method, roles from/to, count...), never credentials */
  detail: Record<string, unknown>;
  streamId: string;
  position: number;
}

export interface AccessEntryDoc extends Doc, AccessEntryFields {}

const OMIT = new Set(['userId', 'at', 'ip', 'userAgent', 'email', 'by']);

export function accessEntry(event: LeanStoredEvent): AccessEntryDoc {
  const d = event.data as Record<string, unknown>;
  const detail: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) if (!OMIT.has(k)) detail[k] = v;
  const userId = typeof d.userId === 'string' ? d.userId : null;
  const by =
    typeof d.by === 'string' ? d.by : typeof d.invitedBy === 'string' ? d.invitedBy : event.type === 'SignInFailed' ? null : userId;
  if (event.type === 'UserInvited') for (const k of ['invitedBy', 'invitedAt', 'expiresAt', 'invitationId']) delete detail[k];
  return {
    _id: event.id,
    entryId: event.id,
    at: utcIso(typeof d.at === 'string' ? d.at : typeof d.invitedAt === 'string' ? d.invitedAt : occurredAt(event)),
    action: ACCESS_ACTIONS[event.type] ?? event.type,
    userId,
    by,
    email: typeof d.email === 'string' ? d.email : null,
    ip: typeof d.ip === 'string' ? d.ip : null,
    userAgent: typeof d.userAgent === 'string' ? d.userAgent : null,
    detail,
    streamId: event.streamId,
    position: Number(event.position),
  };
}

export const accessLogProjection: Projection = {
  name: 'access-log',
  collections: [
    {
      name: COLLECTIONS.accessLog,
      indexes: [{ fields: [['at', 1], ['position', 1]] }, { fields: [['userId', 1], ['at', 1], ['position', 1]] }],
    },
  ],
  handles: new Set<string>([...ACCESS_EVENT_TYPES, ...Object.keys(ACCESS_USER_EVENTS)]),
  async apply(event, ctx) {
    const fromAccess = event.streamId.startsWith('access-');
    const fromUser = event.streamId.startsWith('user-') && !event.streamId.startsWith('user-email-');
    if (!fromAccess && !fromUser) return;
    await ctx.update<AccessEntryDoc>(COLLECTIONS.accessLog, event.id, (doc) => doc ?? accessEntry(event));
  },
};
