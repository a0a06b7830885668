import { Alert, type AlertProps } from '@mantine/core';
import { darkText } from './colors';

/**
 * A light alert whose title and text are dark enough for WCAG AA on its tint (Mantine's light
 * variant writes green and yellow titles at about 3.8:1): verdicts, notes.
 */
export function VerdictAlert({ color = 'blue', styles, ...props }: AlertProps & { color?: string; 'data-testid'?: string; [data: `data-${string}`]: unknown }) {
  const text = darkText(color.split('.')[0]);
  return <Alert color={color} variant="light" styles={{ title: { color: text }, message: { color: text }, icon: { color: text }, ...(styles as object) }} {...props} />;
}
