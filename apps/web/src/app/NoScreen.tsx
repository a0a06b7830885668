import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useI18n } from '../shared/i18n/i18n';

export default function NoScreen({ notFound = false }: { notFound?: boolean }) {
  const { t } = useI18n();
  return (
    <Stack maw={560} gap="sm" p="md">
      <Title order={1} size="h3">
        {t(notFound ? 'noScreen.notFoundTitle' : 'noScreen.title')}
      </Title>
      <Text>{t(notFound ? 'noScreen.notFound' : 'noScreen.body')}</Text>
      <Button component={Link} to="/" variant="light" w="fit-content">
        {t('noScreen.home')}
      </Button>
    </Stack>
  );
}
