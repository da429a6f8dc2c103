/**
 * The `dbn` command's `-S/--split-by` with `-O/--output-pattern`: records go
 * to one output per symbol, schema, day, week (from Sunday) or month (from
 * the 1st), named by replacing `{symbol}`, `{schema}` or `{date}`
 * (`YYYY-MM-DD`) in the pattern, each with the metadata of its part, as
 * Databento's `dbn` CLI splits them.
 * @internal
 * @module
 */
import { RecordBatch } from '../dbn/batch.js';
import type { Metadata } from '../dbn/metadata.js';
import type { AnyRecord } from '../generated/records.js';
import { schemaForRtype, schemaName } from '../generated/enums.js';
import { TsSymbolMap } from '../symbology/ts-symbol-map.js';
import { CliError } from './util.js';

/** What the output is split by. */
export type SplitBy = 'symbol' | 'schema' | 'day' | 'week' | 'month';
/** The values of `-S/--split-by`. */
export const SPLIT_BY: readonly SplitBy[] = ['symbol', 'schema', 'day', 'week', 'month'];

/** One part's output. */
export interface PartOutput {
  write(batch: RecordBatch): Promise<void>;
  close(): Promise<void>;
}

/** Opens the output of a part at `path`, with the part's metadata (none for fragment input). */
export type OpenPart = (path: string, metadata: Metadata | undefined) => Promise<PartOutput>;

const NS_PER_DAY = 86_400_000_000_000n;
const UNDEF_TIMESTAMP = 2n ** 64n - 1n;
const PLACEHOLDER: Record<SplitBy, string> = { symbol: '{symbol}', schema: '{schema}', day: '{date}', week: '{date}', month: '{date}' };

function indexTs(rec: AnyRecord): bigint {
  return (rec as { ts_recv?: bigint }).ts_recv ?? rec.ts_event;
}

const isoDay = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);
const dayOf = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** First day of the period holding `day` (days since 1970-01-01, a Thursday) and the first day after it. */
function period(by: 'day' | 'week' | 'month', day: number): [number, number] {
  if (by === 'day') return [day, day + 1];
  if (by === 'week') {
    const start = day - ((day + 4) % 7); // back to Sunday
    return [start, start + 7];
  }
  const d = new Date(day * 86_400_000);
  return [Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 86_400_000, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 86_400_000];
}

/** The metadata of one period: its start and end clipped, mappings and symbols of those days only. */
function periodMetadata(md: Metadata, [first, next]: [number, number]): Metadata {
  const start = md.start > BigInt(first) * NS_PER_DAY ? md.start : BigInt(first) * NS_PER_DAY;
  const periodEnd = BigInt(next) * NS_PER_DAY;
  const end = md.end === 0n || md.end === UNDEF_TIMESTAMP || md.end > periodEnd ? periodEnd : md.end;
  const startDay = Number(start / NS_PER_DAY);
  const endDay = Number((end + NS_PER_DAY - 1n) / NS_PER_DAY);
  const mappings = md.mappings
    .map((m) => ({
      raw_symbol: m.raw_symbol,
      intervals: m.intervals
        .map((iv) => ({ ...iv, start_date: isoDay(Math.max(dayOf(iv.start_date), startDay)), end_date: isoDay(Math.min(dayOf(iv.end_date), endDay)) }))
        .filter((iv) => iv.start_date < iv.end_date),
    }))
    .filter((m) => m.intervals.length > 0);
  const kept = new Set(mappings.map((m) => m.raw_symbol));
  return { ...md, start, end, mappings, symbols: md.symbols.filter((s) => kept.has(s)), partial: md.partial.filter((s) => kept.has(s)) };
}

/** Picks each record's part: its key, the text for the pattern and the part's metadata. */
function splitter(by: SplitBy, metadata: Metadata | undefined): (rec: AnyRecord) => { key: string; metadata: () => Metadata | undefined } | undefined {
  if (by === 'symbol') {
    if (!metadata) throw new CliError('cannot split by symbol when the input is a fragment: it has no symbol mappings', 'USAGE');
    const symbols = TsSymbolMap.fromMetadata(metadata);
    return (rec) => {
      const symbol = symbols.find(rec);
      if (symbol === undefined) {
        throw new CliError(`no symbol mapping for instrument_id ${rec.instrument_id} at ${indexTs(rec)}`, 'SYMBOL_NOT_FOUND');
      }
      return {
        key: symbol,
        metadata: () => ({
          ...metadata,
          symbols: metadata.symbols.filter((s) => s === symbol),
          partial: metadata.partial.filter((s) => s === symbol),
          mappings: metadata.mappings.filter((m) => m.raw_symbol === symbol),
        }),
      };
    };
  }
  if (by === 'schema') {
    return (rec) => {
      const schema = schemaForRtype(rec.rtype);
      if (schema === undefined) return undefined; // records of no schema (e.g. symbol mappings) are left out
      const name = schemaName(schema)!;
      return { key: name, metadata: () => metadata && { ...metadata, schema: name } };
    };
  }
  return (rec) => {
    const ts = indexTs(rec);
    if (ts === UNDEF_TIMESTAMP) throw new CliError('cannot split a record with an undefined timestamp by date', 'BAD_RECORD');
    const bounds = period(by, Number(ts / NS_PER_DAY));
    return { key: isoDay(bounds[0]), metadata: () => metadata && periodMetadata(metadata, bounds) };
  };
}

/**
 * Writes every record of `batches` to its part's output, opened on its first
 * record; closes them all at the end (or on a failure).
 */
export async function writeSplit(
  batches: AsyncIterable<RecordBatch>,
  metadata: Metadata | undefined,
  by: SplitBy,
  pattern: string,
  open: OpenPart,
): Promise<void> {
  const partOf = splitter(by, metadata);
  const parts = new Map<string, PartOutput>();
  try {
    for await (const batch of batches) {
      const groups = new Map<string, { records: Uint8Array[]; metadata: () => Metadata | undefined }>();
      for (const rec of batch.records()) {
        const part = partOf(rec);
        if (!part) continue;
        let group = groups.get(part.key);
        if (!group) groups.set(part.key, (group = { records: [], metadata: part.metadata }));
        group.records.push(rec.bytes());
      }
      for (const [key, group] of groups) {
        let out = parts.get(key);
        if (!out) {
          out = await open(pattern.replaceAll(PLACEHOLDER[by], key), group.metadata());
          parts.set(key, out);
        }
        const bytes = Buffer.concat(group.records);
        await out.write(new RecordBatch(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), group.records.length, batch.version, batch.tsOut));
      }
    }
  } catch (err) {
    // Every part is ended even after a failure, so no file is left open; the first failure is the one reported.
    await Promise.allSettled([...parts.values()].map((p) => p.close()));
    throw err;
  }
  for (const part of parts.values()) await part.close();
}
