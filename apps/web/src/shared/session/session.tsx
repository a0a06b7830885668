/**
 * Who is signed in. The console signs in with the session cookie (POST /api/auth/sign-in,
 * CSRF header on every change: CONTRACTS.md) and reads the principal from GET /api/me. A server
 * without those endpoints (404) runs in token mode: a bearer token pasted on the sign-in screen
 * (kept in this tab's sessionStorage) or sent by the browser itself; its claims name the roles.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { credentials, request } from '../api/client';
import { ApiProblem, isProblem } from '../api/problem';
import type { Language, Me, Page, TicketSummary } from '../api/views';
import { isLanguage } from '../i18n/i18n';

export type Session =
  | { status: 'loading' }
  | { status: 'signed-out'; expired?: boolean }
  | { status: 'signed-in'; me: Me; identity: boolean };

export type SignInResult = { ok: true } | { ok: false; problem: ApiProblem };

interface SessionApi {
  session: Session;
  /** the signed-in principal (throws outside signed-in screens) */
  me: Me | null;
  signIn(body: { email: string; password: string; totpCode?: string; recoveryCode?: string }): Promise<SignInResult>;
  signInWithToken(token: string): Promise<SignInResult>;
  signOut(): Promise<void>;
  reload(): Promise<void>;
  updateMe(patch: Partial<Me>): void;
  /** a sign-in that happened elsewhere (setup, invitation): the server answered `me` and set the cookie */
  adopt(me: Me): void;
}

const TOKEN_KEY = 'helpdesk.token';

/**
 * The first GET /api/me starts when this module loads, in parallel with the settings and the
 * first screen's code (no request waterfall before the first screen).
 */
let earlyMe: Promise<Me> | null = (() => {
  credentials.token = sessionStorage.getItem(TOKEN_KEY);
  const p = request<Me>('GET', '/api/me');
  p.catch(() => undefined); // consumed (and its error handled) by the first load()
  return p;
})();

const SessionContext = createContext<SessionApi | null>(null);

