/**
 * Everyone's names (staff and customers' contacts, any status) for screens that show who did
 * what: replay, audit, administration (GET /api/users, paged). Principals that may not list
 * people (finance) or servers without the endpoint get an empty directory: ids are shown.
 */
import { useQuery } from '@tanstack/react-query';
import { request } from './api/client';
import { isProblem } from './api/problem';
import type { Page } from './api/views';
import { useI18n, type Translate } from './i18n/i18n';

export interface Person {
  userId: string;
  kind: 'staff' | 'contact';
  name: string;
  email: string;
  roles: string[];
  customerId: string | null;
  approver: boolean;
  status: 'invited' | 'active' | 'deactivated';
  language?: string;
  invitedAt?: string;
  invitedBy?: string;
  activatedAt?: string | null;
  deactivatedAt?: string | null;
  version?: number;
}

export async function allUserPages(query = '', maxPages = 25): Promise<Person[]> {
  const items: Person[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const qs = new URLSearchParams(query);
    qs.set('limit', '200');
    if (cursor) qs.set('cursor', cursor);
    const page: Page<Person> = await request<Page<Person>>('GET', `/api/users?${qs.toString()}`);
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return items;
}

export function usePeople(enabled = true) {
  return useQuery({
    queryKey: ['users', 'everyone'],
    enabled,
    staleTime: 60_000,
    queryFn: async () => {
      try {
        return await allUserPages();
      } catch (err) {
        if (isProblem(err) && (err.status === 404 || err.status === 403)) return [] as Person[];
        throw err;
      }
    },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** a person this principal may not list (finance reads no directory): "Usuario a36e0bcf", never a whole id */
export function unknownPerson(id: string, t: Translate): string {
  return UUID.test(id) ? t('people.unknown', { id: id.slice(0, 8) }) : id;
}

/** id -> name ("Sistema" for the scheduler and other system actors, the id itself when unknown) */
export function usePersonName(enabled = true): (id: string | null | undefined) => string {
  const { t } = useI18n();
  const { data } = usePeople(enabled);
  const names = new Map((data ?? []).map((p) => [p.userId, p.name]));
  return (id) => {
    if (!id) return '—';
    if (id.startsWith('system')) return t('people.system');
    return names.get(id) ?? unknownPerson(id, t);
  };
}
