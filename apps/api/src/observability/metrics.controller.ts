import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config';
import { Public } from '../http/auth';
import { ProblemException, problem } from '../http/problem';
import { METRICS, Metrics } from './metrics';
import { bearerMatches } from './ops-server';

/**
 * GET /api/metrics on the API's own port, when METRICS_TOKEN is set and METRICS_ADDRESS is not
 * (with METRICS_ADDRESS the metrics are served on that address only). Not behind the user
 * authentication: Prometheus sends `Authorization: Bearer <METRICS_TOKEN>`.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(METRICS) private readonly metrics: Metrics | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiSecurity('metricsToken')
  @ApiOperation({
    summary:
      'Prometheus metrics (text exposition format). Served here only when METRICS_TOKEN is set and METRICS_ADDRESS is not; needs `Authorization: Bearer <METRICS_TOKEN>`',
  })
  @ApiOkResponse({ description: 'the metrics', content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: { type: 'string' } } } })
  @ApiUnauthorizedResponse({ description: 'no or wrong metrics token (problem+json `unauthenticated`)' })
  @ApiNotFoundResponse({ description: 'metrics are not served on this port (off, or on METRICS_ADDRESS)' })
  async scrape(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const token = this.config.metrics.token;
    if (!this.metrics || this.config.metrics.address || !token) {
      throw new ProblemException(problem(404, 'not-found', 'metrics are not served on this port'));
    }
    if (!bearerMatches(req.headers.authorization, token)) {
      throw new ProblemException(problem(401, 'unauthenticated', 'the metrics need Authorization: Bearer <METRICS_TOKEN>'), {
        'www-authenticate': 'Bearer realm="metrics"',
      });
    }
    const { contentType, body } = await this.metrics.exposition();
    void reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  }
}
