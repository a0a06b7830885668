/**
 * npm run token -- --sub ana --roles agent [--customer <customerId>] [--not-approver] [--expires 12h]
 * Prints a bearer token signed with JWT_SECRET (or the development secret). A customer token
 * whose subject is no user is an approver (may accept quotes) unless --not-approver is given.
 */
import { signToken, ROLES } from '../apps/api/src/http/auth';
import { DEV_JWT_SECRET } from '../apps/api/src/config';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const sub = arg('sub');
const roles = (arg('roles') ?? '').split(',').map((r) => r.trim()).filter(Boolean);
const customerId = arg('customer') ?? arg('customerId');
if (!sub || roles.length === 0) {
  console.error('usage: npm run token -- --sub <id> --roles <role[,role]> [--customer <customerId>] [--not-approver] [--expires 12h]');
  console.error(`roles: ${ROLES.join(', ')}`);
  process.exit(2);
}
const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
if (bad.length) {
  console.error(`unknown role(s): ${bad.join(', ')}; roles are ${ROLES.join(', ')}`);
  process.exit(2);
}
if (roles.includes('customer') && !customerId) {
  console.error('a customer token needs --customer <customerId>');
  process.exit(2);
}
if (!process.env.JWT_SECRET) console.error('(signed with the development secret: set JWT_SECRET to match your server)');
const claims = process.argv.includes('--not-approver') ? { approver: false } : {};
console.log(signToken(process.env.JWT_SECRET || DEV_JWT_SECRET, sub, roles, customerId, arg('expires') ?? '12h', claims));
