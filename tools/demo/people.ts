/**
 * The demo desk's people: staff of the support company and the customers' contacts.
 *
 * `seedPeople` is the one place that makes them exist. Today the identity feature (users,
 * invitations, sign-in with a password) is not in this branch: a person is a principal that
 * bearer tokens name (npm run token's mechanism), so seeding registers nothing and the
 * sign-in details are tokens. When identity lands, seedPeople invites each person through
 * `POST /api/users/invitations`, accepts the invitation with a password, and returns the
 * users' ids; signInDetails then prints e-mail and password. Nothing else changes: every
 * command of the demo names its actor through a Person.
 */
import { signToken } from '../../apps/api/src/http/auth';
import type { Catalog } from './catalog';
import { Random, slug } from './random';

export type StaffRole = 'agent' | 'supervisor' | 'auditor' | 'finance' | 'admin';

export interface Person {
  /** the principal id (JWT `sub`; the user id once identity lands) */
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

export interface CustomerContacts {
  customerId: string;
  /** the approver first */
  contacts: Person[];
}

export interface People {
  admin: Person;
  finance: Person;
  auditor: Person;
  /** supervisors[0] is the quality lead / support supervisor; [1], when present, the operations manager */
  supervisors: Person[];
  agents: Person[];
  contacts: Map<string, Person[]>;
}

/** what seedPeople needs: the catalog's names and the customers registered so far */
export interface PeoplePlan {
  catalog: Catalog;
  customers: Array<{ customerId: string; domain: string }>;
  random: Random;
}

function staffPerson(name: string, domain: string, role: StaffRole, title: string): Person {
  const id = slug(name.split(' ').slice(0, 2).join(' '));
  return { id, name, email: `${id}@${domain}`, roles: [role], title };
}

/**
 * Makes the desk's people exist and returns them (see the module comment). Contacts: two or
 * three per customer, the first an approver of quotes.
 */
export async function seedPeople(plan: PeoplePlan): Promise<People> {
  const { catalog, random } = plan;
  const d = catalog.staffDomain;
  const s = catalog.staff;
  const supervisorTitles = catalog.country === 'MX' ? ['Responsable de Calidad', 'Gerente de Operaciones'] : ['Supervisora de soporte', 'Gerente de operaciones'];
  const names = [...catalog.contactNames];
  const contacts = new Map<string, Person[]>();
  for (const c of plan.customers) {
    const count = random.int(2, 3);
    const list: Person[] = [];
    for (let k = 0; k < count; k++) {
      const name = names.length > 0 ? names.splice(random.int(0, names.length - 1), 1)[0] : `Contacto ${contacts.size + 1}-${k + 1}`;
      const local = slug(name.split(' ').slice(0, 2).join(' '));
      list.push({
        id: `${c.domain.split('.')[0]}.${local}`,
        name,
        email: `${local}@${c.domain}`,
        roles: ['customer'],
        customerId: c.customerId,
        approver: k === 0,
        title: k === 0 ? 'contacto con autorización de cotizaciones' : 'contacto',
      });
    }
    contacts.set(c.customerId, list);
  }
  return {
    admin: staffPerson(s.admin, d, 'admin', 'administración de la mesa'),
    finance: staffPerson(s.finance, d, 'finance', 'finanzas: pólizas y facturación'),
    auditor: staffPerson(s.auditor, d, 'auditor', 'auditoría: lee todo, no cambia nada'),
    supervisors: s.supervisors.map((n, i) => staffPerson(n, d, 'supervisor', supervisorTitles[i] ?? 'supervisión')),
    agents: s.agents.map((n) => staffPerson(n, d, 'agent', 'ingeniero de soporte')),
    contacts,
  };
}

export interface SignInDetail {
  role: string;
  name: string;
  email: string;
  title: string;
  customerId: string | null;
  /** a bearer token (until identity lands) */
  token: string;
}

/** one person of each role with what they sign in with (a bearer token valid `expiresIn`) */
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
