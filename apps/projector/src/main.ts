import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '../../api/src/config';
import { openEventStore, openReadStore } from '../../api/src/infrastructure/stores';
import { openNotificationStore } from '../../api/src/notifications/runtime';
import { ProjectorModule } from './projector.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (config.eventStore === 'sqlite') {
    console.error(
      'the projector app runs beside EventStoreDB (EVENT_STORE=eventstoredb); with the embedded store the API runs the projector in its own process',
    );
    process.exit(2);
  }
  const events = await openEventStore(config);
  const views = await openReadStore(config);
  const notifications = await openNotificationStore(config);
  const app = await NestFactory.createApplicationContext(ProjectorModule.register(config, events, views, notifications), { logger: ['log', 'warn', 'error'] });
  app.enableShutdownHooks();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
