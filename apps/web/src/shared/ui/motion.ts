import { useReducedMotion } from '@mantine/hooks';

/** dialogs and drawers appear at once for people who ask their system for reduced motion */
export function useOverlayTransition(): { duration: number } {
  return { duration: useReducedMotion(false, { getInitialValueInEffect: false }) ? 0 : 200 };
}
