/**
 * Writes an import plan into a site on whichever data model it is on: `adx_*` tables through
 * the standard import, `powerpagesite`/`powerpagecomponent` rows and web file bytes through the
 * enhanced one. Migrations, uploads and restores call this, so both models get the same batched,
 * resumable import.
 */
import type { ThrottleSignal } from '../platform/http/throttle-signal.ts';
import type { Dataverse } from '../platform/ports.ts';
import { enhancedWrites, runFileWrites } from './enhanced-import.ts';
import type { SiteDataModel } from './enhanced-model.ts';
import type { ImportPlan } from './import-plan.ts';
import { type ImportProgress, importBatches, type Parallelism, runImport } from './site-import.ts';
import type { SiteRecord } from './site-records.ts';
import { loadSiteSchema } from './site-schema.ts';

/** How {@link writeSitePlan} writes. */
export interface SiteWriteOptions {
  model: SiteDataModel;
  /** The site's website record (the `powerpagesite` id on the enhanced model). */
  websiteRecordId: string;
  /** The whole site as it should be (the plan's source), for what the enhanced model keeps together. */
  desired: SiteRecord[];
  batchSize?: number;
  onBatch?: (progress: ImportProgress) => void | Promise<void>;
  parallelism?: Parallelism;
  throttle?: ThrottleSignal;
}

/** What a write did: batches and requests sent (a file upload counts as one of each). */
export type SiteWriteResult = ImportProgress & { peakParallelism: number };

/** Sends the plan: `$batch` change sets in order, then (enhanced model) the web files' bytes. */
export async function writeSitePlan(
  dataverse: Dataverse,
  plan: ImportPlan,
  options: SiteWriteOptions,
): Promise<SiteWriteResult> {
  const schema = await loadSiteSchema(dataverse);
  const size = options.batchSize ?? 100;
  const run = {
    ...(options.throttle ? { throttle: options.throttle } : {}),
    ...(options.parallelism ? { parallelism: options.parallelism } : {}),
  };
  if (options.model === 'Standard')
    return runImport(dataverse, importBatches(plan, size, schema), {
      ...run,
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    });
  const writes = enhancedWrites(plan, options.desired, options.websiteRecordId, size, schema);
  const total = writes.batches.length + writes.files.length;
  const done = await runImport(dataverse, writes.batches, {
    ...run,
    onBatch: (p) => options.onBatch?.({ ...p, batches: total }),
  });
  const files = await runFileWrites(dataverse, writes.files, (n) =>
    options.onBatch?.({ batchesDone: done.batchesDone + n, batches: total, writes: done.writes + n }),
  );
  return { ...done, batchesDone: done.batchesDone + files, batches: total, writes: done.writes + files };
}
