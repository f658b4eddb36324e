// Child process for the one-writer tests: opens the store in argv[2], writes a running job, says
// so and keeps the store open until it is killed; a refused open is reported instead. On the
// message `put` it writes a second job, on `compact` enough changes to fold the journal.
import { LowdbStore } from '../../src/storage/lowdb-store.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: store-holder-child <dataDir>');
try {
  const store = await LowdbStore.open(dataDir, { owner: 'portalops start' });
  await store.collection('subscriptions').put({ id: `job-of-${process.pid}`, state: 'running' });
  process.on('message', async (command) => {
    if (command === 'put')
      await store.collection('subscriptions').put({ id: 'job-provisioned', state: 'succeeded' });
    if (command === 'compact') for (let i = 0; i < 2_100; i++) await store.setValue('counter', String(i));
    process.send?.('done');
  });
  process.send?.({ ready: true, pid: process.pid });
} catch (error) {
  process.send?.({ refused: (error as Error).message, code: (error as { code?: string }).code });
  process.disconnect?.();
}
