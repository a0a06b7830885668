import { CustomerAdminController } from './customer-admin.controller';
import { DashboardsController } from './dashboards.controller';
import { FinanceInsightsController } from './finance.controller';
import { ReconciliationRunner } from './reconciliation';

/** Issue 14's server side: supervisor dashboards, finance reconciliation and views, customer administration. */
export const INSIGHTS_CONTROLLERS = [DashboardsController, FinanceInsightsController, CustomerAdminController];
export const INSIGHTS_PROVIDERS = [ReconciliationRunner];
