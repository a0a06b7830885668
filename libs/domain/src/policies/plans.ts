/**
 * Plans of seed 003 ("Esquemas de pólizas" and "Cuadro comparativo"): hours a year,
 * valid one year or until the hours are used, whichever first. All quantities in minutes.
 *
 * Facility / on-site advice: the comparison table's rows "Asesoría en nuestras
 * instalaciones" and "Asesoría en sitio" each carry two marks, "(3hr.)" and "(5hr.)", in
 * the last columns, read here as Empresarial Plus = 3 h and Corporativo = 5 h of each kind;
 * Básica and Empresarial include none (more is charged by the hour, travel by the customer).
 * The included advice is part of the plan's hours, not on top of them: a facility or on-site
 * deduction consumes both the policy balance and that allowance.
 */
export const POLICY_PLANS = ['basic', 'business', 'business-plus', 'corporate'] as const;
export type PolicyPlan = (typeof POLICY_PLANS)[number];

export type PlanTerms = { minutes: number; facilityMinutes: number; onSiteMinutes: number };

export const PLAN_TERMS: Record<PolicyPlan, PlanTerms> = {
  basic: { minutes: 5 * 60, facilityMinutes: 0, onSiteMinutes: 0 },
  business: { minutes: 20 * 60, facilityMinutes: 0, onSiteMinutes: 0 },
  'business-plus': { minutes: 50 * 60, facilityMinutes: 3 * 60, onSiteMinutes: 3 * 60 },
  corporate: { minutes: 70 * 60, facilityMinutes: 5 * 60, onSiteMinutes: 5 * 60 },
};

export const WORK_KINDS = ['remote', 'on-site', 'facility'] as const;
export type WorkKind = (typeof WORK_KINDS)[number];