function base64UrlJson(part: string): Record<string, unknown> | null {
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** the principal a bearer token names (the server verifies it; this only reads its claims) */
export function meFromToken(token: string): Me | null {
  const claims = base64UrlJson(token.split('.')[1] ?? '');
  if (!claims || typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) return null;
  const roles = claims.roles.filter((r): r is string => typeof r === 'string');
  const customerId = typeof claims.customerId === 'string' ? claims.customerId : null;
  return {
    id: claims.sub,
    kind: 'token',
    name: typeof claims.name === 'string' ? claims.name : claims.sub,
    email: null,
    roles,
    customerId,
    customerName: null,
    approver: roles.includes('customer') ? claims.approver !== false : false,
    language: isLanguage(claims.language) ? claims.language : 'es-MX',
    authenticatedBy: 'token',
    csrfToken: null,
    mfaEnabled: false,
  };
}

/** no /api/me and no token of ours: the browser sends credentials itself; ask what they allow */
async function probePrincipal(): Promise<Me | null> {
  const base: Omit<Me, 'roles' | 'customerId'> = {
    id: 'token',
    kind: 'token',
    name: 'token',
    email: null,
    customerName: null,
    approver: true,
    language: 'es-MX',
    authenticatedBy: 'token',
    csrfToken: null,
    mfaEnabled: false,
  };
  try {
    await request('GET', '/api/queue?limit=1');
    return { ...base, roles: ['agent'], customerId: null };
  } catch (err) {
    if (!isProblem(err) || err.status !== 403) return null;
  }
  try {
    const page = await request<Page<TicketSummary>>('GET', '/api/tickets?limit=1');
    return { ...base, roles: ['customer'], customerId: page.items[0]?.customerId ?? null };
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const queryClient = useQueryClient();

  const load = useCallback(async (): Promise<Session> => {
    credentials.token = sessionStorage.getItem(TOKEN_KEY);
    try {
      const pending = earlyMe;
      earlyMe = null;
      const me = await (pending ?? request<Me>('GET', '/api/me'));
      credentials.csrfToken = me.csrfToken;
      return { status: 'signed-in', me, identity: true };
    } catch (err) {
      if (!isProblem(err)) throw err;
      if (err.status === 401) {
        const expired = credentials.token !== null;
        sessionStorage.removeItem(TOKEN_KEY);
        credentials.token = null;
        return { status: 'signed-out', expired };
      }
      if (err.status !== 404) throw err;
      // token mode: the server has no /api/me yet
      if (credentials.token) {
        const me = meFromToken(credentials.token);
        if (me) return { status: 'signed-in', me, identity: false };
        sessionStorage.removeItem(TOKEN_KEY);
        credentials.token = null;
      }
      const probed = await probePrincipal();
      return probed ? { status: 'signed-in', me: probed, identity: false } : { status: 'signed-out' };
    }
  }, []);

  const reload = useCallback(async () => {
    try {
      setSession(await load());
    } catch {
      setSession({ status: 'signed-out' });
    }
  }, [load]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const api = useMemo<SessionApi>(
    () => ({
      session,
      me: session.status === 'signed-in' ? session.me : null,
      reload,
      async signIn(body) {
        try {
          const me = await request<Me>('POST', '/api/auth/sign-in', body);
          sessionStorage.removeItem(TOKEN_KEY);
          credentials.token = null;
          credentials.csrfToken = me.csrfToken;
          credentials.minPosition = 0;
          queryClient.clear();
          setSession({ status: 'signed-in', me, identity: true });
          return { ok: true };
        } catch (err) {
          if (isProblem(err)) return { ok: false, problem: err };
          throw err;
        }
      },
      async signInWithToken(token) {
        const trimmed = token.trim().replace(/^Bearer\s+/i, '');
        const previous = credentials.token;
        credentials.token = trimmed;
        try {
          // the server is the judge: any authenticated read will do
          const me = meFromToken(trimmed);
          if (!me) throw new ApiProblem({ status: 401, code: 'unauthenticated', detail: 'not a token' });
          await request('GET', '/api/tickets?limit=1');
          sessionStorage.setItem(TOKEN_KEY, trimmed);
          credentials.minPosition = 0;
          queryClient.clear();
          setSession(await load());
          return { ok: true };
        } catch (err) {
          credentials.token = previous;
          if (isProblem(err)) return { ok: false, problem: err };
          throw err;
        }
      },
      async signOut() {
        if (session.status === 'signed-in' && session.me.authenticatedBy === 'session') {
          try {
            await request('POST', '/api/auth/sign-out');
          } catch {
            // signed out anyway: the cookie is cleared by the server or expires
          }
        }
        sessionStorage.removeItem(TOKEN_KEY);
        credentials.token = null;
        credentials.csrfToken = null;
        credentials.minPosition = 0;
        queryClient.clear();
        setSession({ status: 'signed-out' });
      },
      adopt(me) {
        sessionStorage.removeItem(TOKEN_KEY);
        credentials.token = null;
        credentials.csrfToken = me.csrfToken;
        credentials.minPosition = 0;
        queryClient.clear();
        setSession({ status: 'signed-in', me, identity: true });
      },
      updateMe(patch) {
        setSession((s) => (s.status === 'signed-in' ? { ...s, me: { ...s.me, ...patch } } : s));
      },
    }),
    [session, reload, load, queryClient],
  );

  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** the signed-in principal (screens behind the sign-in gate) */
export function useMe(): Me {
  const me = useSession().me;
  if (!me) throw new Error('useMe outside a signed-in screen');
  return me;
}

export { canWorkTickets, hasRole, isCustomer, isStaff } from './roles';

export function languageKey(me: Me | null): string {
  return me ? `helpdesk.language.${me.id}` : 'helpdesk.language';
}

export function storedLanguage(me: Me | null): Language | null {
  const v = localStorage.getItem(languageKey(me)) ?? localStorage.getItem('helpdesk.language');
  return isLanguage(v) ? v : null;
}
