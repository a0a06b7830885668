import { lazy, Suspense } from 'react';
import { withInsights } from '../shared/i18n/i18n';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { AppLayout } from '../shared/layout/AppLayout';
import { canWorkTickets, isCustomer, useSession } from '../shared/session/session';
import { homeOf } from '../shared/layout/oversight-nav';
import { ScreenLoader } from '../shared/ui/ScreenLoader';

// one chunk per screen: the first screen loads only what it shows
const screens = {
  signIn: () => import('../sign-in/SignInScreen'),
  queue: () => import('../queue/QueueScreen'),
  ticket: () => import('../ticket/TicketScreen'),
  portal: () => import('../portal/PortalHome'),
  openTicket: () => import('../portal/OpenTicketScreen'),
  portalTicket: () => import('../portal/PortalTicketScreen'),
  policies: () => import('../policies/PoliciesScreen'),
};
const SignInScreen = lazy(screens.signIn);
const QueueScreen = lazy(screens.queue);
const TicketScreen = lazy(screens.ticket);
const PortalHome = lazy(screens.portal);
const OpenTicketScreen = lazy(screens.openTicket);
const PortalTicketScreen = lazy(screens.portalTicket);
const PoliciesScreen = lazy(screens.policies);

// the code of the screen the address names starts loading with the session, not after it
{
  const path = window.location.pathname;
  const first =
    path.startsWith('/queue') ? screens.queue
    : path.startsWith('/tickets/') ? screens.ticket
    : path === '/portal' ? screens.portal
    : path === '/portal/new' ? screens.openTicket
    : path.startsWith('/portal/tickets/') ? screens.portalTicket
    : path.startsWith('/portal/policies') ? screens.policies
    : path.startsWith('/sign-in') ? screens.signIn
    : null;
  void first?.();
}
const NoScreen = lazy(() => import('./NoScreen'));
const SetupScreen = lazy(() => import('../sign-in/LinkScreens').then((m) => ({ default: m.SetupScreen })));
const InvitationScreen = lazy(() => import('../sign-in/LinkScreens').then((m) => ({ default: m.InvitationScreen })));
const PasswordResetScreen = lazy(() => import('../sign-in/LinkScreens').then((m) => ({ default: m.PasswordResetScreen })));

/** the screens of the one-time links the server sends or prints: signed in or not */
const LINK_PATHS = ['/setup', '/invitation', '/password-reset'];
function LinkRoutes() {
  return (
    <Suspense fallback={<ScreenLoader />}>
      <Routes>
        <Route path="/setup" element={<SetupScreen />} />
        <Route path="/invitation" element={<InvitationScreen />} />
        <Route path="/password-reset" element={<PasswordResetScreen />} />
      </Routes>
    </Suspense>
  );
}
// part 2: oversight screens (case replay, audit, finance, dashboard, administration)
const CasesScreen = lazy(withInsights(() => import('../case-replay/CasesScreen')));
const CaseReplayScreen = lazy(withInsights(() => import('../case-replay/CaseReplayScreen')));
const AuditScreen = lazy(withInsights(() => import('../audit/AuditScreen')));
const FinanceScreen = lazy(withInsights(() => import('../finance/FinanceScreen')));
const DashboardScreen = lazy(withInsights(() => import('../dashboard/DashboardScreen')));
const AdministrationScreen = lazy(withInsights(() => import('../administration/AdministrationScreen')));
// the paths notifications (and their e-mails) link to: each person's own screen for them
const LinkRedirect = lazy(() => import('../notifications/LinkRedirect'));

/** a customer's contact following a ticket link lands on the portal's view of it */
function TicketRoute() {
  const { me } = useSession();
  return me && isCustomer(me) ? <LinkRedirect /> : <TicketScreen />;
}

function Home() {
  const { me } = useSession();
  if (!me) return <Navigate to="/sign-in" replace />;
  if (canWorkTickets(me)) return <Navigate to="/queue" replace />;
  if (isCustomer(me)) return <Navigate to="/portal" replace />;
  const home = homeOf(me);
  if (home) return <Navigate to={home} replace />;
  return <NoScreen />;
}

export function AppRoutes({ settingsLoading }: { settingsLoading: boolean }) {
  const { session } = useSession();
  const location = useLocation();
  if (LINK_PATHS.includes(location.pathname) && session.status !== 'loading') return <LinkRoutes />;
  if (session.status === 'loading' || settingsLoading) return <ScreenLoader />;
  if (session.status === 'signed-out') {
    return (
      <Suspense fallback={<ScreenLoader />}>
        <Routes>
          <Route path="/sign-in" element={<SignInScreen expired={session.expired} />} />
          <Route path="*" element={<Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />} />
        </Routes>
      </Suspense>
    );
  }
  return (
    <AppLayout>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/sign-in" element={<Navigate to={new URLSearchParams(location.search).get('next') || '/'} replace />} />
        <Route path="/queue" element={<QueueScreen />} />
        <Route path="/tickets/:ticketId" element={<TicketRoute />} />
        <Route path="/portal" element={<PortalHome />} />
        <Route path="/portal/new" element={<OpenTicketScreen />} />
        <Route path="/portal/tickets/:ticketId" element={<PortalTicketScreen />} />
        <Route path="/portal/policies" element={<PoliciesScreen />} />
        <Route path="/cases" element={<CasesScreen />} />
        <Route path="/cases/:ticketId" element={<CaseReplayScreen />} />
        <Route path="/audit" element={<AuditScreen />} />
        <Route path="/finance" element={<FinanceScreen />} />
        <Route path="/dashboard" element={<DashboardScreen />} />
        <Route path="/admin" element={<AdministrationScreen />} />
        <Route path="/admin/:section" element={<AdministrationScreen />} />
        <Route path="/policies/:policyId" element={<LinkRedirect />} />
        <Route path="/webhooks/:webhookId" element={<LinkRedirect />} />
        <Route path="*" element={<NoScreen notFound />} />
      </Routes>
    </AppLayout>
  );
}
