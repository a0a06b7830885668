import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import * as jwt from 'jsonwebtoken';
import { Actor } from '@helpdesk/domain/shared';
import { APP_CONFIG, AppConfig } from '../config';
import { ProblemException, problem } from './problem';

export const ROLES = ['customer', 'agent', 'supervisor', 'auditor', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: Role[] = ['agent', 'supervisor', 'auditor', 'finance', 'admin'];

const PUBLIC = 'helpdesk:public';
const ROLES_KEY = 'helpdesk:roles';

/** no token needed (health only) */
export const Public = () => SetMetadata(PUBLIC, true);
/** which roles may call the endpoint */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export type AuthenticatedRequest = FastifyRequest & { principal?: Actor; correlationId?: string };

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
  return { id: claims.sub, roles, ...(typeof claims.customerId === 'string' ? { customerId: claims.customerId } : {}) };
}

export function signToken(secret: string, sub: string, roles: string[], customerId?: string, expiresIn = '12h'): string {
  return jwt.sign({ sub, roles, ...(customerId ? { customerId } : {}) }, secret, {
    algorithm: 'HS256',
    expiresIn: expiresIn as jwt.SignOptions['expiresIn'],
  });
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header) throw unauthenticated('no bearer token');
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    request.principal = verifyToken(token, this.config.jwtSecret);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !hasRole(request.principal, ...roles)) {
      throw new ProblemException(problem(403, 'forbidden', `requires one of the roles: ${roles.join(', ')}`));
    }
    return true;
  }
}
