/**
 * Names for ids: customers (GET /api/customers, staff) and users (GET /api/users, CONTRACTS.md).
 * Servers without those endpoints, or principals not allowed to list them, get an empty
 * directory and the screens show the ids.
 */
import { useQuery } from '@tanstack/react-query';
import { request } from './api/client';
import { isProblem } from './api/problem';
import type { Customer, Page, StaffUser } from './api/views';
import { useI18n } from './i18n/i18n';
import { unknownPerson } from './people';

async function allPages<T>(path: string, maxPages = 10): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const page: Page<T> = await request<Page<T>>('GET', `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return items;
}

const tolerant = async <T,>(load: () => Promise<T[]>): Promise<T[]> => {
  try {
    return await load();
  } catch (err) {
    if (isProblem(err) && (err.status === 404 || err.status === 403)) return [];
    throw err;
  }
};

export function useCustomers(enabled = true) {
  return useQuery({
    queryKey: ['customers'],
    enabled,
    staleTime: 60_000,
    queryFn: () => tolerant(() => allPages<Customer>('/api/customers')),
  });
}

export function useCustomerNames(enabled = true): (id: string | null) => string {
  const { data } = useCustomers(enabled);
  const names = new Map((data ?? []).map((c) => [c.customerId, c.name]));
  // without a directory, a short form of the id is enough to tell customers apart
  return (id) => (id ? (names.get(id) ?? id.slice(0, 8)) : '—');
}

export function useStaffUsers(enabled = true) {
  return useQuery({
    queryKey: ['users', 'staff'],
    enabled,
    staleTime: 60_000,
    queryFn: () => tolerant(() => allPages<StaffUser>('/api/users?kind=staff&status=active')),
  });
}

/** everybody the principal may see: staff see all people, a contact sees their own customer's contacts */
export function usePeople(enabled = true) {
  return useQuery({
    queryKey: ['users', 'all'],
    enabled,
    staleTime: 60_000,
    queryFn: () => tolerant(() => allPages<StaffUser>('/api/users')),
  });
}

export function useUserNames(enabled = true): (id: string | null) => string {
  const { t } = useI18n();
  const { data } = usePeople(enabled);
  const names = new Map((data ?? []).map((u) => [u.userId, u.name]));
  return (id) => (id ? (names.get(id) ?? unknownPerson(id, t)) : '—');
}
