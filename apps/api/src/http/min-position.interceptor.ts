import { CallHandler, CanActivate, ExecutionContext, Inject, Injectable, NestInterceptor, UseGuards, applyDecorators } from '@nestjs/common';
import { Observable, from, switchMap } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../config';
import { ReadPosition } from '../infrastructure/read-position';
import { READ_POSITION } from '../infrastructure/tokens';
import { AuthenticatedRequest } from './auth';
import { ProblemException, problem } from './problem';
import { ApiMinPosition, minPositionOf } from './request';

const behind = (min: bigint) =>
  new ProblemException(problem(503, 'read-model-behind', `the read models have not reached position ${min} yet; retry shortly`), { 'retry-after': '1' });

/**
 * Read-your-writes (api.md): a query with `X-Min-Position: <position>` is answered once the
 * read models include that position, waiting up to MIN_POSITION_WAIT_MS, then 503 with
 * Retry-After. A guard (it runs after the AuthGuard, so 401/403 come first): a request without
 * the header passes synchronously, and queries need no interceptor, whose rxjs pipeline cost a
 * fifth of a ticket read's CPU time (bench:http).
 */
@Injectable()
export class MinPositionGuard implements CanActivate {
  constructor(
    @Inject(READ_POSITION) private readonly readPosition: ReadPosition,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const min = minPositionOf(context.switchToHttp().getRequest<AuthenticatedRequest>());
    if (min === undefined) return true;
    return this.readPosition.waitFor(min, this.config.minPositionWaitMs).then((caughtUp) => {
      if (!caughtUp) throw behind(min);
      return true;
    });
  }
}

/** On a query controller or handler: honours X-Min-Position and declares the header. */
export const ReadYourWrites = () => applyDecorators(UseGuards(MinPositionGuard), ApiMinPosition());

/** The same as an interceptor (kept for controllers written against it; prefer @ReadYourWrites()). */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(
    @Inject(READ_POSITION) private readonly readPosition: ReadPosition,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const min = minPositionOf(context.switchToHttp().getRequest<AuthenticatedRequest>());
    if (min === undefined) return next.handle();
    return from(this.readPosition.waitFor(min, this.config.minPositionWaitMs)).pipe(
      switchMap((caughtUp) => {
        if (!caughtUp) throw behind(min);
        return next.handle();
      }),
    );
  }
}
