/** RFC 9457 problem details as the API sends them (a stable `code`, field `errors` for 400). */
export interface ProblemDoc {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  errors?: Array<{ path: string; message: string }>;
  [extra: string]: unknown;
}

/** A refused request: what the server said, kept whole so screens can show its reason. */
export class ApiProblem extends Error {
  constructor(readonly problem: ProblemDoc) {
    super(problem.detail ?? problem.code);
    this.name = 'ApiProblem';
  }
  get code(): string {
    return this.problem.code;
  }
  get status(): number {
    return this.problem.status;
  }
  /** the message the server gave for one field (400 invalid-request) */
  fieldError(path: string): string | undefined {
    return this.problem.errors?.find((e) => e.path === path)?.message;
  }
}

export const isProblem = (err: unknown, code?: string): err is ApiProblem =>
  err instanceof ApiProblem && (code === undefined || err.code === code);

/** Turns a non-2xx answer into an ApiProblem (bodies that are not problem+json get a generic code). */
export async function problemOf(response: Response, body?: unknown): Promise<ApiProblem> {
  let doc: unknown = body;
  if (doc === undefined) {
    try {
      doc = await response.clone().json();
    } catch {
      doc = undefined;
    }
  }
  if (doc && typeof doc === 'object' && typeof (doc as ProblemDoc).code === 'string') {
    return new ApiProblem({ ...(doc as ProblemDoc), status: response.status });
  }
  return new ApiProblem({ status: response.status, code: response.status >= 500 ? 'server-error' : `http-${response.status}`, detail: response.statusText });
}
