import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { SqliteEventStore } from '@helpdesk/event-store';
import { SqliteReadStore } from '@helpdesk/read-store';
import { loadConfig } from '../../api/src/config';
import { ProjectorLifecycle, ProjectorModule } from '../src/projector.module';

/**
 * The projector app has no API port: with METRICS_ADDRESS it serves /metrics, /health/live and
 * /health/ready on that address. (The app itself runs beside EventStoreDB; the module is store-
 * agnostic, so the embedded stores stand in here.)
 */
describe('projector app: metrics and probes on METRICS_ADDRESS', () => {
  it('serves projection lag, scheduler runs and readiness', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-projector-'));
    const config = loadConfig({ DATA_DIR: dir, METRICS_ADDRESS: '127.0.0.1:0', METRICS_TOKEN: 'projector-metrics-token-0123', SCHEDULER_INTERVAL_MS: '3600000', READY_MAX_LAG: '5' });
    const events = SqliteEventStore.open(path.join(dir, 'events.db'));
    const views = SqliteReadStore.open(path.join(dir, 'views.db'));
    const app = await NestFactory.createApplicationContext(ProjectorModule.register(config, events, views), { logger: false });
    await app.init();
    try {
      const bound = app.get(ProjectorLifecycle).opsAddress();
      expect(bound).not.toBeNull();
      const http = request(`http://127.0.0.1:${bound!.port}`);
      const auth = { Authorization: 'Bearer projector-metrics-token-0123' };
      await http.get('/metrics').expect(401);
      const metrics = await http.get('/metrics').set(auth).expect(200);
      expect(metrics.text).toMatch(/helpdesk_projection_lag_positions\{projection="tickets",app="projector"\} 0/);
      expect(metrics.text).toContain('# TYPE helpdesk_scheduler_runs_total counter');
      expect((await http.get('/health/live').set(auth).expect(200)).body).toEqual({ status: 'ok' });
      const ready = await http.get('/health/ready').set(auth).expect(200);
      expect(ready.body).toMatchObject({ status: 'ready', maxLag: 5 });
      expect(ready.body.projections.map((p: { projection: string }) => p.projection)).toContain('deduction-repairer');
    } finally {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
