import { Text } from '@mantine/core';
import { VerdictAlert } from '../shared/ui/VerdictAlert';
import { IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useI18n } from '../shared/i18n/i18n';
import type { CaseHistory } from './replay-api';
import type { Describers } from './describe';
import { streamLabel } from './describe';

/** the verifier's reason (English, from the server) in the user's language when it is one of the known ones */
export function reasonWords(reason: string, t: ReturnType<typeof useI18n>['t']): string {
  if (/^hash does not match the content/.test(reason)) return t('replay.chain.reasonEdited');
  if (/^prevHash does not match/.test(reason)) return t('replay.chain.reasonReordered');
  const missing = /^expected version (\d+), found (\d+)/.exec(reason);
  if (missing) return t('replay.chain.reasonMissing', { expected: missing[1], found: missing[2] });
  if (/is not there \(removed or moved\)$/.test(reason)) return t('replay.chain.reasonLinkMissing');
  return reason;
}

/**
 * The hash-chain verdict of every stream the case touches, whole: green with a shield when
 * intact; red, naming the first event that does not verify (stream, version, position, reason).
 */
export function ChainVerdict({ chain, eventCount, d, onShow }: { chain: CaseHistory['chain']; eventCount: number; d: Describers; onShow?: (position: number) => void }) {
  const { t } = useI18n();
  if (chain.intact) {
    return (
      <VerdictAlert color="green" icon={<IconShieldCheck aria-hidden="true" />} title={t('replay.chain.intactTitle')} data-testid="chain-verdict" data-intact="true" role="status">
        <Text size="sm">{t('replay.chain.intact', { events: eventCount, streams: chain.streams.length })}</Text>
      </VerdictAlert>
    );
  }
  const b = chain.firstBreak;
  return (
    <VerdictAlert
      color="red"
      icon={<IconShieldX aria-hidden="true" />}
      title={t('replay.chain.brokenTitle')}
      data-testid="chain-verdict"
      data-intact="false"
      data-first-broken-stream={b?.streamId}
      data-first-broken-version={b?.version}
      role="alert"
    >
      {b ? (
        <>
          <Text size="sm" fw={600}>
            {t('replay.chain.firstBreak', { stream: streamLabel(b.streamId, d), version: b.version, position: b.position })}
          </Text>
          <Text size="sm">{t('replay.chain.reason', { reason: reasonWords(b.reason, t) })}</Text>
          {onShow && b.position > 0 && (
            <Text size="sm" component="button" type="button" onClick={() => onShow(b.position)} td="underline" c="inherit" style={{ background: 'none', border: 0, padding: 0, cursor: 'pointer' }}>
              {t('replay.chain.showBreak')}
            </Text>
          )}
        </>
      ) : (
        <Text size="sm">{t('replay.chain.brokenUnknown')}</Text>
      )}
      <Text size="xs" mt={4}>
        {t('replay.chain.meaning')}
      </Text>
    </VerdictAlert>
  );
}
