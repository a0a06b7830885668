/** Who may do what, from the signed-in person's roles (pure: also used outside React). */
import type { Me } from '../api/views';

type WithRoles = Pick<Me, 'roles'>;

export const isStaff = (me: WithRoles): boolean => me.roles.some((r) => r !== 'customer');
export const isCustomer = (me: WithRoles): boolean => me.roles.includes('customer') && !isStaff(me);
export const hasRole = (me: WithRoles, ...roles: string[]): boolean => me.roles.some((r) => roles.includes(r));
export const canWorkTickets = (me: WithRoles): boolean => hasRole(me, 'agent', 'supervisor');
