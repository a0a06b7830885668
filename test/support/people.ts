/**
 * People for the notification tests, created the way people are: the first administrator
 * through the setup link, everyone else invited (POST /api/users/invitations) and accepting
 * the link. With SMTP configured the link is not in the answer: it arrives by e-mail (the
 * notifier's own invitation message), and is taken from there.
 */
import { anonymous, browser, PASSWORD, setUpAdmin, tokenOf, type BrowserSession } from './identity';
import type { SmtpReceiver } from './smtp-receiver';
import type { TestApp } from './test-app';

export interface TestPerson {
  /** the test's name for the person (also the start of the e-mail address) */
  key: string;
  kind: 'staff' | 'contact';
  email: string;
  name: string;
  roles: string[];
  customerId?: string | null;
  approver?: boolean;
  language?: 'es-MX' | 'es-CO' | 'en';
  /** 'invited': never accepts; 'deactivated': accepts, then is deactivated */
  status?: 'invited' | 'active' | 'deactivated';
}

export interface Person extends TestPerson {
  userId: string;
  /** the console session the acceptance opened (active people) */
  session?: BrowserSession;
}

export interface People {
  admin: BrowserSession;
  byKey: Map<string, Person>;
  get(key: string): Person;
  /** a bearer token for the person (sub = their user id) */
  auth(key: string): { Authorization: string };
}

const LINK = /(https?:\/\/[^\s"<>]+\/invitation\?token=[^\s"<>]+)/;

/** the invitation link of the last invitation mail to `email` */
export async function invitationLinkFor(smtp: SmtpReceiver, email: string): Promise<string> {
  const mails = await smtp.waitFor((m) => m.some((x) => x.rcpt.includes(email.toLowerCase()) && LINK.test(x.text)));
  const mine = mails.filter((x) => x.rcpt.includes(email.toLowerCase()) && LINK.test(x.text));
  return LINK.exec(mine[mine.length - 1].text)![1];
}

export async function createPeople(t: TestApp, smtp: SmtpReceiver | null, people: TestPerson[]): Promise<People> {
  const admin = await setUpAdmin(t, 'root@staff.example.test', 'Rocío Admin');
  const byKey = new Map<string, Person>();
  for (const p of people) {
    const inv = await admin.post('/api/users/invitations', {
      email: p.email,
      name: p.name,
      kind: p.kind,
      ...(p.kind === 'staff' ? { roles: p.roles } : { customerId: p.customerId, approver: p.approver ?? false }),
      ...(p.language ? { language: p.language } : {}),
    });
    if (inv.status !== 201) throw new Error(`invitation of ${p.email}: ${inv.status} ${JSON.stringify(inv.body)}`);
    const userId = inv.body.userId as string;
    const person: Person = { ...p, userId };
    byKey.set(p.key, person);
    if (p.status === 'invited') continue;
    const link = inv.body.invitationUrl ?? (smtp ? await invitationLinkFor(smtp, p.email) : null);
    if (!link) throw new Error(`no invitation link for ${p.email}`);
    const res = await anonymous(t).post('/api/auth/invitations/accept').send({ token: tokenOf(link), password: PASSWORD });
    if (res.status !== 200) throw new Error(`acceptance of ${p.email}: ${res.status} ${JSON.stringify(res.body)}`);
    person.session = browser(t, res);
    if (p.status === 'deactivated') {
      const d = await admin.post(`/api/users/${userId}/deactivation`, { reason: 'left the company' });
      if (d.status >= 300) throw new Error(`deactivation of ${p.email}: ${d.status} ${JSON.stringify(d.body)}`);
    }
  }
  await t.caughtUp(Number(await t.events.headPosition()));
  const get = (key: string) => {
    const p = byKey.get(key);
    if (!p) throw new Error(`no person ${key}`);
    return p;
  };
  return {
    admin,
    byKey,
    get,
    auth: (key) => {
      const p = get(key);
      return t.auth(p.userId, p.roles, p.customerId ?? undefined);
    },
  };
}
