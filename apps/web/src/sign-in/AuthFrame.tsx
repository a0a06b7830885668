import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useI18n } from '../shared/i18n/i18n';
import { LanguageMenu } from '../shared/layout/AppLayout';

/** the frame of the screens before a session: sign-in, first administrator, invitation, new password */
export function AuthFrame({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Box component="main" mih="100vh" bg="gray.0" p="md">
      <Group justify="space-between">
        <Text fw={700}>{t('app.name')}</Text>
        <LanguageMenu />
      </Group>
      <Center>
        <Paper withBorder shadow="sm" p="lg" radius="md" w="100%" maw={440} mt="xl">
          <Stack gap="md">
            <div>
              <Title order={1} size="h2">
                {title}
              </Title>
              {subtitle && (
                <Text c="dimmed" size="sm">
                  {subtitle}
                </Text>
              )}
            </div>
            {children}
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
}
