import { Button, Stack } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { ProblemAlert } from './ProblemAlert';
import { useNotify } from './notify';

/** a button that saves a file the API makes, and says so (or why not) */
export function DownloadButton({ onDownload, testId, label }: { onDownload: () => Promise<string>; testId: string; label: string }) {
  const { t } = useI18n();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Stack gap={4}>
      <Button
        variant="light"
        leftSection={<IconDownload size={16} aria-hidden="true" />}
        loading={busy}
        data-testid={testId}
        onClick={() => {
          setBusy(true);
          setError(null);
          onDownload()
            .then((name) => notify(t('download.done', { file: name })))
            .catch(setError)
            .finally(() => setBusy(false));
        }}
      >
        {label}
      </Button>
      {error ? <ProblemAlert error={error} /> : null}
    </Stack>
  );
}
