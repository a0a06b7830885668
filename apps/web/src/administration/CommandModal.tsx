import { Button, Group, Modal, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useI18n } from '../shared/i18n/i18n';
import { useOverlayTransition } from '../shared/ui/motion';
import { ProblemAlert } from '../shared/ui/ProblemAlert';

/** a small form in a dialog: its fields, the server's refusal in the user's language, cancel and submit */
export function CommandModal({
  opened,
  title,
  onClose,
  onSubmit,
  pending,
  error,
  submitLabel,
  children,
  testId,
  danger = false,
}: {
  opened: boolean;
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  children: ReactNode;
  testId?: string;
  danger?: boolean;
}) {
  const transition = useOverlayTransition();
  const { t } = useI18n();
  return (
    <Modal transitionProps={transition} opened={opened} onClose={onClose} title={title} centered closeButtonProps={{ 'aria-label': t('common.close') }} size="lg">
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSubmit();
        }}
        aria-label={title}
        data-testid={testId}
      >
        <Stack gap="sm">
          {children}
          {error ? <ProblemAlert error={error} /> : null}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose} type="button">
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={pending} color={danger ? 'red.8' : undefined} data-testid={testId ? `${testId}-submit` : undefined}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
