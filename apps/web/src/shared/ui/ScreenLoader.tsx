import { Center, Loader, VisuallyHidden } from '@mantine/core';
import { useI18n } from '../i18n/i18n';

export function ScreenLoader() {
  const { t } = useI18n();
  return (
    <Center p="xl" role="status" data-loading="true">
      <Loader size="md" aria-hidden="true" />
      <VisuallyHidden>{t('common.loading')}</VisuallyHidden>
    </Center>
  );
}
