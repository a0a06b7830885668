import {
  CLAIM_GRACE_MS,
  InviteUser,
  UserEvent,
  accessStreamId,
  emailClaimDecider,
  evolveUser,
  initialUserState,
  userDecider,
  userEmailStreamId,
  userStreamId,
} from '../../src/users';
import { fold } from '../../src/shared';
import { ctx, deciderSpecification } from '../decider-specification';

const spec = deciderSpecification(userDecider);
const NOW = '2026-11-16T16:00:00.000Z';
const admin = ctx(NOW, { id: 'root', roles: ['admin'] });
const supervisor = ctx(NOW, { id: 'sofia', roles: ['supervisor'] });
const agent = ctx(NOW, { id: 'ana', roles: ['agent'] });
const finance = ctx(NOW, { id: 'fina', roles: ['finance'] });
const WEEK = 7 * 24 * 60;

const inviteStaff = (overrides: Partial<InviteUser> = {}): InviteUser => ({
  type: 'InviteUser',
  userId: 'u1',
  invitationId: 'i1',
  kind: 'staff',
  email: '  Ana.Lopez@Example.MX ',
  name: 'Ana López',
  roles: ['supervisor', 'agent'],
  language: 'es-MX',
  validForMinutes: WEEK,
  facts: { customerExists: false },
  ...overrides,
});

const inviteContact = (overrides: Partial<InviteUser> = {}): InviteUser => ({
  type: 'InviteUser',
  userId: 'c1',
  invitationId: 'i1',
  kind: 'contact',
  email: 'carla@acme.mx',
  name: 'Carla',
  customerId: 'acme',
  approver: true,
  language: 'es-MX',
  validForMinutes: WEEK,
  facts: { customerExists: true },
  ...overrides,
});

const staffInvited: UserEvent = {
  type: 'UserInvited',
  data: {
    userId: 'u1',
    invitationId: 'i1',
    kind: 'staff',
    email: 'ana.lopez@example.mx',
    name: 'Ana López',
    roles: ['agent', 'supervisor'],
    customerId: null,
    approver: false,
    language: 'es-MX',
    expiresAt: '2026-11-23T16:00:00.000Z',
    invitedBy: 'root',
    invitedAt: NOW,
  },
};
const contactInvited: UserEvent = {
  type: 'UserInvited',
  data: { ...staffInvited.data, userId: 'c1', kind: 'contact', email: 'carla@acme.mx', name: 'Carla', roles: ['customer'], customerId: 'acme', approver: false } as never,
};
const accepted = (userId = 'u1', invitationId = 'i1'): UserEvent => ({
  type: 'InvitationAccepted',
  data: { userId, invitationId, method: 'password', name: null, at: '2026-11-17T10:00:00.000Z' },
});

