import type { Projection } from '../projection';
import { authorizationsProjection } from './authorizations.view';
import { billingProjection } from './billing.view';
import { caseLinksProjection } from './case-links.view';
import { customersProjection } from './customers.view';
import { dashboardsProjection } from './dashboards.view';
import { policiesProjection } from './policies.view';
import { ticketsProjection } from './tickets.view';
import { usersProjection } from './users.view';
import { accessLogProjection } from './access-log.view';

export * from './common';
export * from './tickets.view';
export * from './policies.view';
export * from './customers.view';
export * from './authorizations.view';
export * from './billing.view';
export * from './case-links.view';
export * from './dashboards.view';
export * from './months';
export * from './users.view';
export * from './access-log.view';

/**
 * Every read model. They need no preset: events carry every decided fact (targets, due
 * instants, calendars), so the views only copy and fold.
 */
export function allProjections(): Projection[] {
  return [
    ticketsProjection,
    policiesProjection,
    customersProjection,
    authorizationsProjection,
    billingProjection,
    caseLinksProjection,
    usersProjection,
    accessLogProjection,
    dashboardsProjection,
  ];
}
