import { ProblemException, problem } from '../http/problem';

export const SESSION_COOKIE = 'hd_session';

/** Set-Cookie value that removes the session cookie */
export const clearedSessionCookie = (secure: boolean) => `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;

/** the one answer for an unknown email, a wrong password, a person without a password or a deactivated one */
export const invalidCredentials = () => new ProblemException(problem(401, 'invalid-credentials', 'the email address or the password is not right'));

export const mfaRequired = (detail = 'this account signs in with a second factor: send totpCode (or a recoveryCode)') =>
  new ProblemException(problem(401, 'mfa-required', detail, { mfa: 'totp' }));

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new ProblemException(problem(429, 'too-many-attempts', `too many attempts: try again in ${retryAfterSeconds} s`, { retryAfter: retryAfterSeconds }), {
    'retry-after': String(retryAfterSeconds),
  });

export const sessionExpired = (secure: boolean) =>
  new ProblemException(problem(401, 'session-expired', 'the session has ended (signed out, timed out or revoked): sign in again'), {
    'set-cookie': clearedSessionCookie(secure),
  });

export const csrfInvalid = () =>
  new ProblemException(problem(403, 'csrf-token-invalid', 'a request authenticated by the session cookie must carry the header X-CSRF-Token with the csrfToken of GET /api/me'));

export const mfaEnrollmentRequired = () =>
  new ProblemException(problem(403, 'mfa-enrollment-required', 'your role requires a second factor: enrol one (POST /api/me/mfa/totp) before anything else'));

export const passwordTooWeak = (reason: string) =>
  new ProblemException(problem(400, 'password-too-weak', `the password ${reason}`, { errors: [{ path: 'password', message: reason }] }));

export const linkExpired = (code: string, what: string) =>
  new ProblemException(problem(410, code, `this ${what} link is not valid (expired, replaced or unknown); ask for a new one`));

export const linkUsed = (code: string, what: string) => new ProblemException(problem(409, code, `this ${what} link was already used`));