describe('user aggregate', () => {
  it('names its streams', () => {
    expect(userStreamId('u1')).toBe('user-u1');
    expect(userEmailStreamId('ana@example.mx')).toMatch(/^user-email-[0-9a-f]{32}$/);
    expect(accessStreamId('u1', '2026-11-16T23:59:00-06:00')).toBe('access-u1-2026-11');
    expect(accessStreamId(null, '2026-11-16T23:59:00-06:00')).toBe('access-unknown-2026-11-17');
  });

  describe('InviteUser', () => {
    it('an admin invites staff: normalized email, sorted roles, expiry from the validity, who and when', () => {
      spec.given([]).when(inviteStaff(), admin).then([staffInvited]);
    });

    it('admin, supervisor and agent invite contacts; approver rights recorded', () => {
      for (const who of [admin, supervisor, agent]) {
        spec
          .given([])
          .when(inviteContact(), who)
          .then((events) => expect(events[0].data).toMatchObject({ kind: 'contact', roles: ['customer'], customerId: 'acme', approver: true, invitedBy: who.actor.id }));
      }
    });

    it('refuses staff invitations by non-admins and contact invitations by finance (403)', () => {
      spec.given([]).when(inviteStaff(), supervisor).thenThrows('forbidden');
      spec.given([]).when(inviteStaff(), agent).thenThrows('forbidden');
      spec.given([]).when(inviteContact(), finance).thenThrows('forbidden');
    });

    it('refuses bad fields naming them (400)', () => {
      spec.given([]).when(inviteStaff({ email: 'not-an-email' }), admin).thenThrows('invalid-request', { errors: [{ path: 'email', message: expect.any(String) }] });
      spec.given([]).when(inviteStaff({ roles: [] }), admin).thenThrows('invalid-request', { errors: [{ path: 'roles', message: expect.any(String) }] });
      spec.given([]).when(inviteStaff({ roles: ['customer'] }), admin).thenThrows('invalid-request', { errors: [{ path: 'roles', message: expect.any(String) }] });
      spec.given([]).when(inviteStaff({ roles: ['agent', 'agent'] }), admin).thenThrows('invalid-request');
      spec.given([]).when(inviteStaff({ customerId: 'acme' }), admin).thenThrows('invalid-request', { errors: [{ path: 'customerId', message: expect.any(String) }] });
      spec.given([]).when(inviteStaff({ approver: true }), admin).thenThrows('invalid-request', { errors: [{ path: 'approver', message: expect.any(String) }] });
      spec.given([]).when(inviteContact({ customerId: undefined }), admin).thenThrows('invalid-request', { errors: [{ path: 'customerId', message: expect.any(String) }] });
      spec.given([]).when(inviteContact({ roles: ['agent'] }), admin).thenThrows('invalid-request', { errors: [{ path: 'roles', message: expect.any(String) }] });
      spec.given([]).when(inviteStaff({ language: 'fr' as never }), admin).thenThrows('invalid-request', { errors: [{ path: 'language', message: expect.any(String) }] });
    });

    it("404 for a contact of a customer that does not exist; 409 id-reused for an existing user id", () => {
      spec.given([]).when(inviteContact({ facts: { customerExists: false } }), admin).thenThrows('not-found');
      spec.given([staffInvited]).when(inviteStaff(), admin).thenThrows('id-reused');
    });
  });

  describe('SetUpAdministrator', () => {
    it('records the first admin invited and accepted at once', () => {
      spec
        .given([])
        .when({ type: 'SetUpAdministrator', userId: 'a1', invitationId: 's1', email: 'Root@Example.mx', name: 'Root', language: 'es-MX' }, ctx(NOW, { id: 'system:setup', roles: [] }))
        .then((events) => {
          expect(events.map((e) => e.type)).toEqual(['UserInvited', 'InvitationAccepted']);
          expect(events[0].data).toMatchObject({ kind: 'staff', roles: ['admin'], email: 'root@example.mx', invitedBy: 'system:setup' });
          expect(events[1].data).toEqual({ userId: 'a1', invitationId: 's1', method: 'setup', name: null, at: NOW });
        });
    });
  });

  describe('AcceptInvitation', () => {
    const as = (now: string) => ctx(now, { id: 'u1', roles: ['agent', 'supervisor'] });

    it('accepts the pending link before it expires', () => {
      spec
        .given([staffInvited])
        .when({ type: 'AcceptInvitation', userId: 'u1', invitationId: 'i1', method: 'password' }, as('2026-11-23T15:59:59.000Z'))
        .then([{ type: 'InvitationAccepted', data: { userId: 'u1', invitationId: 'i1', method: 'password', name: null, at: '2026-11-23T15:59:59.000Z' } }]);
    });

    it('the person may correct their name on accepting', () => {
      spec
        .given([staffInvited])
        .when({ type: 'AcceptInvitation', userId: 'u1', invitationId: 'i1', method: 'password', name: ' Ana López García ' }, as(NOW))
        .then((e) => expect(fold(evolveUser, initialUserState(), [staffInvited, ...e]).name).toBe('Ana López García'));
    });

    it('410 invitation-expired after the expiry, for a replaced link, an unknown user and a deactivated one', () => {
      spec.given([staffInvited]).when({ type: 'AcceptInvitation', userId: 'u1', invitationId: 'i1', method: 'password' }, as('2026-11-23T16:00:00.000Z')).thenThrows('invitation-expired');
      const renewed: UserEvent = { type: 'InvitationRenewed', data: { userId: 'u1', invitationId: 'i2', expiresAt: '2026-12-01T00:00:00.000Z', by: 'root', at: NOW } };
      spec.given([staffInvited, renewed]).when({ type: 'AcceptInvitation', userId: 'u1', invitationId: 'i1', method: 'password' }, as(NOW)).thenThrows('invitation-expired');
      spec.given([staffInvited, renewed]).when({ type: 'AcceptInvitation', userId: 'u1', invitationId: 'i2', method: 'password' }, as(NOW)).then((e) => expect(e).toHaveLength(1));
      spec.given([]).when({ type: 'AcceptInvitation', userId: 'u1', invitationId: 'i1', method: 'password' }, as(NOW)).thenThrows('invitation-expired');
      const deactivated: UserEvent = { type: 'UserDeactivated', data: { userId: 'u1', reason: 'x', by: 'root', at: NOW } };
      spec.given([staffInvited, deactivated]).when({ type: 'AcceptInvitation', userId: 'u1', invitationId: 'i1', method: 'password' }, as(NOW)).thenThrows('invitation-expired');
    });

    it('409 invitation-used for a link already accepted', () => {
      spec.given([staffInvited, accepted()]).when({ type: 'AcceptInvitation', userId: 'u1', invitationId: 'i1', method: 'password' }, as(NOW)).thenThrows('invitation-used');
    });

    it('single sign-on of an invited person accepts the pending invitation, even after its link expired; an active one -> []', () => {
      spec
        .given([staffInvited])
        .when({ type: 'AcceptInvitation', userId: 'u1', invitationId: '', method: 'oidc' }, as('2027-01-01T00:00:00.000Z'))
        .then((e) => expect(e[0].data).toMatchObject({ invitationId: 'i1', method: 'oidc' }));
      spec.given([staffInvited, accepted()]).when({ type: 'AcceptInvitation', userId: 'u1', invitationId: '', method: 'oidc' }, as(NOW)).then([]);
    });
  });

  describe('RenewInvitation', () => {
    it('gives a new link id and expiry; only while invited', () => {
      spec
        .given([staffInvited])
        .when({ type: 'RenewInvitation', userId: 'u1', invitationId: 'i2', validForMinutes: 60 }, admin)
        .then([{ type: 'InvitationRenewed', data: { userId: 'u1', invitationId: 'i2', expiresAt: '2026-11-16T17:00:00.000Z', by: 'root', at: NOW } }]);
      spec.given([staffInvited, accepted()]).when({ type: 'RenewInvitation', userId: 'u1', invitationId: 'i2', validForMinutes: 60 }, admin).thenThrows('invitation-not-pending');
      spec.given([staffInvited]).when({ type: 'RenewInvitation', userId: 'u1', invitationId: 'i2', validForMinutes: 60 }, agent).thenThrows('forbidden');
      spec.given([contactInvited]).when({ type: 'RenewInvitation', userId: 'c1', invitationId: 'i2', validForMinutes: 60 }, agent).then((e) => expect(e).toHaveLength(1));
      spec.given([]).when({ type: 'RenewInvitation', userId: 'u1', invitationId: 'i2', validForMinutes: 60 }, admin).thenThrows('not-found');
    });
  });

  describe('ChangeUserRoles', () => {
    it('records from, to, reason and who (admins only)', () => {
      spec
        .given([staffInvited, accepted()])
        .when({ type: 'ChangeUserRoles', userId: 'u1', roles: ['finance', 'agent'], reason: 'pasa a cobranza' }, admin)
        .then([
          { type: 'UserRolesChanged', data: { userId: 'u1', from: ['agent', 'supervisor'], to: ['agent', 'finance'], reason: 'pasa a cobranza', by: 'root', at: NOW } },
        ]);
      spec.given([staffInvited]).when({ type: 'ChangeUserRoles', userId: 'u1', roles: ['agent'], reason: 'x' }, supervisor).thenThrows('forbidden');
    });

    it('the roles in force -> []; contacts are 422 not-staff; a reason is required', () => {
      spec.given([staffInvited]).when({ type: 'ChangeUserRoles', userId: 'u1', roles: ['supervisor', 'agent'], reason: 'x' }, admin).then([]);
      spec.given([contactInvited]).when({ type: 'ChangeUserRoles', userId: 'c1', roles: ['agent'], reason: 'x' }, admin).thenThrows('not-staff');
      spec.given([staffInvited]).when({ type: 'ChangeUserRoles', userId: 'u1', roles: ['agent'], reason: ' ' }, admin).thenThrows('invalid-request', { errors: [{ path: 'reason', message: expect.any(String) }] });
    });

    it('an admin cannot drop their own admin role (422 self-lockout)', () => {
      const rootInvited: UserEvent = { type: 'UserInvited', data: { ...staffInvited.data, userId: 'root', roles: ['admin'] } as never };
      spec.given([rootInvited]).when({ type: 'ChangeUserRoles', userId: 'root', roles: ['agent'], reason: 'x' }, admin).thenThrows('self-lockout');
      spec.given([rootInvited]).when({ type: 'ChangeUserRoles', userId: 'root', roles: ['admin', 'agent'], reason: 'x' }, admin).then((e) => expect(e).toHaveLength(1));
    });
  });

  describe('approver rights', () => {
    it('admins and supervisors grant and revoke, with reason and who', () => {
      spec
        .given([contactInvited])
        .when({ type: 'GrantApprover', userId: 'c1', reason: 'autoriza compras' }, supervisor)
        .then([{ type: 'ApproverGranted', data: { userId: 'c1', customerId: 'acme', reason: 'autoriza compras', by: 'sofia', at: NOW } }]);
      const granted: UserEvent = { type: 'ApproverGranted', data: { userId: 'c1', customerId: 'acme', reason: 'x', by: 'sofia', at: NOW } };
      spec
        .given([contactInvited, granted])
        .when({ type: 'RevokeApprover', userId: 'c1', reason: 'dejó la empresa' }, admin)
        .then([{ type: 'ApproverRevoked', data: { userId: 'c1', customerId: 'acme', reason: 'dejó la empresa', by: 'root', at: NOW } }]);
    });

    it('nothing new -> []; agents 403; staff 422 not-a-contact', () => {
      spec.given([contactInvited]).when({ type: 'RevokeApprover', userId: 'c1', reason: 'x' }, admin).then([]);
      spec.given([contactInvited]).when({ type: 'GrantApprover', userId: 'c1', reason: 'x' }, agent).thenThrows('forbidden');
      spec.given([staffInvited]).when({ type: 'GrantApprover', userId: 'u1', reason: 'x' }, admin).thenThrows('not-a-contact');
    });
  });

  describe('deactivation and reactivation', () => {
    const deactivated: UserEvent = { type: 'UserDeactivated', data: { userId: 'u1', reason: 'baja', by: 'root', at: NOW } };

    it('deactivates with reason and who; again -> []; reactivation returns to active', () => {
      spec.given([staffInvited, accepted()]).when({ type: 'DeactivateUser', userId: 'u1', reason: 'baja' }, admin).then([deactivated]);
      spec.given([staffInvited, accepted(), deactivated]).when({ type: 'DeactivateUser', userId: 'u1', reason: 'baja' }, admin).then([]);
      spec
        .given([staffInvited, accepted(), deactivated])
        .when({ type: 'ReactivateUser', userId: 'u1', reason: 'regresa' }, admin)
        .then([{ type: 'UserReactivated', data: { userId: 'u1', reason: 'regresa', by: 'root', at: NOW } }]);
      spec.given([staffInvited, accepted()]).when({ type: 'ReactivateUser', userId: 'u1', reason: 'x' }, admin).then([]);
    });

    it('supervisors manage contacts only; nobody deactivates themselves', () => {
      spec.given([staffInvited]).when({ type: 'DeactivateUser', userId: 'u1', reason: 'x' }, supervisor).thenThrows('forbidden');
      spec.given([contactInvited]).when({ type: 'DeactivateUser', userId: 'c1', reason: 'x' }, supervisor).then((e) => expect(e).toHaveLength(1));
      spec.given([contactInvited]).when({ type: 'DeactivateUser', userId: 'c1', reason: 'x' }, agent).thenThrows('forbidden');
      spec.given([staffInvited]).when({ type: 'DeactivateUser', userId: 'u1', reason: 'x' }, ctx(NOW, { id: 'u1', roles: ['admin'] })).thenThrows('self-lockout');
    });

    it('state: deactivated, then back to active, or to invited when never accepted', () => {
      const state = (events: UserEvent[]) => fold(evolveUser, initialUserState(), events);
      const back: UserEvent = { type: 'UserReactivated', data: { userId: 'u1', reason: 'x', by: 'root', at: NOW } };
      expect(state([staffInvited, accepted(), deactivated]).status).toBe('deactivated');
      expect(state([staffInvited, accepted(), deactivated, back]).status).toBe('active');
      expect(state([staffInvited, deactivated, back]).status).toBe('invited');
    });
  });

  describe('RequestPasswordReset and preferences', () => {
    it('records the request id and expiry for an active user only', () => {
      spec
        .given([staffInvited, accepted()])
        .when({ type: 'RequestPasswordReset', userId: 'u1', requestId: 'r1', validForMinutes: 60 }, ctx(NOW, { id: 'system:identity', roles: [] }))
        .then([{ type: 'PasswordResetRequested', data: { userId: 'u1', requestId: 'r1', expiresAt: '2026-11-16T17:00:00.000Z', at: NOW } }]);
      spec.given([staffInvited]).when({ type: 'RequestPasswordReset', userId: 'u1', requestId: 'r1', validForMinutes: 60 }, admin).thenThrows('user-not-active');
    });

    it('the person changes their own language; others 403; the same -> []', () => {
      const self = ctx(NOW, { id: 'u1', roles: ['agent'] });
      spec
        .given([staffInvited, accepted()])
        .when({ type: 'ChangeUserPreferences', userId: 'u1', language: 'en' }, self)
        .then([{ type: 'UserPreferencesChanged', data: { userId: 'u1', language: 'en', by: 'u1', at: NOW } }]);
      spec.given([staffInvited, accepted()]).when({ type: 'ChangeUserPreferences', userId: 'u1', language: 'es-MX' }, self).then([]);
      spec.given([staffInvited, accepted()]).when({ type: 'ChangeUserPreferences', userId: 'u1', language: 'en' }, admin).thenThrows('forbidden');
    });
  });
});

