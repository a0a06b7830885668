import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, from, switchMap } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../config';
import { ReadPosition } from '../infrastructure/read-position';
import { READ_POSITION } from '../infrastructure/tokens';
import { AuthenticatedRequest } from './auth';
import { ProblemException, problem } from './problem';
import { minPositionOf } from './request';

/**
 * Read-your-writes (api.md): a query with `X-Min-Position: <position>` is answered once the
 * read models include that position, waiting up to MIN_POSITION_WAIT_MS, then 503 with
 * Retry-After.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(
    @Inject(READ_POSITION) private readonly readPosition: ReadPosition,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const min = minPositionOf(req);
    if (min === undefined) return next.handle();
    return from(this.readPosition.waitFor(min, this.config.minPositionWaitMs)).pipe(
      switchMap((caughtUp) => {
        if (!caughtUp) {
          throw new ProblemException(
            problem(503, 'read-model-behind', `the read models have not reached position ${min} yet; retry shortly`),
            { 'retry-after': '1' },
          );
        }
        return next.handle();
      }),
    );
  }
}
