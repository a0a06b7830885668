import { Button, type ButtonProps } from '@mantine/core';
import { useI18n } from '../i18n/i18n';

/** the part of an infinite query a "load more" button needs */
export interface PagedQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** "Cargar más" under a list paged by cursor; nothing once the last page is in */
export function LoadMore({ query, ...button }: { query: PagedQuery } & ButtonProps) {
  const { t } = useI18n();
  if (!query.hasNextPage) return null;
  return (
    <Button variant="default" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} {...button}>
      {t('common.loadMore')}
    </Button>
  );
}
