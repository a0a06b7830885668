import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { KeyObject, createSecretKey } from 'crypto';
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
/**
 * The roles that may call an operation (or every operation of a controller); the OpenAPI
 * document states them as `x-roles` (others get 403 forbidden).
 */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension('x-roles', roles));

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

/** the secret as a KeyObject, made once (jsonwebtoken otherwise tries to read it as a public key on every call) */
const secretKeys = new Map<string, KeyObject>();
const keyOf = (secret: string): KeyObject => {
  let key = secretKeys.get(secret);
  if (!key) secretKeys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
};

export function verifyToken(token: string, secret: string, nowMs = Date.now()): Actor {
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, keyOf(secret), { algorithms: ['HS256'], clockTimestamp: Math.floor(nowMs / 1000) }) as jwt.JwtPayload;
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

/**
 * Verified tokens, so that a client sending the same bearer token request after request is
 * verified once (HS256 verification was a fifth of the CPU time of a request: bench:http).
 * A token's verdict depends only on the token, the secret and the clock, so an entry keeps the
 * token's own validity window (exp, nbf) and is checked against the clock on every use; a
 * refused token is never cached. Bounded: the oldest entries go first.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { actor: Actor; notBefore: number; expires: number }>();
  constructor(
    private readonly secret: string,
    private readonly max = 10_000,
  ) {}

  verify(token: string, nowMs = Date.now()): Actor {
    const hit = this.entries.get(token);
    if (hit && nowMs >= hit.notBefore && nowMs < hit.expires) return hit.actor;
    if (hit) this.entries.delete(token);
    const actor = verifyToken(token, this.secret, nowMs);
    const claims = jwt.decode(token) as jwt.JwtPayload | null;
    // tokens without exp never expire for jsonwebtoken either; cache them for a minute at a time
    const expires = typeof claims?.exp === 'number' ? claims.exp * 1000 : nowMs + 60_000;
    const notBefore = typeof claims?.nbf === 'number' ? claims.nbf * 1000 : 0;
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    // shared by every request with this token: frozen, so none can change another's principal
    const shared = Object.freeze({ ...actor, roles: Object.freeze([...actor.roles]) as string[] });
    this.entries.set(token, { actor: shared, notBefore, expires });
    return shared;
  }
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
  private readonly tokens: VerifiedTokens;
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly identity: IdentityService,
    private readonly oidc: OidcService,
  ) {
    this.tokens = new VerifiedTokens(config.jwtSecret);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (header) {
      const [scheme, token] = header.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthenticated('the Authorization header must be "Bearer <token>"');
      request.principal = this.oidc.isProviderToken(token) ? await this.oidc.verifyBearer(token) : this.tokens.verify(token);
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
