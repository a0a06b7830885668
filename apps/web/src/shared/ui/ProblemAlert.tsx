import { Alert, List } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { isProblem } from '../api/problem';
import { useProblemText } from './problem-text';

/** a refused request, in the user's language (by the problem's code), with the field errors */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const text = useProblemText();
  if (!error) return null;
  const fields = isProblem(error) ? (error.problem.errors ?? []) : [];
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden="true" />} title={title} role="alert" data-problem-code={isProblem(error) ? error.code : 'error'}>
      {text(error)}
      {fields.length > 0 && (
        <List size="sm" mt={4}>
          {fields.map((f) => (
            <List.Item key={f.path}>
              {f.path}: {f.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
