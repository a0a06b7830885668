/**
 * The console's root: server state (TanStack Query), who is signed in, the company's settings,
 * the language, live updates and the routes (each screen a lazily loaded chunk).
 */
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { BrowserRouter } from 'react-router';
import { request } from '../shared/api/client';
import { isProblem } from '../shared/api/problem';
import type { Language } from '../shared/api/views';
import { I18nProvider, isCatalogLoaded, loadCatalog, translateOptional } from '../shared/i18n/i18n';
import { LiveProvider, useLive } from '../shared/live/live';
import { SessionProvider, languageKey, storedLanguage, useSession } from '../shared/session/session';
import { FALLBACK_SETTINGS, SettingsContext, localizeSettings, settingsQuery, useSettingsQuery } from '../shared/session/settings';
import { filtersFromParams, queueQuery } from '../queue/queue-query';
import { AppRoutes } from './routes';
import { cssVariables, theme } from './theme';

// toasts need their container only once something is said: not part of the first screen
const Notifications = lazy(() => import('@mantine/notifications').then((m) => ({ default: m.Notifications })));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      retry: (count, err) => !(isProblem(err) && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

// the settings load beside GET /api/me (a signed-out visitor's 401 is simply asked again after sign-in),
// and so does the queue's first page when the address is the queue: the screen renders with its rows
const prefetch = (key: readonly unknown[], fetching: Promise<void>) =>
  void fetching.then(() => {
    if (queryClient.getQueryState(key)?.status === 'error') queryClient.removeQueries({ queryKey: key, exact: true });
  });
prefetch(settingsQuery.queryKey, queryClient.prefetchQuery(settingsQuery));
if (window.location.pathname === '/queue') {
  const filters = filtersFromParams(new URLSearchParams(window.location.search), null);
  if (filters) prefetch(queueQuery(filters).queryKey, queryClient.prefetchInfiniteQuery(queueQuery(filters)));
}

/** the element the browser tests read: data-live says whether the event stream is open */
function LiveRoot({ children }: { children: React.ReactNode }) {
  const { status } = useLive();
  const { session } = useSession();
  return (
    <div id="app" data-live={status} data-session={session.status}>
      {children}
    </div>
  );
}

function WithSession() {
  const sessionApi = useSession();
  const { session, me, updateMe } = sessionApi;
  const signedIn = session.status === 'signed-in';
  const settingsQuery = useSettingsQuery(signedIn);
  const settings = settingsQuery.data ?? FALLBACK_SETTINGS;
  const [local, setLocal] = useState<Language | null>(() => storedLanguage(null));

  useEffect(() => setLocal(storedLanguage(me)), [me?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const identity = session.status === 'signed-in' && session.identity && me?.authenticatedBy === 'session';
  const wanted: Language = local ?? (identity && me ? me.language : null) ?? (settingsQuery.data && !settings.fallback ? settings.locale : null) ?? 'es-MX';
  const [, setLoaded] = useState(0);
  useEffect(() => {
    if (!isCatalogLoaded(wanted)) void loadCatalog(wanted).then(() => setLoaded((n) => n + 1));
  }, [wanted]);
  // until the chosen catalog has loaded, the default one speaks
  const language: Language = isCatalogLoaded(wanted) ? wanted : 'es-MX';

  const setLanguage = useCallback(
    (l: Language) => {
      setLocal(l);
      localStorage.setItem(languageKey(me), l);
      localStorage.setItem('helpdesk.language', l);
      if (identity) {
        request('PATCH', '/api/me/preferences', { language: l })
          .then(() => updateMe({ language: l }))
          .catch(() => undefined); // a server without preferences keeps the local choice
      }
    },
    [me, identity, updateMe],
  );

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  // the preset's names (levels, products) in the user's language
  const localized = useMemo(() => localizeSettings(settings, (key, fallback) => translateOptional(language, key, fallback)), [settings, language]);

  return (
    <I18nProvider language={language} setLanguage={setLanguage}>
      <SettingsContext.Provider value={localized}>
        <LiveProvider enabled={signedIn}>
          <LiveRoot>
            <BrowserRouter>
              <AppRoutes settingsLoading={signedIn && settingsQuery.isPending} />
            </BrowserRouter>
          </LiveRoot>
        </LiveProvider>
      </SettingsContext.Provider>
    </I18nProvider>
  );
}

export function Root() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariables}>
      <Suspense fallback={null}>
        <Notifications position="bottom-right" />
      </Suspense>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <WithSession />
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
