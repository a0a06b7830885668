/**
 * The navigation entries of the oversight screens (part 2), by role: case history (auditors,
 * supervisors, agents, customers), the supervisor dashboard (supervisors, administrators,
 * auditors), audit (auditors, finance, administrators), finance (finance, auditors) and
 * administration (administrators, supervisors).
 */
import { IconAdjustments, IconChartBar, IconHistory, IconReportMoney, IconShieldSearch } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Me } from '../api/views';
import type { Translate } from '../i18n/i18n';
import { hasRole, isCustomer } from '../session/session';

export interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  match: (path: string) => boolean;
}

/** where staff without the queue start: auditors the cases, finance its screen, administrators administration */
export const homeOf = (me: Me): string | null =>
  hasRole(me, 'auditor') ? '/cases' : hasRole(me, 'finance') ? '/finance' : hasRole(me, 'admin') ? '/admin' : null;

export function oversightItems(me: Me, t: Translate): NavItem[] {
  const items: NavItem[] = [];
  if (hasRole(me, 'supervisor', 'admin', 'auditor')) {
    items.push({ to: '/dashboard', label: t('nav.dashboard'), icon: <IconChartBar size={18} aria-hidden="true" />, match: (p) => p.startsWith('/dashboard') });
  }
  if (hasRole(me, 'auditor', 'supervisor', 'agent') || isCustomer(me)) {
    items.push({ to: '/cases', label: t('nav.cases'), icon: <IconHistory size={18} aria-hidden="true" />, match: (p) => p.startsWith('/cases') });
  }
  if (hasRole(me, 'auditor', 'finance', 'admin')) {
    items.push({ to: '/audit', label: t('nav.audit'), icon: <IconShieldSearch size={18} aria-hidden="true" />, match: (p) => p.startsWith('/audit') });
  }
  if (hasRole(me, 'finance', 'auditor')) {
    items.push({ to: '/finance', label: t('nav.finance'), icon: <IconReportMoney size={18} aria-hidden="true" />, match: (p) => p.startsWith('/finance') });
  }
  if (hasRole(me, 'admin', 'supervisor')) {
    items.push({ to: '/admin', label: t('nav.admin'), icon: <IconAdjustments size={18} aria-hidden="true" />, match: (p) => p.startsWith('/admin') });
  }
  return items;
}
