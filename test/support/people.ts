/**
 * People for the notification tests, in the `users` read model (CONTRACTS.md "Users").
 *
 * TODO(identity merge): once the identity branch's users, invitations and sessions are in
 * main, create these people through the invitation endpoints (POST /api/users/invitations,
 * then accept) instead of writing documents.
 */
import type { ReadStore, WriteOp } from '@helpdesk/read-store';

export interface TestPerson {
  userId: string;
  kind: 'staff' | 'contact';
  email: string;
  name: string;
  roles: string[];
  customerId?: string | null;
  approver?: boolean;
  status?: 'invited' | 'active' | 'deactivated';
  language?: 'es-MX' | 'es-CO' | 'en';
}

let position = 1_000_000_000;

export async function seedPeople(views: ReadStore, people: TestPerson[]): Promise<void> {
  await views.ensureCollections([{ name: 'users', indexes: [] }]);
  const ops: WriteOp[] = people.map((p) => ({
    kind: 'put',
    collection: 'users',
    doc: {
      _id: p.userId,
      _pos: ++position,
      userId: p.userId,
      kind: p.kind,
      email: p.email,
      name: p.name,
      roles: p.roles,
      customerId: p.customerId ?? null,
      approver: p.approver ?? false,
      status: p.status ?? 'active',
      language: p.language ?? 'es-MX',
      invitedAt: '2026-11-01T00:00:00.000Z',
      invitedBy: 'root',
      activatedAt: '2026-11-01T00:00:00.000Z',
      deactivatedAt: null,
      version: 1,
      lastPosition: position,
    },
  }));
  await views.applyBatch(ops);
}
