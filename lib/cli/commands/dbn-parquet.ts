/**
 * `databento-node dbn --parquet`: the records of one schema as a Parquet
 * file (zstd), typed as the Arrow output: `timestamp[ns, UTC]` timestamps,
 * float64 prices with `--pretty` (else int64 fixed-point), a `symbol` column
 * with `--map-symbols`.
 * @internal
 * @module
 */
import { RecordBatch } from '../../dbn/batch.js';
import { parquetStream } from '../../dbn/parquet.js';
import { stdoutGone } from '../util.js';
import type { BatchSource } from '../../dbn/text.js';
import { rtypeForSchema, schemaFromName } from '../../generated/enums.js';

/** What `--parquet` takes from the dbn command's flags. */
export interface ParquetFlags {
  pretty?: boolean;
  mapSymbols?: boolean;
  schema?: string;
  limit?: number;
}

/** Writes the Parquet file of `--schema`'s records (else the data's), at most `--limit` of them, as it is produced. */
export async function writeParquetOutput(source: BatchSource, flags: ParquetFlags, write: (bytes: Uint8Array) => Promise<void>): Promise<void> {
  const schema = flags.schema === undefined ? undefined : schemaFromName(flags.schema);
  const rtype = schema === undefined ? undefined : rtypeForSchema(schema);
  const limited = flags.limit === undefined ? source : { metadata: source.metadata, batches: () => firstRecords(source, flags.limit!, rtype) };
  const parquet = await parquetStream(limited, {
    prettyPx: flags.pretty ?? false,
    prettyTs: true,
    mapSymbols: flags.mapSymbols ?? false,
    ...(flags.schema !== undefined ? { schema: flags.schema } : {}),
  });
  for await (const bytes of parquet.bytes) {
    await write(bytes as Uint8Array);
    if (stdoutGone()) break;
  }
}

/** The batches up to the `limit`-th record of `rtype` (of any rtype when undefined). */
async function* firstRecords(source: BatchSource, limit: number, rtype: number | undefined): AsyncGenerator<RecordBatch> {
  let remaining = limit;
  for await (const batch of source.batches()) {
    if (remaining <= 0) return;
    const dv = batch.view;
    let end = 0;
    let count = 0;
    for (; end < dv.byteLength && remaining > 0; end += dv.getUint8(end) * 4, count++) {
      if (rtype === undefined || dv.getUint8(end + 1) === rtype) remaining--;
    }
    yield end === dv.byteLength ? batch : new RecordBatch(batch.buffer.slice(0, end), count, batch.version, batch.tsOut);
  }
}
