import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways on narrow screens (below `minWidth`), inside a named region
 * keyboard users can focus and scroll with the arrow keys (axe: scrollable-region-focusable).
 * Positioned, so that absolutely placed pieces inside (visually hidden labels) scroll with the
 * table instead of widening the page.
 */
export function ScrollTable({ minWidth, label, children }: { minWidth: number; label: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto', maxWidth: '100%', position: 'relative' }}>
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}
