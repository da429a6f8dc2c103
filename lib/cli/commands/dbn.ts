/**
 * `databento-node dbn FILE...`: reads DBN files (or stdin) and writes them as
 * CSV, TSV, JSON lines, DBN or a DBN fragment, with the options of
 * Databento's `dbn` CLI. Several files are merged by index timestamp.
 * @internal
 * @module
 */
import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { Option, InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import type { Writable } from 'node:stream';
import { RecordBatch } from '../../dbn/batch.js';
import { DbnDecoder } from '../../dbn/decoder.js';
import { DbnEncoder } from '../../dbn/encoder.js';
import { mergeBatches, mergeMetadata } from '../../dbn/merge.js';
import type { Metadata } from '../../dbn/metadata.js';
import type { DecoderOptions } from '../../dbn/options.js';
import { DbnStore } from '../../dbn/store.js';
import { TextOutput, type BatchSource, type FileBatchSource } from '../../dbn/text.js';
import { rtypeForSchema, schemaFromName } from '../../generated/enums.js';
import { ZstdCompressStream } from '../../zstd.js';
import { action, CliError, stdoutGone, wholeNumber, writeOut } from '../util.js';
import { metadataJson } from '../metadata-json.js';
import { writeParquetOutput } from './dbn-parquet.js';
import { SPLIT_BY, writeSplit, type PartOutput, type SplitBy } from '../split.js';

type Encoding = 'csv' | 'tsv' | 'json' | 'dbn' | 'fragment' | 'parquet';

interface DbnFlags {
  json?: boolean;
  csv?: boolean;
  tsv?: boolean;
  dbn?: boolean;
  fragment?: boolean;
  parquet?: boolean;
  output?: string;
  force?: boolean;
  zstd?: boolean;
  pretty?: boolean;
  mapSymbols?: boolean;
  metadata?: boolean;
  limit?: number;
  schema?: string;
  omitHeader?: boolean;
  upgrade?: boolean;
  inputFragment?: boolean;
  inputZstdFragment?: boolean;
  inputDbnVersion?: 1 | 2 | 3;
  outputPattern?: string;
  splitBy?: SplitBy;
}

const ENCODING_FLAGS = ['json', 'csv', 'tsv', 'dbn', 'fragment', 'parquet'] as const;

/** The output encoding from the flags, else from the output path's extension (`.zst` ⇒ zstd). */
function outputEncoding(flags: DbnFlags): { encoding: Encoding; zstd: boolean } {
  const chosen = ENCODING_FLAGS.find((f) => flags[f]);
  if (chosen) return { encoding: chosen, zstd: flags.zstd ?? false };
  const path = flags.output ?? flags.outputPattern;
  if (path !== undefined) {
    const zstd = path.endsWith('.zst') || (flags.zstd ?? false);
    const base = path.endsWith('.zst') ? path.slice(0, -4) : path;
    const byExt: [string, Encoding][] = [['.dbn.frag', 'fragment'], ['.json', 'json'], ['.csv', 'csv'], ['.tsv', 'tsv'], ['.xls', 'tsv'], ['.dbn', 'dbn'], ['.parquet', 'parquet']];
    const hit = byExt.find(([ext]) => base.endsWith(ext));
    if (hit) return { encoding: hit[1], zstd };
  }
  throw new CliError(
    `Unable to infer output encoding from ${path === undefined ? 'no --output path' : `output path '${path}'`}: pass one of --csv, --tsv, --json, --dbn, --fragment or --parquet`,
    'USAGE',
  );
}

function decoderOptions(flags: DbnFlags): DecoderOptions {
  return {
    upgradePolicy: flags.upgrade ? 'upgrade' : 'as-is',
    ...(flags.inputFragment || flags.inputZstdFragment ? { fragment: { version: flags.inputDbnVersion ?? 3 } } : {}),
  };
}

/** stdin as a batch source: decoded as it arrives. */
async function stdinSource(options: DecoderOptions): Promise<BatchSource & { metadata: Metadata | undefined }> {
  const decoder = new DbnDecoder(options);
  const input = process.stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const pending: RecordBatch[] = [];
  let ended = false;
  // Read until the metadata is known (fragments have none: the first batch).
  while (!ended && (options.fragment ? pending.length === 0 : decoder.metadata === undefined)) {
    const next = await input.next();
    if (next.done) {
      decoder.end();
      ended = true;
    } else {
      const batch = await decoder.writeAsync(next.value);
      if (batch) pending.push(batch);
    }
  }
  return {
    metadata: decoder.metadata,
    async *batches() {
      yield* pending;
      while (!ended) {
        const next = await input.next();
        if (next.done) {
          decoder.end();
          return;
        }
        const batch = await decoder.writeAsync(next.value);
        if (batch) yield batch;
      }
    },
  };
}

async function openInputs(files: string[], flags: DbnFlags): Promise<{ metadata: Metadata | undefined; source: BatchSource }> {
  if (files.filter((f) => f === '-').length > 1) throw new CliError('stdin (-) can be read only once', 'USAGE');
  const options = decoderOptions(flags);
  const sources: (BatchSource & { metadata: Metadata | undefined })[] = [];
  for (const file of files) {
    if (file === '-') {
      sources.push(await stdinSource(options));
    } else {
      if (!existsSync(file)) throw new CliError(`no such file: ${file}`, 'FILE_NOT_FOUND');
      const store = DbnStore.fromFile(file, options);
      sources.push({ ...store.textSource(), metadata: store.maybeMetadata });
    }
  }
  if (sources.length === 1) return { metadata: sources[0]!.metadata, source: sources[0]! };
  const metas = sources.map((s) => s.metadata).filter((m): m is Metadata => m !== undefined);
  const metadata = metas.length ? mergeMetadata(metas) : undefined;
  const version = metadata?.version ?? flags.inputDbnVersion ?? 3;
  if (metas.some((m) => m.version !== version) && !flags.upgrade) {
    throw new CliError('the inputs have different DBN versions: pass --upgrade to merge them', 'USAGE');
  }
  return { metadata, source: { metadata, batches: () => mergeBatches(sources.map((s) => s.batches()), version, metadata?.ts_out ?? false) } };
}

/** Keeps the records of one rtype and at most `remaining` of them. */
function filterBatch(batch: RecordBatch, rtype: number | undefined, remaining: number): RecordBatch {
  if (rtype === undefined && remaining >= batch.count) return batch;
  const bytes = batch.bytes();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (let at = 0; at < bytes.length && parts.length < remaining; at += bytes[at]! * 4) {
    if (rtype !== undefined && bytes[at + 1] !== rtype) continue;
    const rec = bytes.subarray(at, at + bytes[at]! * 4);
    parts.push(rec);
    size += rec.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return new RecordBatch(out.buffer, parts.length, batch.version, batch.tsOut);
}

interface ByteOutput {
  write(b: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Where the output goes: a file (refusing to overwrite without --force) or stdout. */
async function openOutput(path: string | undefined, force: boolean): Promise<ByteOutput> {
  if (path === undefined) {
    return { write: (b) => (b.length ? writeOut(b) : Promise.resolve()), close: async () => undefined };
  }
  const stream: Writable = createWriteStream(path, { flags: force ? 'w' : 'wx' });
  try {
    await once(stream, 'open');
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') {
      throw new CliError(`${path} exists: pass --force to overwrite it`, 'FILE_EXISTS');
    }
    throw e;
  }
  return {
    async write(b) {
      if (b.length && !stream.write(b)) await once(stream, 'drain');
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}

async function run(files: string[], flags: DbnFlags): Promise<void> {
  const { encoding, zstd } = outputEncoding(flags);
  if (flags.metadata && encoding !== 'json') throw new CliError('--metadata is written as JSON only', 'USAGE');
  if (encoding === 'parquet' && zstd) throw new CliError('Parquet columns are zstd-compressed already: drop -z/.zst', 'USAGE');
  const schema = flags.schema === undefined ? undefined : schemaFromName(flags.schema);
  if (flags.schema !== undefined && schema === undefined) throw new CliError(`unknown schema "${flags.schema}"`, 'USAGE');
  const { metadata, source } = await openInputs(files, flags);
  const limit = flags.limit ?? Infinity;
  const effective: Metadata | undefined = metadata && {
    ...metadata,
    ...(flags.schema !== undefined ? { schema: flags.schema } : {}),
    ...(flags.limit !== undefined ? { limit: metadata.limit === 0n || BigInt(flags.limit) < metadata.limit ? BigInt(flags.limit) : metadata.limit } : {}),
  };
  if ((flags.splitBy === undefined) !== (flags.outputPattern === undefined)) {
    throw new CliError('--split-by and --output-pattern go together', 'USAGE');
  }
  if (flags.splitBy) {
    if (flags.metadata) throw new CliError('--metadata cannot be split', 'USAGE');
    if (encoding === 'parquet') throw new CliError('--split-by writes CSV, TSV, JSON lines, DBN or fragments, not Parquet', 'USAGE');
    const batches = limited(source, schema === undefined ? undefined : rtypeForSchema(schema), limit);
    await writeSplit(batches, effective, flags.splitBy, flags.outputPattern!, (path, md) => openPart(path, md, encoding, zstd, flags));
    return;
  }
  const out = await openOutput(flags.output, flags.force ?? false);
  const compressor = zstd && (encoding === 'fragment' || flags.metadata) ? new ZstdCompressStream() : undefined;
  const emit = (b: Uint8Array) => out.write(compressor ? compressor.write(b) : b);

  if (flags.metadata) {
    if (!effective) throw new CliError('a fragment has no metadata to print', 'USAGE');
    await emit(Buffer.from(metadataJson(effective, flags.pretty ?? false) + '\n'));
  } else if (encoding === 'parquet') {
    await writeParquetOutput(source, flags, (bytes) => out.write(bytes));
  } else if (encoding === 'dbn' || encoding === 'fragment') {
    const rtype = schema === undefined ? undefined : rtypeForSchema(schema);
    let remaining = limit;
    const dbn = encoding === 'dbn' ? newDbnEncoder(effective, zstd) : undefined;
    for await (const batch of source.batches()) {
      const kept = filterBatch(batch, rtype, remaining);
      remaining -= kept.count;
      await emit(dbn ? dbn.write(kept) : kept.bytes());
      if (remaining <= 0 || stdoutGone()) break;
    }
    if (dbn) await out.write(dbn.end());
  } else {
    const text = textOutput(encoding, zstd, flags);
    if (encoding !== 'json' && effective && effective.schema === null && flags.schema === undefined && !flags.mapSymbols) {
      throw new CliError("can't encode a CSV with mixed schemas: pass --schema to keep one", 'MIXED_SCHEMAS');
    }
    // One file is read and encoded natively, off the JS thread.
    const chunks = 'file' in source ? text.fileChunks(effective, (source as FileBatchSource).file) : encodeBatches(source, text, effective);
    for await (const chunk of chunks) {
      await out.write(chunk);
      if (stdoutGone()) break;
    }
    await out.write(text.finish(effective));
  }
  if (compressor) await out.write(compressor.end());
  await out.close();
}

/** The text of a source's batches, encoded on the JS thread. */
async function* encodeBatches(source: BatchSource, text: TextOutput, metadata: Metadata | undefined): AsyncGenerator<Buffer> {
  for await (const batch of source.batches()) {
    yield text.encode(batch, metadata);
    if (text.done) return;
  }
}

/** The text encoder of the flags; with --map-symbols, CSV rows of other schemas keep their own columns, as the dbn CLI writes them. */
function textOutput(encoding: 'csv' | 'tsv' | 'json', zstd: boolean, flags: DbnFlags, split = false): TextOutput {
  return new TextOutput({
    format: encoding,
    prettyPx: flags.pretty ?? false,
    prettyTs: flags.pretty ?? false,
    mapSymbols: flags.mapSymbols ?? false,
    header: !flags.omitHeader,
    indent: flags.pretty ?? false,
    filterSchema: false,
    mixedSchemas: flags.mapSymbols ?? false,
    compression: zstd ? 'zstd' : 'none',
    // A split's records are already filtered and limited.
    ...(flags.schema !== undefined && !split ? { schema: flags.schema } : {}),
    ...(flags.limit !== undefined && !split ? { limit: flags.limit } : {}),
  });
}

/** The records of the inputs, of one rtype when --schema is given, at most `limit`. */
async function* limited(source: BatchSource, rtype: number | undefined, limit: number): AsyncGenerator<RecordBatch> {
  let remaining = limit;
  for await (const batch of source.batches()) {
    const kept = filterBatch(batch, rtype, remaining);
    remaining -= kept.count;
    yield kept;
    if (remaining <= 0) return;
  }
}

/** The output of one part of a split: its own file, in the chosen encoding, with its own metadata. */
async function openPart(path: string, metadata: Metadata | undefined, encoding: Exclude<Encoding, 'parquet'>, zstd: boolean, flags: DbnFlags): Promise<PartOutput> {
  const out = await openOutput(path, flags.force ?? false);
  if (encoding === 'dbn') {
    const dbn = newDbnEncoder(metadata, zstd);
    return { write: (b) => out.write(dbn.write(b)), close: async () => (await out.write(dbn.end()), await out.close()) };
  }
  if (encoding === 'fragment') {
    const compressor = zstd ? new ZstdCompressStream() : undefined;
    return {
      write: (b) => out.write(compressor ? compressor.write(b.bytes()) : b.bytes()),
      close: async () => (compressor && (await out.write(compressor.end())), await out.close()),
    };
  }
  const text = textOutput(encoding, zstd, flags, true);
  return {
    write: (b) => out.write(text.encode(b, metadata)),
    close: async () => (await out.write(text.finish(metadata)), await out.close()),
  };
}

function newDbnEncoder(metadata: Metadata | undefined, zstd: boolean): DbnEncoder {
  if (!metadata) throw new CliError('fragment input has no metadata to write a DBN file with: use --fragment output', 'USAGE');
  return new DbnEncoder(metadata, { compression: zstd ? 'zstd' : 'none' });
}


/** Adds `dbn` to the program. */
export function register(program: Command): void {
  const encodings = (self: string) => ENCODING_FLAGS.filter((f) => f !== self);
  program
    .command('dbn')
    .description(
      'Read DBN files (plain or zstd; - for stdin) and write them as CSV, TSV, JSON lines, DBN or a DBN fragment, ' +
        "byte for byte as Databento's dbn CLI. Several files are merged by timestamp.",
    )
    .argument('<file...>', 'DBN files to read; - reads stdin')
    .addOption(new Option('-J, --json', 'output JSON lines').conflicts(encodings('json')))
    .addOption(new Option('-C, --csv', 'output CSV').conflicts(encodings('csv')))
    .addOption(new Option('-T, --tsv', 'output tab-separated values').conflicts(encodings('tsv')))
    .addOption(new Option('-D, --dbn', 'output DBN').conflicts(encodings('dbn')))
    .addOption(new Option('-F, --fragment', 'output a DBN fragment (records without metadata)').conflicts(encodings('fragment')))
    .addOption(
      new Option('--parquet', 'output Parquet (zstd; one schema; float prices with -p, a symbol column with -s)')
        .conflicts([...encodings('parquet'), 'zstd', 'metadata', 'omitHeader']),
    )
    .option('-o, --output <file>', 'write to a file instead of stdout; the encoding follows its extension when not given')
    .option('-f, --force', 'overwrite the output file if it exists')
    .option('-z, --zstd', 'compress the output with zstd')
    .addOption(new Option('-p, --pretty', 'decimal prices, ISO 8601 timestamps and indented JSON').conflicts(['dbn', 'fragment']))
    .addOption(new Option('-s, --map-symbols', 'add a symbol column/key from the metadata mappings').conflicts(['dbn', 'fragment', 'inputFragment', 'inputZstdFragment']))
    .addOption(new Option('-m, --metadata', 'print the metadata as JSON instead of the records').conflicts(['csv', 'tsv', 'dbn', 'fragment', 'inputFragment']))
    .addOption(new Option('-l, --limit <n>', 'stop after n records').argParser(wholeNumber))
    .option('--schema <name>', 'keep only the records of this schema (allows CSV of mixed data)')
    .addOption(new Option('--omit-header', 'no CSV/TSV header row').conflicts(['json', 'dbn', 'fragment']))
    .option('-u, --upgrade', 'upgrade DBN v1/v2 records to v3 (default: as they are)')
    .addOption(new Option('--input-fragment', 'the input is a DBN fragment (records without metadata)').conflicts('inputZstdFragment'))
    .option('--input-zstd-fragment', 'the input is a zstd-compressed DBN fragment')
    .addOption(new Option('-O, --output-pattern <pattern>', 'with --split-by: the output paths, with {symbol}, {schema} or {date} in them').conflicts('output'))
    .addOption(new Option('-S, --split-by <what>', 'split the output into files by symbol, schema, day, week (from Sunday) or month').choices(SPLIT_BY))
    .addOption(
      new Option('--input-dbn-version <n>', 'DBN version of fragment input (default 3)')
        .argParser((v) => {
          if (!['1', '2', '3'].includes(v)) throw new CommanderArgumentError('must be 1, 2 or 3');
          return Number(v) as 1 | 2 | 3;
        }),
    )
    .action(action((files: string[], flags: DbnFlags) => run(files, flags)));
}
