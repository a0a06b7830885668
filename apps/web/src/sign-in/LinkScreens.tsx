/**
 * The screens behind the one-time links the server sends or prints: the first administrator
 * (/setup?token=, printed at first start), an invitation (/invitation?token=) and a new
 * password (/password-reset?token=). Setup and invitations sign the person in.
 */
import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { IconCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { request } from '../shared/api/client';
import type { Me } from '../shared/api/views';
import { useI18n } from '../shared/i18n/i18n';
import { useSession } from '../shared/session/session';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { AuthFrame } from './AuthFrame';

export const MIN_PASSWORD = 12;

function NewPassword({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
  const { t } = useI18n();
  const short = value.length > 0 && value.length < MIN_PASSWORD;
  return (
    <PasswordInput
      label={label}
      description={t('password.rule', { n: MIN_PASSWORD })}
      autoComplete="new-password"
      required
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={short ? t('password.tooShort', { n: MIN_PASSWORD }) : undefined}
    />
  );
}

function useToken(): string {
  const [params] = useSearchParams();
  return params.get('token') ?? '';
}

export function SetupScreen() {
  const { t } = useI18n();
  const token = useToken();
  const { adopt } = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const setup = useMutation({
    mutationFn: () => request<Me>('POST', '/api/auth/setup', { token, email: email.trim(), name: name.trim(), password }),
    onSuccess: (me) => {
      adopt(me);
      navigate('/', { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (email.trim() && name.trim() && password.length >= MIN_PASSWORD) setup.mutate();
  };
  return (
    <AuthFrame title={t('setup.title')} subtitle={t('setup.subtitle')}>
      <form onSubmit={submit} aria-label={t('setup.title')} noValidate>
        <Stack gap="sm">
          <TextInput label={t('setup.name')} autoComplete="name" required value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} />
          <TextInput label={t('signIn.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <NewPassword label={t('signIn.password')} value={password} onChange={setPassword} />
          {setup.isError && <ProblemAlert error={setup.error} />}
          <Button type="submit" loading={setup.isPending}>
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}

export function InvitationScreen() {
  const { t } = useI18n();
  const token = useToken();
  const { adopt } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const accept = useMutation({
    mutationFn: () => request<Me>('POST', '/api/auth/invitations/accept', { token, password, ...(name.trim() ? { name: name.trim() } : {}) }),
    onSuccess: (me) => {
      adopt(me);
      navigate('/', { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password.length >= MIN_PASSWORD) accept.mutate();
  };
  return (
    <AuthFrame title={t('invitation.title')} subtitle={t('invitation.subtitle')}>
      <form onSubmit={submit} aria-label={t('invitation.title')} noValidate>
        <Stack gap="sm">
          <TextInput label={t('invitation.name')} description={t('invitation.nameHint')} autoComplete="name" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} />
          <NewPassword label={t('signIn.password')} value={password} onChange={setPassword} />
          {accept.isError && <ProblemAlert error={accept.error} />}
          <Button type="submit" loading={accept.isPending}>
            {t('invitation.submit')}
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}

export function PasswordResetScreen() {
  const { t } = useI18n();
  const token = useToken();
  const [password, setPassword] = useState('');
  const complete = useMutation({ mutationFn: () => request('POST', '/api/auth/password-reset/complete', { token, password }) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password.length >= MIN_PASSWORD) complete.mutate();
  };
  return (
    <AuthFrame title={t('reset.title')}>
      {complete.isSuccess ? (
        <Stack gap="sm">
          <Alert color="green" variant="light" icon={<IconCheck aria-hidden="true" />} role="status">
            {t('reset.done')}
          </Alert>
          <Anchor component={Link} to="/sign-in">
            {t('reset.signIn')}
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={submit} aria-label={t('reset.title')} noValidate>
          <Stack gap="sm">
            <NewPassword label={t('reset.password')} value={password} onChange={setPassword} />
            {complete.isError && <ProblemAlert error={complete.error} />}
            <Button type="submit" loading={complete.isPending}>
              {t('reset.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthFrame>
  );
}

export default SetupScreen;
