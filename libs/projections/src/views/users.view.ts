/**
 * `users` read model: one document per person, folded with the domain's own `evolveUser`
 * (so the list never disagrees with the command side). `roleFlags` (one boolean per role)
 * lets the list filter by role with a plain field condition; it is not part of the answer.
 */
import { USER_EVENT_TYPES, evolveUser, initialUserState } from '@helpdesk/domain';
import type { Language, UserEvent, UserKind, UserState, UserStatus } from '@helpdesk/domain';
import type { LeanStoredEvent } from '@helpdesk/event-store';
import type { Doc } from '@helpdesk/read-store';
import type { Projection } from '../projection';
import { COLLECTIONS, domainEvent, streamEntityId, utcIso } from './common';

export const ALL_ROLES = ['customer', 'agent', 'supervisor', 'auditor', 'finance', 'admin'] as const;

export interface UserFields {
  userId: string;
  kind: UserKind;
  email: string;
  name: string;
  roles: string[];
  customerId: string | null;
  approver: boolean;
  status: UserStatus;
  language: Language;
  invitedAt: string;
  invitedBy: string;
  activatedAt: string | null;
  deactivatedAt: string | null;
  /** the invitation link that works now expires then (null once accepted) */
  invitationExpiresAt: string | null;
  version: number;
  lastPosition: number;
}

export interface UserDoc extends Doc, UserFields {
  roleFlags: Record<string, boolean>;
  state: UserState;
}

export function applyUserEvent(doc: UserDoc | null, event: LeanStoredEvent): UserDoc | null {
  const state = evolveUser(doc?.state ?? initialUserState(), domainEvent<UserEvent>(event));
  if (state.userId === null || state.status === null || state.kind === null) return doc;
  return {
    _id: state.userId,
    userId: state.userId,
    kind: state.kind,
    email: state.email!,
    name: state.name!,
    roles: state.roles,
    customerId: state.customerId,
    approver: state.approver,
    status: state.status,
    language: state.language!,
    invitedAt: utcIso(state.invitedAt!),
    invitedBy: state.invitedBy!,
    activatedAt: utcIso(state.activatedAt),
    deactivatedAt: utcIso(state.deactivatedAt),
    invitationExpiresAt: state.status === 'invited' ? utcIso(state.invitation?.expiresAt ?? null) : null,
    version: Number(event.version),
    lastPosition: Number(event.position),
    roleFlags: Object.fromEntries(ALL_ROLES.map((r) => [r, state.roles.includes(r)])),
    state,
  };
}

export const usersProjection: Projection = {
  name: 'users',
  collections: [
    {
      name: COLLECTIONS.users,
      indexes: [
        { fields: [['name', 1]] },
        { fields: [['email', 1]] },
        { fields: [['kind', 1], ['name', 1]] },
        { fields: [['customerId', 1], ['name', 1]] },
        { fields: [['status', 1], ['name', 1]] },
      ],
    },
  ],
  handles: new Set<string>(USER_EVENT_TYPES),
  async apply(event, ctx) {
    if (!event.streamId.startsWith('user-') || event.streamId.startsWith('user-email-')) return;
    const userId = (event.data.userId as string | undefined) ?? streamEntityId(event, 'user-');
    await ctx.update<UserDoc>(COLLECTIONS.users, userId, (doc) => applyUserEvent(doc, event));
  },
};
