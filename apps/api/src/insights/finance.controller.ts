import { Controller, Get, Inject, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { billedSummary, perEventCharges, policyBalances } from '@helpdesk/projections';
import { ReadStore } from '@helpdesk/read-store';
import { APP_CONFIG, AppConfig } from '../config';
import { Roles } from '../http/auth';
import { MinPositionInterceptor } from '../http/min-position.interceptor';
import { refusedField } from '../http/problem';
import { Envelopes } from '../http/request';
import { READ_STORE } from '../infrastructure/tokens';
import { FinancePeriodQueryDto, PolicyBalancesQueryDto, ReconciliationQueryDto } from './dtos';
import { ApiJsonQuery } from './openapi';
import { ReconciliationRunner } from './reconciliation';
import { BILLED_SUMMARY_SCHEMA, CHARGES_SCHEMA, POLICY_BALANCES_SCHEMA, RECONCILIATION_SCHEMA } from './schemas';

const DEFAULT_DIFFERENCES = 1000;

function period(q: { from?: string; to?: string }): void {
  // both well-formed, but not together: 422 like every list's conflicting parameters
  if (q.from !== undefined && q.to !== undefined && q.from > q.to) throw refusedField(422, 'conflicting-parameters', 'from', 'must not be after to');
}

@ApiTags('audit and finance')
@ApiBearerAuth()
@UseInterceptors(MinPositionInterceptor)
@Controller('finance')
export class FinanceInsightsController {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reconciliation: ReconciliationRunner,
    private readonly envelopes: Envelopes,
  ) {}

  @Get('reconciliation')
  @Roles('finance', 'auditor')
  @ApiOperation({
    summary: 'The event log against the read models (what `npm run reconcile` runs): every difference; ok only when there is none',
    description:
      "Recomputes every policy's purchased, used and remaining minutes and the billed minutes of the period (per row, customer " +
      'and policy, on workedOn) from the event log and compares them with the read models, each at its own checkpoint (a lag is ' +
      'reported, not counted as a difference); also lists deductions still missing their work log. Cost: one read of the whole ' +
      'event log per run (O(events)); runs are serialized, one at a time, and a request for the same period as the latest run ' +
      'shares its answer. Waits up to MIN_POSITION_WAIT_MS for the read models to reach the log\'s head first.',
  })
  @ApiJsonQuery(RECONCILIATION_SCHEMA, 'the verdict and every difference (up to `limit`)', [422])
  async reconcile(@Query() q: ReconciliationQueryDto) {
    period(q);
    const report = await this.reconciliation.run({ from: q.from, to: q.to }, { waitForCatchUpMs: Math.min(this.config.minPositionWaitMs, 5000) });
    const limit = q.limit ?? DEFAULT_DIFFERENCES;
    return { ...report, differences: report.differences.slice(0, limit), truncated: report.differences.length > limit };
  }

  @Get('billed-minutes/summary')
  @Roles('finance', 'auditor')
  @ApiOperation({
    summary: 'Billed minutes by customer, policy (or per-event) and month of workedOn, with totals',
    description:
      'The same rows as GET /api/finance/billed-minutes (and its CSV) for the same from, to and customerId, summed: one row per ' +
      'customer, policy and month, totals by month, customer and policy. Money in integer minor units by currency.',
  })
  @ApiJsonQuery(BILLED_SUMMARY_SCHEMA, 'rows by customer, policy and month; totals', [422])
  async billedSummary(@Query() q: FinancePeriodQueryDto) {
    period(q);
    return billedSummary(this.views, q);
  }

  @Get('charges')
  @Roles('finance', 'auditor')
  @ApiOperation({ summary: "Per-event charges of the period (work logs charged to an accepted per-event quote), each with its quote's amount, rate and purchase order" })
  @ApiJsonQuery(CHARGES_SCHEMA, 'charges in workedOn order; totals by currency and customer', [422])
  async charges(@Query() q: FinancePeriodQueryDto) {
    period(q);
    return perEventCharges(this.views, q);
  }

  @Get('policy-balances')
  @Roles('finance', 'auditor', 'admin')
  @ApiOperation({
    summary: 'Policy balances with validity, burn rate over the last 3 months and the projected exhaustion date',
    description:
      'Burn: minutes used (by workedOn) in the window from today minus 3 months (the day after) through today, in the ' +
      "policy's zone and within its validity; minutesPerMonth = minutes / days x 30, half up. Projected exhaustion: " +
      'today + ceil(remaining x days / minutes), for active policies with use in the window. Status from the clock. ' +
      'Ordered by customer, newest validity first.',
  })
  @ApiJsonQuery(POLICY_BALANCES_SCHEMA, 'a page of policies')
  async policyBalances(@Query() q: PolicyBalancesQueryDto) {
    return policyBalances(this.views, q, this.envelopes.now());
  }
}
