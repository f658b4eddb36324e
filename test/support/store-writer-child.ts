// Child process for the crash test: writes to a store as fast as it can until it is killed.
import { LowdbStore } from '../../src/storage/lowdb-store.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: store-writer-child <dataDir>');
const store = await LowdbStore.open(dataDir);
const jobs = store.collection('subscriptions');
const padding = 'x'.repeat(2000);
process.send?.('ready');
for (let i = 0; ; i++) {
  await Promise.all([
    jobs.put({ id: `job-${i % 50}`, n: i, padding }),
    store.appendAudit({ actor: 'test', action: 'write', subject: `job-${i % 50}`, outcome: 'ok' }),
  ]);
}