describe('email claim', () => {
  const claimSpec = deciderSpecification(emailClaimDecider);
  const claimed = { type: 'UserEmailClaimed' as const, data: { email: 'ana@example.mx', userId: 'u1', claimedAt: NOW } };
  const later = (ms: number) => ctx(new Date(Date.parse(NOW) + ms).toISOString());

  it('claims a free email; the same user again -> []', () => {
    claimSpec
      .given([])
      .when({ type: 'ClaimUserEmail', email: 'ana@example.mx', userId: 'u1', facts: { currentHolderExists: false } }, ctx(NOW))
      .then([claimed]);
    claimSpec.given([claimed]).when({ type: 'ClaimUserEmail', email: 'ana@example.mx', userId: 'u1', facts: { currentHolderExists: true } }, ctx(NOW)).then([]);
  });

  it('409 email-in-use while the holder exists, or within the grace period; free afterwards', () => {
    const claim = (exists: boolean) => ({ type: 'ClaimUserEmail' as const, email: 'ana@example.mx', userId: 'u2', facts: { currentHolderExists: exists } });
    claimSpec.given([claimed]).when(claim(true), later(10 * CLAIM_GRACE_MS)).thenThrows('email-in-use', { userId: 'u1' });
    claimSpec.given([claimed]).when(claim(false), later(CLAIM_GRACE_MS - 1)).thenThrows('email-in-use');
    claimSpec.given([claimed]).when(claim(false), later(CLAIM_GRACE_MS)).then((e) => expect(e[0].data.userId).toBe('u2'));
  });
});
