/**
 * The demo desk's people: staff of the support company and the customers' contacts, made to
 * exist by `seedPeople` the way people come to exist on a real desk: the first administrator
 * through the one-time setup link (what `npm run users -- create-admin` prints), everybody
 * else invited by that administrator (`POST /api/users/invitations`; the link is answered
 * because the demo runs without e-mail) and accepting the invitation with a password
 * (`POST /api/auth/invitations/accept`). Every command of the demo then acts as one of these
 * users (a bearer token naming the user id).
 */
import { randomBytes } from 'crypto';
import { signToken } from '../../apps/api/src/http/auth';
import { IdentityService } from '../../apps/api/src/identity/identity.service';
import { setupLink } from '../../apps/api/src/identity/setup-link';
import type { Catalog } from './catalog';
import type { DeskClient } from './desk-client';
import { Random, slug } from './random';

export type StaffRole = 'agent' | 'supervisor' | 'auditor' | 'finance' | 'admin';

export interface Person {
  /** the user id (what events record as the actor) */
  id: string;
  name: string;
  email: string;
  roles: Array<StaffRole | 'customer'>;
  /** customers' contacts only */
  customerId?: string;
  /** a contact who may accept or decline quotes */
  approver?: boolean;
  /** what they do, for the printed sign-in details */
  title: string;
}

export interface People {
  admin: Person;
  finance: Person;
  auditor: Person;
  /** supervisors[0] is the quality lead / support supervisor; [1], when present, the operations manager */
  supervisors: Person[];
  agents: Person[];
  contacts: Map<string, Person[]>;
  /** the password every demo user signs in with (made for this run) */
  password: string;
}

export interface PeoplePlan {
  catalog: Catalog;
  customers: Array<{ customerId: string; domain: string }>;
  random: Random;
  /** registers the customers (as the administrator): their contacts are invited after */
  registerCustomers(admin: Person): Promise<void>;
  /** the password to give everybody (default: a random one, printed with the sign-in details) */
  password?: string;
}

function staffPerson(name: string, domain: string, role: StaffRole, title: string): Person {
  const local = slug(name.split(' ').slice(0, 2).join(' '));
  return { id: '', name, email: `${local}@${domain}`, roles: [role], title };
}

/** the token of a one-time link (…?token=…) */
function tokenOf(url: string): string {
  const token = new URL(url).searchParams.get('token');
  if (!token) throw new Error(`no token in the link ${url}`);
  return token;
}

/**
 * Makes the desk's people exist (see the module comment) and returns them with their user
 * ids: the administrator, the other staff, then (once `registerCustomers` ran) two or three
 * contacts per customer, the first an approver of quotes.
 */
export async function seedPeople(desk: DeskClient, plan: PeoplePlan): Promise<People> {
  const { catalog, random } = plan;
  const password = plan.password ?? `demo-${randomBytes(12).toString('base64url')}`;
  const d = catalog.staffDomain;
  const s = catalog.staff;
  const supervisorTitles = catalog.country === 'MX' ? ['Responsable de Calidad', 'Gerente de Operaciones'] : ['Supervisora de soporte', 'Gerente de operaciones'];

  // the first administrator, from a setup link
  const identity = desk.app.get(IdentityService);
  const admin = staffPerson(s.admin, d, 'admin', 'administración de la mesa');
  const link = await setupLink(identity.credentials, identity.keys, identity.config.identity.publicUrl, desk.clock.now(), identity.config.identity.setupLinkValidMinutes, {
    email: admin.email,
  });
  admin.id = (await desk.postPublic<{ id: string }>('/auth/setup', { token: tokenOf(link.url), email: admin.email, name: admin.name, password })).id;

  const invite = async (p: Person, kind: 'staff' | 'contact'): Promise<Person> => {
    const answer = await desk.post<{ userId: string; invitationUrl: string | null }>(admin, '/users/invitations', {
      email: p.email,
      name: p.name,
      kind,
      ...(kind === 'staff' ? { roles: p.roles } : { customerId: p.customerId, approver: p.approver === true }),
    });
    if (!answer.invitationUrl) throw new Error('the invitation link was not answered (the demo runs without SMTP_URL)');
    const me = await desk.postPublic<{ id: string }>('/auth/invitations/accept', { token: tokenOf(answer.invitationUrl), password });
    if (me.id !== answer.userId) throw new Error(`invitation of ${p.email} accepted as ${me.id}, invited as ${answer.userId}`);
    p.id = answer.userId;
    return p;
  };

  const supervisors: Person[] = [];
  for (const [i, n] of s.supervisors.entries()) supervisors.push(await invite(staffPerson(n, d, 'supervisor', supervisorTitles[i] ?? 'supervisión'), 'staff'));
  const agents: Person[] = [];
  for (const n of s.agents) agents.push(await invite(staffPerson(n, d, 'agent', 'ingeniero de soporte'), 'staff'));
  const auditor = await invite(staffPerson(s.auditor, d, 'auditor', 'auditoría: lee todo, no cambia nada'), 'staff');
  const finance = await invite(staffPerson(s.finance, d, 'finance', 'finanzas: pólizas y facturación'), 'staff');

  await plan.registerCustomers(admin);

  const names = [...catalog.contactNames];
  const contacts = new Map<string, Person[]>();
  for (const c of plan.customers) {
    const count = random.int(2, 3);
    const list: Person[] = [];
    for (let k = 0; k < count; k++) {
      const name = names.length > 0 ? names.splice(random.int(0, names.length - 1), 1)[0] : `Contacto ${contacts.size + 1}-${k + 1}`;
      const local = slug(name.split(' ').slice(0, 2).join(' '));
      const person: Person = {
        id: '',
        name,
        email: `${local}@${c.domain}`,
        roles: ['customer'],
        customerId: c.customerId,
        approver: k === 0,
        title: k === 0 ? 'contacto con autorización de cotizaciones' : 'contacto',
      };
      list.push(await invite(person, 'contact'));
    }
    contacts.set(c.customerId, list);
  }
  return { admin, finance, auditor, supervisors, agents, contacts, password };
}

export interface SignInDetail {
  role: string;
  name: string;
  email: string;
  title: string;
  customerId: string | null;
  /** a bearer token for the API (curl, scripts) */
  token: string;
}

/** one person of each role: e-mail (with People.password) for the console, and a bearer token valid `expiresIn` */
export function signInDetails(people: People, secret: string, customerName: (customerId: string) => string, expiresIn = '30d'): SignInDetail[] {
  const firstContacts = [...people.contacts.values()][0] ?? [];
  const customer = firstContacts[0];
  const chosen: Person[] = [people.admin, people.supervisors[0], people.agents[0], people.auditor, people.finance, ...(customer ? [customer] : [])];
  return chosen.map((p) => ({
    role: p.roles[0],
    name: p.name,
    email: p.email,
    title: p.customerId ? `${p.title}, ${customerName(p.customerId)}` : p.title,
    customerId: p.customerId ?? null,
    token: signToken(secret, p.id, p.roles, p.customerId, expiresIn),
  }));
}
