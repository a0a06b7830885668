import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { loadConfigOrExit } from './config';
import { eventStoreOpenNote, openEventStore, openReadStore } from './infrastructure/stores';

async function main(): Promise<void> {
  const logger = new Logger('helpdesk');
  const config = loadConfigOrExit();
  if (config.jwtSecretIsDefault) {
    logger.warn('JWT_SECRET is not set: using the development secret. Set JWT_SECRET before exposing this server.');
  }
  const events = await openEventStore(config);
  const integrity = eventStoreOpenNote(events);
  if (integrity) logger.warn(integrity);
  const views = await openReadStore(config);
  const app = await createApp({ config, events, views });
  await app.listen(config.port, '0.0.0.0');
  logger.log(
    `API on http://localhost:${config.port}/api (docs /api/docs) — preset ${config.preset.name} ${config.preset.version}, ` +
      `events: ${config.eventStore}${config.eventStore === 'sqlite' ? ` in ${config.dataDir}` : ''}, views: ${config.readStore}, projector: ${config.projector}`,
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
