/**
 * The console's notification logic without a browser: where a notification's link opens for
 * each kind of person (the server's `/tickets/<id>`, `/policies/<id>`, `/webhooks/<id>`, also
 * the paths its e-mails carry), and which kinds the preferences offer to whom.
 */
import { consolePath, kindsFor, KINDS } from '../../apps/web/src/notifications/kinds';
import { esMX } from '../../apps/web/src/shared/i18n/catalogs/es-MX';

const contact = { roles: ['customer'] };
const agent = { roles: ['agent'] };
const supervisor = { roles: ['supervisor'] };
const auditor = { roles: ['auditor'] };
const finance = { roles: ['finance'] };
const admin = { roles: ['admin'] };

describe('notification links in the console', () => {
  it("a ticket opens in the portal for a customer's contact, the workspace for agents and supervisors, the case history for auditors", () => {
    expect(consolePath('/tickets/t-1', contact)).toBe('/portal/tickets/t-1');
    expect(consolePath('/tickets/t-1', agent)).toBe('/tickets/t-1');
    expect(consolePath('/tickets/t-1', supervisor)).toBe('/tickets/t-1');
    expect(consolePath('/tickets/t-1', auditor)).toBe('/cases/t-1');
    expect(consolePath('/tickets/t-1', finance)).toBeNull();
  });

  it("a policy opens in the contact's policies, finance's balances or administration; a webhook in its delivery log (admins)", () => {
    expect(consolePath('/policies/p-1', contact)).toBe('/portal/policies');
    expect(consolePath('/policies/p-1', finance)).toBe('/finance?tab=balances');
    expect(consolePath('/policies/p-1', admin)).toBe('/admin/policies');
    expect(consolePath('/policies/p-1', agent)).toBeNull();
    expect(consolePath('/webhooks/w-1', admin)).toBe('/admin/webhooks?webhook=w-1');
    expect(consolePath('/webhooks/w-1', supervisor)).toBeNull();
  });

  it('no link, no destination; never another origin', () => {
    expect(consolePath(null, agent)).toBeNull();
    expect(consolePath('//evil.example/tickets/1', agent)).toBeNull();
    expect(consolePath('https://evil.example/', agent)).toBeNull();
    expect(consolePath('/queue', agent)).toBe('/queue');
  });
});

describe('the kinds the preferences offer', () => {
  it("a customer's contact is not offered staff matters; only admins hear of webhooks", () => {
    const forContact = kindsFor(contact);
    for (const staffOnly of ['sla-warning', 'sla-breach', 'ticket-assigned', 'customer-replied', 'quote-accepted', 'quote-declined', 'webhook-disabled']) expect(forContact).not.toContain(staffOnly);
    expect(forContact).toEqual(expect.arrayContaining(['quote-awaiting-authorization', 'awaiting-customer', 'policy-usage-80', 'support-suspended', 'user-invited', 'password-reset']));
    expect(kindsFor(agent)).not.toContain('webhook-disabled');
    expect(kindsFor(admin)).toContain('webhook-disabled');
    expect(kindsFor(agent)).toContain('sla-breach');
  });

  it('every kind has words in the catalogs', () => {
    for (const kind of KINDS) expect(esMX).toHaveProperty([`notifications.kind.${kind}`]);
  });
});
