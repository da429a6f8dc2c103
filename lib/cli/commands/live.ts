/**
 * `databento-node live`: subscribes and streams records to stdout as JSON
 * lines, CSV or DBN until Ctrl-C or `--limit`.
 * @internal
 * @module
 */
import { Option, type Command } from 'commander';
import { RecordBatch } from '../../dbn/batch.js';
import { DbnEncoder } from '../../dbn/encoder.js';
import { TextOutput } from '../../dbn/text.js';
import type { SchemaName, STypeName } from '../../historical/types.js';
import { LiveThreaded } from '../../live/threaded.js';
import { action, apiKey, interrupted, message, stdoutGone, wholeNumber, writeOut } from '../util.js';

interface LiveFlags {
  dataset: string;
  schema: string;
  symbols: string;
  stypeIn: string;
  start?: string;
  limit?: number;
  csv?: boolean;
  dbn?: boolean;
  pretty?: boolean;
  mapSymbols?: boolean;
  gateway?: string;
}


/** The first `n` records of a batch. */
function head(batch: RecordBatch, n: number): RecordBatch {
  if (n >= batch.count) return batch;
  const bytes = batch.bytes();
  let end = 0;
  for (let i = 0; i < n; i++) end += bytes[end]! * 4;
  return new RecordBatch(bytes.slice(0, end).buffer, n, batch.version, batch.tsOut);
}

async function run(flags: LiveFlags): Promise<void> {
  const client = new LiveThreaded({ key: apiKey(), dataset: flags.dataset, ...(flags.gateway ? { gateway: flags.gateway } : {}) });
  const stop = interrupted();
  try {
    client.subscribe({
      schema: flags.schema as SchemaName,
      symbols: flags.symbols.split(',').map((s) => s.trim()),
      stypeIn: flags.stypeIn as STypeName,
      ...(flags.start ? { start: flags.start } : {}),
    });
    const metadata = await client.start();
    message(`streaming ${flags.schema} of ${flags.symbols} from ${flags.dataset}; Ctrl-C to stop`);
    const text = flags.dbn
      ? undefined
      : new TextOutput({
          format: flags.csv ? 'csv' : 'json',
          prettyPx: flags.pretty ?? false,
          prettyTs: flags.pretty ?? false,
          mapSymbols: flags.mapSymbols ?? false,
          // Live data mixes schemas (symbol mappings, system messages): CSV keeps the subscribed one.
          ...(flags.csv ? { schema: flags.schema } : {}),
          ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
        });
    const dbn = flags.dbn ? new DbnEncoder(metadata) : undefined;
    let remaining = flags.limit ?? Infinity;
    const batches = client.batches();
    const stopped = stop.then(() => undefined);
    for (;;) {
      const next = await Promise.race([batches.next(), stopped]);
      if (next === undefined || next.done) break;
      if (text) {
        await writeOut(text.encode(next.value, metadata));
        if (text.done) break;
      } else {
        const kept = head(next.value, remaining);
        remaining -= kept.count;
        await writeOut(dbn!.write(kept));
        if (remaining <= 0) break;
      }
      if (stdoutGone()) break;
    }
    await writeOut(text ? text.finish(metadata) : dbn!.end());
  } finally {
    await client.close();
  }
}

/** Adds `live` to the program. */
export function register(program: Command): void {
  program
    .command('live')
    .description('Subscribe to live data and stream it to stdout (JSON lines by default) until Ctrl-C or --limit. Key from DATABENTO_API_KEY.')
    .requiredOption('--dataset <code>', 'dataset, e.g. GLBX.MDP3')
    .requiredOption('--schema <name>', 'schema, e.g. trades, mbo, definition')
    .requiredOption('--symbols <list>', 'comma-separated symbols, or ALL_SYMBOLS')
    .option('--stype-in <stype>', 'input symbology', 'raw_symbol')
    .option('--start <time>', 'intraday replay start (ISO 8601 or UNIX ns)')
    .addOption(new Option('-l, --limit <n>', 'stop after n records').argParser(wholeNumber))
    .addOption(new Option('-C, --csv', 'CSV of the subscribed schema').conflicts(['dbn']))
    .addOption(new Option('-D, --dbn', 'DBN').conflicts(['csv', 'pretty', 'mapSymbols']))
    .option('-p, --pretty', 'decimal prices and ISO 8601 timestamps')
    .option('-s, --map-symbols', 'add a symbol column/key from the session\'s symbol mappings')
    .option('--gateway <host>', 'live gateway (default: DATABENTO_LIVE_GATEWAY or the dataset\'s)')
    .action(action((flags: LiveFlags) => run(flags)));
}
