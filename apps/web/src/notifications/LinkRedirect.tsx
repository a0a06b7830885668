/**
 * The console paths notifications and their e-mails link to (`/tickets/<id>` for everyone,
 * `/policies/<id>`, `/webhooks/<id>`): each person lands on the screen they have for it
 * (notifications-api.ts, consolePath); with none, the home screen.
 */
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../shared/session/session';
import { consolePath } from './notifications-api';

export default function LinkRedirect() {
  const me = useMe();
  const { pathname } = useLocation();
  return <Navigate to={consolePath(pathname, me) ?? '/'} replace />;
}
