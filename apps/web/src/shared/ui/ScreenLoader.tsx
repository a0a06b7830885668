import { Center, Loader } from '@mantine/core';
import { useI18n } from '../i18n/i18n';

export function ScreenLoader() {
  const { t } = useI18n();
  return (
    <Center p="xl" role="status" aria-live="polite">
      <Loader size="md" aria-label={t('common.loading')} />
    </Center>
  );
}
