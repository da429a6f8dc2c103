/**
 * `databento-node get-range`: a historical range to stdout or a file, as DBN,
 * CSV, TSV or JSON lines; the cost and record count are shown first.
 * @internal
 * @module
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Option, type Command } from 'commander';
import { Historical } from '../../historical/client.js';
import type { StreamingDbnStore } from '../../historical/timeseries.js';
import type { QueryOptions } from '../../historical/metadata.js';
import { TextOutput } from '../../dbn/text.js';
import { DbnEncoder } from '../../dbn/encoder.js';
import type { SchemaName, STypeName } from '../../historical/types.js';
import { progressBar } from '../progress.js';
import { action, apiKey, CliError, message, stdoutGone, usd, wholeNumber, writeOut } from '../util.js';

interface GetRangeFlags {
  dataset: string;
  schema: string;
  symbols: string;
  stypeIn: string;
  start: string;
  end?: string;
  limit?: number;
  maxCost?: number;
  output?: string;
  force?: boolean;
  csv?: boolean;
  tsv?: boolean;
  json?: boolean;
  dbn?: boolean;
  zstd?: boolean;
  pretty?: boolean;
  mapSymbols?: boolean;
  gateway?: string;
}

/** The encoding from the flags, else from -o's extension, else DBN. */
type Encoding = 'csv' | 'tsv' | 'json' | 'dbn';

function encodingOf(flags: GetRangeFlags): { encoding: Encoding; zstd: boolean } {
  const path = flags.output ?? '';
  const zstd = flags.zstd ?? path.endsWith('.zst');
  const base = path.replace(/\.zst$/, '');
  if (flags.csv || base.endsWith('.csv')) return { encoding: 'csv', zstd };
  if (flags.tsv || base.endsWith('.tsv')) return { encoding: 'tsv', zstd };
  if (flags.json || base.endsWith('.json')) return { encoding: 'json', zstd };
  return { encoding: 'dbn', zstd };
}

async function openOutput(flags: GetRangeFlags): Promise<{ write(b: Uint8Array): Promise<void>; close(): Promise<void> }> {
  if (flags.output === undefined) return { write: (b) => (b.length ? writeOut(b) : Promise.resolve()), close: async () => undefined };
  const stream = createWriteStream(flags.output, { flags: flags.force ? 'w' : 'wx' });
  try {
    await once(stream, 'open');
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') throw new CliError(`${flags.output} exists: pass --force to overwrite it`, 'FILE_EXISTS');
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

/** Writes the range's records in the chosen encoding; returns how many. */
async function writeRange(store: StreamingDbnStore, flags: GetRangeFlags, encoding: Encoding, zstd: boolean): Promise<number> {
  const out = await openOutput(flags);
  let written = 0;
  if (encoding === 'dbn') {
    const encoder = new DbnEncoder(store.metadata, { compression: zstd ? 'zstd' : 'none' });
    for await (const batch of store.batches()) {
      await out.write(encoder.write(batch));
      written += batch.count;
      if (stdoutGone()) break;
    }
    await out.write(encoder.end());
  } else {
    const text = new TextOutput({
      format: encoding,
      prettyPx: flags.pretty ?? false,
      prettyTs: flags.pretty ?? false,
      mapSymbols: flags.mapSymbols ?? false,
      compression: zstd ? 'zstd' : 'none',
    });
    for await (const batch of store.batches()) {
      await out.write(text.encode(batch, store.metadata));
      if (stdoutGone()) break;
    }
    await out.write(text.finish(store.metadata));
    written = text.written;
  }
  await out.close();
  return written;
}

async function run(flags: GetRangeFlags): Promise<void> {
  const { encoding, zstd } = encodingOf(flags);
  const client = new Historical({ key: apiKey(), ...(flags.gateway ? { gateway: flags.gateway } : {}) });
  const query: QueryOptions = {
    dataset: flags.dataset,
    schema: flags.schema as SchemaName,
    symbols: flags.symbols.split(',').map((s) => s.trim()),
    stypeIn: flags.stypeIn as STypeName,
    start: flags.start,
    ...(flags.end ? { end: flags.end } : {}),
    ...(flags.limit ? { limit: flags.limit } : {}),
  };
  const [cost, count] = await Promise.all([client.metadata.getCost(query), client.metadata.getRecordCount(query)]);
  message(`${count.toLocaleString('en-US')} records, cost $${cost.toFixed(2)}`);
  if (flags.maxCost !== undefined && cost > flags.maxCost) {
    throw new CliError(`the query costs $${cost.toFixed(2)}, more than --max-cost $${flags.maxCost.toFixed(2)}`, 'COST_LIMIT');
  }
  const bar = progressBar(count, 'records');
  let written: number;
  try {
    const store = await client.timeseries.getRange({ ...query, onProgress: (p) => bar.update(p.records) });
    written = await writeRange(store, flags, encoding, zstd);
  } finally {
    bar.stop();
  }
  message(`wrote ${written.toLocaleString('en-US')} records${flags.output ? ` to ${flags.output}` : ''}`);
}

/** Adds `get-range` to the program. */
export function register(program: Command): void {
  const formats = ['csv', 'tsv', 'json', 'dbn'];
  const others = (self: string) => formats.filter((f) => f !== self);
  program
    .command('get-range')
    .description('Download historical data (timeseries.get_range) to stdout or a file; prints the cost and record count first. Key from DATABENTO_API_KEY.')
    .requiredOption('--dataset <code>', 'dataset, e.g. GLBX.MDP3')
    .requiredOption('--schema <name>', 'schema, e.g. mbo, trades, ohlcv-1m')
    .requiredOption('--symbols <list>', 'comma-separated symbols')
    .option('--stype-in <stype>', 'input symbology', 'raw_symbol')
    .requiredOption('--start <time>', 'range start (ISO 8601)')
    .option('--end <time>', 'range end, exclusive')
    .addOption(new Option('-l, --limit <n>', 'at most n records').argParser(wholeNumber))
    .addOption(new Option('--max-cost <usd>', 'refuse (code COST_LIMIT) when the query costs more').argParser(usd))
    .option('-o, --output <file>', 'write to a file; the encoding follows its extension (.dbn, .csv, .tsv, .json, + .zst)')
    .option('-f, --force', 'overwrite the output file')
    .addOption(new Option('-C, --csv', 'CSV').conflicts(others('csv')))
    .addOption(new Option('-T, --tsv', 'tab-separated values').conflicts(others('tsv')))
    .addOption(new Option('-J, --json', 'JSON lines').conflicts(others('json')))
    .addOption(new Option('-D, --dbn', 'DBN (the default)').conflicts(others('dbn')))
    .option('-z, --zstd', 'compress the output with zstd')
    .addOption(new Option('-p, --pretty', 'decimal prices and ISO 8601 timestamps').conflicts(['dbn']))
    .addOption(new Option('-s, --map-symbols', 'add a symbol column/key').conflicts(['dbn']))
    .option('--gateway <url>', 'historical gateway (default: DATABENTO_HIST_GATEWAY or https://hist.databento.com)')
    .action(action((flags: GetRangeFlags) => run(flags)));
}
