import { notifications } from '@mantine/notifications';
import { useI18n } from '../i18n/i18n';

/** a short confirmation toast (its close button named for screen readers) */
export function useNotify() {
  const { t } = useI18n();
  return (message: string, color: 'green' | 'red' | 'blue' = 'green') =>
    notifications.show({ message, color, autoClose: 4000, closeButtonProps: { 'aria-label': t('common.close') } });
}
