import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { AppLayout } from '../shared/layout/AppLayout';
import { canWorkTickets, isCustomer, useSession } from '../shared/session/session';
import { homeOf } from '../shared/layout/oversight-nav';
import { ScreenLoader } from '../shared/ui/ScreenLoader';

// one chunk per screen: the first screen loads only what it shows
const SignInScreen = lazy(() => import('../sign-in/SignInScreen'));
const QueueScreen = lazy(() => import('../queue/QueueScreen'));
const TicketScreen = lazy(() => import('../ticket/TicketScreen'));
const PortalHome = lazy(() => import('../portal/PortalHome'));
const OpenTicketScreen = lazy(() => import('../portal/OpenTicketScreen'));
const PortalTicketScreen = lazy(() => import('../portal/PortalTicketScreen'));
const PoliciesScreen = lazy(() => import('../policies/PoliciesScreen'));
const NoScreen = lazy(() => import('./NoScreen'));
// part 2: oversight screens (case replay, audit, finance, dashboard, administration)
const CasesScreen = lazy(() => import('../case-replay/CasesScreen'));
const CaseReplayScreen = lazy(() => import('../case-replay/CaseReplayScreen'));
const AuditScreen = lazy(() => import('../audit/AuditScreen'));
const FinanceScreen = lazy(() => import('../finance/FinanceScreen'));
const DashboardScreen = lazy(() => import('../dashboard/DashboardScreen'));
const AdministrationScreen = lazy(() => import('../administration/AdministrationScreen'));

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
        <Route path="/tickets/:ticketId" element={<TicketScreen />} />
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
        <Route path="*" element={<NoScreen notFound />} />
      </Routes>
    </AppLayout>
  );
}
