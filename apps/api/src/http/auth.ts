import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import * as jwt from 'jsonwebtoken';
import { Actor } from '@helpdesk/domain/shared';
import { SessionRecord, safeEqual } from '@helpdesk/identity';
import { APP_CONFIG, AppConfig } from '../config';
import { SESSION_COOKIE, csrfInvalid, mfaEnrollmentRequired } from '../identity/errors';
import { IdentityService } from '../identity/identity.service';
import { OidcService } from '../identity/oidc.service';
import { ProblemException, problem } from './problem';

export const ROLES = ['customer', 'agent', 'supervisor', 'auditor', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: Role[] = ['agent', 'supervisor', 'auditor', 'finance', 'admin'];

const PUBLIC = 'helpdesk:public';
const ROLES_KEY = 'helpdesk:roles';
const MFA_ENROLMENT = 'helpdesk:mfa-enrolment';

/** no token needed (health, sign-in and the other public identity endpoints) */
export const Public = () => SetMetadata(PUBLIC, true);
/** allowed for a session that must enrol a second factor before anything else */
export const AllowedWhileEnrollingMfa = () => SetMetadata(MFA_ENROLMENT, true);
/** which roles may call the endpoint */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export type AuthenticatedRequest = FastifyRequest & { principal?: Actor; correlationId?: string; session?: SessionRecord };

export const Principal = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal!;
});

export function isStaff(actor: Actor): boolean {
  return actor.roles.some((r) => r !== 'customer');
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => (roles as string[]).includes(r));
}

/** Customers see only their own customer's data; outside it a resource does not exist (404). */
export function inScope(actor: Actor, customerId: string | null | undefined): boolean {
  if (isStaff(actor)) return true;
  return !!actor.customerId && actor.customerId === customerId;
}

const unauthenticated = (detail: string) =>
  new ProblemException(problem(401, 'unauthenticated', detail), { 'www-authenticate': 'Bearer realm="helpdesk"' });

export function verifyToken(token: string, secret: string): Actor {
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
  } catch (err) {
    const e = err as Error;
    throw unauthenticated(e.name === 'TokenExpiredError' ? 'the token has expired' : `invalid token: ${e.message}`);
  }
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw unauthenticated('the token has no sub');
  if (roles.length === 0 || roles.some((r) => !(ROLES as readonly string[]).includes(r))) {
    throw unauthenticated(`the token's roles must be among ${ROLES.join(', ')}`);
  }
  if (roles.includes('customer') && typeof claims.customerId !== 'string') {
    throw unauthenticated('a customer token needs a customerId claim');
  }
  if (roles.includes('customer') && roles.length > 1) throw unauthenticated('a customer token cannot carry staff roles');
  return {
    id: claims.sub,
    roles,
    ...(typeof claims.customerId === 'string' ? { customerId: claims.customerId } : {}),
    // a customer token is an approver unless it says otherwise (today's rights, issue 12)
    ...(roles.includes('customer') ? { approver: claims.approver !== false } : {}),
    via: 'token',
  };
}

export function signToken(secret: string, sub: string, roles: string[], customerId?: string, expiresIn = '12h', claims: Record<string, unknown> = {}): string {
  return jwt.sign({ ...claims, sub, roles, ...(customerId ? { customerId } : {}) }, secret, {
    algorithm: 'HS256',
    expiresIn: expiresIn as jwt.SignOptions['expiresIn'],
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** the value of one cookie of the request */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  const parsed = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies;
  if (parsed) return parsed[name];
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/** the request came over https (directly or through a proxy that said so) */
export const isSecure = (request: FastifyRequest) => request.protocol === 'https';

/**
 * Authentication for every endpoint but the public ones: a bearer token (HS256 with
 * JWT_SECRET, or a token of the configured OpenID provider, checked against its JWKS) or the
 * session cookie. Cookie-authenticated writes must carry X-CSRF-Token (403
 * csrf-token-invalid); a session whose roles require a second factor that is not enrolled
 * yet may only enrol one (403 mfa-enrollment-required).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly identity: IdentityService,
    private readonly oidc: OidcService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (header) {
      const [scheme, token] = header.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthenticated('the Authorization header must be "Bearer <token>"');
      request.principal = this.oidc.isProviderToken(token) ? await this.oidc.verifyBearer(token) : verifyToken(token, this.config.jwtSecret);
    } else {
      const cookie = cookieOf(request, SESSION_COOKIE);
      if (!cookie) throw unauthenticated('sign in (session cookie) or send a bearer token');
      const session = await this.identity.resumeSession(cookie, isSecure(request));
      request.session = session;
      request.principal = this.identity.sessionPrincipal(session);
      if (!SAFE_METHODS.has(request.method)) {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) throw csrfInvalid();
      }
      if (session.mfaEnrollmentRequired && !this.reflector.getAllAndOverride<boolean>(MFA_ENROLMENT, targets)) throw mfaEnrollmentRequired();
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !hasRole(request.principal, ...roles)) {
      throw new ProblemException(problem(403, 'forbidden', `requires one of the roles: ${roles.join(', ')}`));
    }
    return true;
  }
}
