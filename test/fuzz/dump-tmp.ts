import * as fs from 'fs';
import { startTestApp } from '../support/test-app';
(async () => {
  const t = await startTestApp();
  const r = await t.http.get('/api/openapi.json');
  fs.writeFileSync('/tmp/openapi.json', JSON.stringify(r.body, null, 2));
  await t.close();
})();
