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
  406: 'Not Acceptable',
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

/** a refusal naming one field with a status other than 400 (422: a rule that depends on who asks or on the time) */
export const refusedField = (status: 403 | 409 | 422, code: string, path: string, message: string) =>
  new ProblemException(problem(status, code, `${path}: ${message}`, { errors: [{ path, message }] }));

export const forbidden = (detail = 'your role does not allow this') => new ProblemException(problem(403, 'forbidden', detail));
export const notFound = (what: string) => new ProblemException(problem(404, 'not-found', `${what} not found`));

/** stable codes of the HTTP-level refusals (Fastify's and Nest's own errors) */
const HTTP_CODES: Record<number, string> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
};
const httpCode = (status: number) => HTTP_CODES[status] ?? `http-${status}`;

/**
 * The methods each known path answers, filled from Fastify's onRoute hook (see app.ts): an
 * unsupported method on a known path is 405 with Allow, an unknown path 404.
 */
export class RouteMethods {
  private readonly routes: Array<{ pattern: RegExp; methods: Set<string>; params: number }> = [];
  private readonly byUrl = new Map<string, Set<string>>();

  add(url: string, method: string | string[]): void {
    let methods = this.byUrl.get(url);
    if (!methods) {
      methods = new Set();
      this.byUrl.set(url, methods);
      const source = url
        .split('/')
        .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      this.routes.push({ pattern: new RegExp(`^${source}$`), methods, params: url.split('/').filter((s) => s.startsWith(':')).length });
    }
    for (const m of Array.isArray(method) ? method : [method]) methods.add(m.toUpperCase());
  }

  /**
   * the methods of the known route matching `path` (no query), or null; of several (a static
   * segment and a parameter), the most specific, as the router and the document see the path
   */
  allowed(path: string): string[] | null {
    let best: { methods: Set<string>; params: number } | null = null;
    for (const r of this.routes) if ((best === null || r.params < best.params) && r.pattern.test(path)) best = r;
    return best ? [...best.methods].sort() : null;
  }
}

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
    // no route took the request (Fastify may already have refused its body): 405 on a known path
    if ((request as FastifyRequest & { is404?: boolean }).is404) {
      const notAllowed = this.methodNotAllowed(request);
      if (notAllowed) return notAllowed;
    }
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
      const { path = 'query', code } = exception as Error & { path?: string; code?: string };
      const status = code === 'invalid-cursor' || code === 'conflicting-parameters' ? 422 : 400;
      return { doc: problem(status, status === 422 ? code! : 'invalid-request', exception.message, { errors: [{ path, message: exception.message }] }), headers: {} };
    }
    if (exception instanceof EventStoreUnavailableError) {
      return { doc: problem(503, 'store-unavailable', exception.message), headers: { 'retry-after': '5' } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) {
        // Nest's answer for a request no route took: 405 when the path is known under other methods
        return this.methodNotAllowed(request) ?? { doc: problem(404, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`), headers: {} };
      }
      const code = httpCode(status);
      const detail = typeof exception.getResponse() === 'object' ? String((exception.getResponse() as { message?: unknown }).message ?? exception.message) : exception.message;
      return { doc: problem(status, code, detail, status === 400 ? { errors: [{ path: 'body', message: detail }] } : {}), headers: {} };
    }
    // Fastify's own errors (malformed JSON, empty body, wrong content type, body too large)
    const fst = exception as { statusCode?: number; code?: string; message?: string };
    if (typeof fst?.statusCode === 'number' && fst.statusCode >= 400 && fst.statusCode < 500) {
      const message = fst.message ?? 'bad request';
      if (fst.statusCode === 400) return { doc: problem(400, 'invalid-request', message, { errors: [{ path: 'body', message }] }), headers: {} };
      return { doc: problem(fst.statusCode, httpCode(fst.statusCode), message), headers: {} };
    }
    return { doc: problem(500, 'internal-error', 'an unexpected error occurred; it has been logged'), headers: {} };
  }

  private methodNotAllowed(request: FastifyRequest): { doc: Problem; headers: Record<string, string> } | null {
    const path = request.url.split('?')[0];
    const allowed = (request.server as unknown as { routeMethods?: RouteMethods }).routeMethods?.allowed(path);
    if (!allowed || allowed.includes(request.method)) return null;
    return {
      doc: problem(405, 'method-not-allowed', `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`),
      headers: { allow: allowed.join(', ') },
    };
  }
}
