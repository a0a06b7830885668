import { useSearchParams } from 'react-router';

/**
 * The tab of a screen kept in the address (`?tab=`), so a reload or a shared link opens the
 * same tab: the wanted one when it is among `tabs`, else the first; choosing one replaces the
 * history entry (tabs are not navigation steps).
 */
export function useTabParam<T extends string>(tabs: readonly T[]): [T | undefined, (value: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const wanted = params.get('tab');
  const tab = tabs.find((k) => k === wanted) ?? tabs[0];
  const choose = (value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set('tab', value);
        return next;
      },
      { replace: true },
    );
  return [tab, choose];
}
