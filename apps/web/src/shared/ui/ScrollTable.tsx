import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways on narrow screens (below `minWidth`), inside a named region
 * keyboard users can focus and scroll with the arrow keys (axe: scrollable-region-focusable).
 */
export function ScrollTable({ minWidth, label, children }: { minWidth: number; label: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto', maxWidth: '100%' }}>
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}
