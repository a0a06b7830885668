import { TestApp, startTestApp } from '../support/test-app';

/**
 * The identity operations in the OpenAPI document exactly: each with every status code it
 * can answer (problem+json for refusals), the fields with the formats, patterns and enums the
 * server enforces, and the session cookie as a security scheme.
 */
describe('identity: the OpenAPI document', () => {
  let t: TestApp;
  let doc: {
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }>; requestBody?: unknown; security?: unknown }>>;
    components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }>; securitySchemes: Record<string, unknown> };
  };
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/api/openapi.json').expect(200)).body;
  });
  afterAll(async () => {
    await t.close();
  });

  const expected: Array<[string, string, string[]]> = [
    ['/api/auth/providers', 'get', ['200']],
    ['/api/auth/sign-in', 'post', ['200', '400', '401', '429']],
    ['/api/auth/sign-out', 'post', ['204', '403']],
    ['/api/auth/setup', 'post', ['200', '400', '409', '410', '429']],
    ['/api/auth/invitations/accept', 'post', ['200', '400', '409', '410', '429']],
    ['/api/auth/password-reset', 'post', ['202', '400', '429']],
    ['/api/auth/password-reset/complete', 'post', ['204', '400', '409', '410', '429']],
    ['/api/auth/oidc/login', 'get', ['302', '404', '503']],
    ['/api/auth/oidc/callback', 'get', ['302', '404']],
    ['/api/me', 'get', ['200', '401']],
    ['/api/me/preferences', 'patch', ['200', '400', '401', '403']],
    ['/api/me/mfa/totp', 'post', ['201', '401', '403', '409']],
    ['/api/me/mfa/totp/verify', 'post', ['200', '400', '401', '403', '409', '422', '429']],
    ['/api/me/mfa/totp/disable', 'post', ['204', '400', '401', '403', '409', '422', '429']],
    ['/api/me/mfa/recovery-codes', 'post', ['200', '400', '401', '403', '409', '422', '429']],
    ['/api/users', 'get', ['200', '400', '401', '403', '503']],
    ['/api/users/{userId}', 'get', ['200', '401', '403', '404', '503']],
    ['/api/users/invitations', 'post', ['201', '400', '401', '403', '404', '409']],
    ['/api/users/{userId}/invitation', 'post', ['200', '401', '403', '404', '409']],
    ['/api/users/{userId}/roles', 'post', ['200', '400', '401', '403', '404', '422']],
    ['/api/users/{userId}/approver', 'post', ['200', '400', '401', '403', '404', '422']],
    ['/api/users/{userId}/deactivation', 'post', ['200', '400', '401', '403', '404', '422']],
    ['/api/users/{userId}/reactivation', 'post', ['200', '400', '401', '403', '404']],
    ['/api/audit/access', 'get', ['200', '400', '401', '403', '503']],
  ];

  it.each(expected)('%s %s declares %j', (path, method, statuses) => {
    const op = doc.paths[path]?.[method];
    expect(op).toBeDefined();
    expect(Object.keys(op.responses).sort()).toEqual([...statuses].sort());
    for (const status of statuses.filter((s) => Number(s) >= 400)) {
      expect(Object.keys(op.responses[status].content ?? {})).toEqual(['application/problem+json']);
    }
  });

  it('fields carry the formats, patterns and enums the server enforces', () => {
    const s = doc.components.schemas;
    expect(s.SignInDto.properties.email).toMatchObject({ format: 'email', maxLength: 254, pattern: expect.any(String) });
    expect(s.SignInDto.properties.totpCode).toMatchObject({ pattern: '^[0-9]{6}$' });
    expect(s.SignInDto.required).toEqual(expect.arrayContaining(['email', 'password']));
    expect(s.InviteUserDto.properties.kind).toMatchObject({ enum: ['staff', 'contact'] });
    expect(s.InviteUserDto.properties.roles).toMatchObject({ type: 'array', minItems: 1, maxItems: 5, uniqueItems: true });
    expect(s.AcceptInvitationDto.properties.token).toMatchObject({ pattern: expect.stringContaining('{43}') });
    expect(s.ChangeRolesDto.properties.roles).toMatchObject({ items: { enum: ['agent', 'supervisor', 'auditor', 'finance', 'admin'] } });
    expect(s.MeDto.properties.authenticatedBy).toMatchObject({ enum: ['session', 'token'] });
    expect(s.AccessQueryDto ?? s.UserDto).toBeDefined();
    expect(doc.components.securitySchemes.cookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'hd_session' });
  });
});
