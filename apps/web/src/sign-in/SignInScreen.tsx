/**
 * Sign-in: email and password (and the TOTP code when the account has MFA) against
 * POST /api/auth/sign-in, which sets the session cookie; single sign-on when the server has an
 * OpenID provider. A server without sign-in (GET /api/auth/providers is 404) takes a bearer token
 * instead (token mode, `npm run token`).
 */
import { Alert, Anchor, Box, Button, Center, Divider, Group, Paper, PasswordInput, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconInfoCircle, IconLogin } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { request } from '../shared/api/client';
import { isProblem, type ApiProblem } from '../shared/api/problem';
import { useI18n } from '../shared/i18n/i18n';
import { LanguageMenu } from '../shared/layout/AppLayout';
import { useSession } from '../shared/session/session';
import { ProblemAlert } from '../shared/ui/ProblemAlert';

interface Providers {
  password: boolean;
  oidc: boolean;
}

function useProviders() {
  return useQuery({
    queryKey: ['auth-providers'],
    staleTime: Infinity,
    queryFn: async (): Promise<Providers | null> => {
      try {
        return await request<Providers>('GET', '/api/auth/providers');
      } catch (err) {
        if (isProblem(err) && err.status === 404) return null; // no sign-in on this server: token mode
        throw err;
      }
    },
  });
}

function PasswordForm({ oidc }: { oidc: boolean }) {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [mfa, setMfa] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [resetSent, setResetSent] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const body = { email: email.trim(), password, ...(mfa && code ? (useRecovery ? { recoveryCode: code.trim() } : { totpCode: code.trim() }) : {}) };
    const result = await signIn(body);
    setBusy(false);
    if (!result.ok) {
      if (result.problem.code === 'mfa-required') {
        setMfa(true);
        return;
      }
      setProblem(result.problem);
    }
  };

  const forgot = async () => {
    if (!email.trim()) {
      setProblem(null);
      return;
    }
    try {
      await request('POST', '/api/auth/password-reset', { email: email.trim() });
    } finally {
      setResetSent(true);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('signIn.title')}>
      <Stack gap="sm">
        <TextInput label={t('signIn.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <PasswordInput label={t('signIn.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
        {mfa && (
          <>
            <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden="true" />}>
              {t('signIn.mfaNeeded')}
            </Alert>
            <TextInput
              label={t(useRecovery ? 'signIn.recoveryCode' : 'signIn.totpCode')}
              autoComplete="one-time-code"
              inputMode={useRecovery ? 'text' : 'numeric'}
              required
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
            />
            <Anchor component="button" type="button" size="sm" onClick={() => setUseRecovery((v) => !v)} w="fit-content">
              {t(useRecovery ? 'signIn.useTotp' : 'signIn.useRecovery')}
            </Anchor>
          </>
        )}
        {problem && <ProblemAlert error={problem} />}
        {resetSent && (
          <Alert color="blue" variant="light" role="status">
            {t('signIn.resetSent')}
          </Alert>
        )}
        <Button type="submit" loading={busy} leftSection={<IconLogin size={18} aria-hidden="true" />}>
          {t('signIn.submit')}
        </Button>
        <Anchor component="button" type="button" size="sm" onClick={() => void forgot()} w="fit-content">
          {t('signIn.forgot')}
        </Anchor>
        {oidc && (
          <>
            <Divider label={t('signIn.or')} labelPosition="center" />
            <Button component="a" href="/api/auth/oidc/login" variant="default">
              {t('signIn.sso')}
            </Button>
          </>
        )}
      </Stack>
    </form>
  );
}

function TokenForm() {
  const { t } = useI18n();
  const { signInWithToken } = useSession();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const result = await signInWithToken(token);
    setBusy(false);
    if (!result.ok) setProblem(result.problem);
  };
  return (
    <form onSubmit={submit} aria-label={t('signIn.tokenTitle')}>
      <Stack gap="sm">
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden="true" />}>
          {t('signIn.tokenMode')}
        </Alert>
        <Textarea label={t('signIn.token')} description={t('signIn.tokenHint')} autosize minRows={3} required value={token} onChange={(e) => setToken(e.currentTarget.value)} spellCheck={false} />
        {problem && <ProblemAlert error={problem} />}
        <Button type="submit" loading={busy} leftSection={<IconLogin size={18} aria-hidden="true" />}>
          {t('signIn.submit')}
        </Button>
      </Stack>
    </form>
  );
}

export default function SignInScreen({ expired }: { expired?: boolean }) {
  const { t } = useI18n();
  const providers = useProviders();
  return (
    <Box component="main" mih="100vh" bg="gray.0" p="md">
      <Group justify="flex-end">
        <LanguageMenu />
      </Group>
      <Center>
        <Paper withBorder shadow="sm" p="lg" radius="md" w="100%" maw={420} mt="xl">
          <Stack gap="md">
            <div>
              <Title order={1} size="h2">
                {t('app.name')}
              </Title>
              <Text c="dimmed" size="sm">
                {t('signIn.subtitle')}
              </Text>
            </div>
            {expired && (
              <Alert color="orange" variant="light" role="status">
                {t('signIn.expired')}
              </Alert>
            )}
            {providers.isPending ? null : providers.data ? <PasswordForm oidc={providers.data.oidc} /> : <TokenForm />}
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
}
