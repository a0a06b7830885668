import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@helpdesk/domain/shared';
import { EventStoreUnavailableError, InvalidEventError, WrongExpectedVersionError } from '@helpdesk/event-store';

/** RFC 9457 problem details with a stable `code` (api.md). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: Array<{ path: string; message: string }>;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  // the standard members win over same-named details (a detail called `status` must not become the HTTP status)
  return { ...extra, type: `https://helpdesk.example/problems/${code}`, title: TITLES[status] ?? 'Error', status, detail, code };
}

/** An HTTP-level refusal that already knows its problem document. */
export class ProblemException extends HttpException {
  constructor(readonly problemDoc: Problem, readonly headers: Record<string, string> = {}) {
    super(problemDoc, problemDoc.status);
  }
}

export const invalidRequest = (errors: Array<{ path: string; message: string }>) =>
  new ProblemException(problem(400, 'invalid-request', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors }));

export const forbidden = (detail = 'your role does not allow this') => new ProblemException(problem(403, 'forbidden', detail));
export const notFound = (what: string) => new ProblemException(problem(404, 'not-found', `${what} not found`));

@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const { doc, headers } = this.toProblem(exception, request);
    // through the request's logger: the line carries the correlation id (no URL query, no headers)
    if (doc.status >= 500) request.log.error({ err: exception }, `unhandled error in ${request.method} ${request.routeOptions?.url ?? 'unmatched'}`);
    for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
    void reply.status(doc.status).header('content-type', 'application/problem+json; charset=utf-8').send(JSON.stringify(doc));
  }

  private toProblem(exception: unknown, request: FastifyRequest): { doc: Problem; headers: Record<string, string> } {
    if (exception instanceof ProblemException) return { doc: exception.problemDoc, headers: exception.headers };
    if (exception instanceof DomainError) {
      // a domain detail named `status` (a quote's or policy's state) is reported as `state`
      const { errors, status: state, ...details } = exception.details as { errors?: Problem['errors']; status?: unknown };
      return {
        doc: problem(exception.status, exception.code, exception.message, { ...details, ...(state !== undefined ? { state } : {}), ...(errors ? { errors } : {}) }),
        headers: {},
      };
    }
    if (exception instanceof WrongExpectedVersionError) {
      return { doc: problem(409, 'version-conflict', exception.message), headers: {} };
    }
    if (exception instanceof InvalidEventError) {
      return { doc: problem(400, 'invalid-request', exception.message, { errors: [{ path: 'body', message: exception.message }] }), headers: {} };
    }
    if (exception instanceof Error && exception.name === 'InvalidQueryError') {
      const path = String((exception as Error & { path?: string }).path ?? 'query');
      return { doc: problem(400, 'invalid-request', exception.message, { errors: [{ path, message: exception.message }] }), headers: {} };
    }
    if (exception instanceof EventStoreUnavailableError) {
      return { doc: problem(503, 'store-unavailable', exception.message), headers: { 'retry-after': '5' } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return { doc: problem(404, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`), headers: {} };
      const code = status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : status === 400 ? 'invalid-request' : `http-${status}`;
      const detail = typeof exception.getResponse() === 'object' ? String((exception.getResponse() as { message?: unknown }).message ?? exception.message) : exception.message;
      return { doc: problem(status, code, detail, status === 400 ? { errors: [{ path: 'body', message: detail }] } : {}), headers: {} };
    }
    // Fastify's own errors (malformed JSON, empty body, wrong content type, body too large)
    const fst = exception as { statusCode?: number; code?: string; message?: string };
    if (typeof fst?.statusCode === 'number' && fst.statusCode >= 400 && fst.statusCode < 500) {
      const message = fst.message ?? 'bad request';
      if (fst.statusCode === 400) return { doc: problem(400, 'invalid-request', message, { errors: [{ path: 'body', message }] }), headers: {} };
      return { doc: problem(fst.statusCode, `http-${fst.statusCode}`, message), headers: {} };
    }
    return { doc: problem(500, 'internal-error', 'an unexpected error occurred; it has been logged'), headers: {} };
  }
}
