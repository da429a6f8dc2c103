/**
 * `databento-node batch submit|list|download`: batch jobs of the historical
 * API. Jobs are printed as JSON on stdout; downloads show a progress bar on
 * a terminal and print the paths of the files written.
 * @internal
 * @module
 */
import { Option, type Command } from 'commander';
import { Historical } from '../../historical/client.js';
import type { SubmitJobOptions } from '../../historical/batch.js';
import type { CompressionName, EncodingName, JobState, SchemaName, SplitDuration, STypeName } from '../../historical/types.js';
import { progressBar } from '../progress.js';
import { action, apiKey, message, usd, wholeNumber, writeOut } from '../util.js';

interface GatewayFlags {
  gateway?: string;
}

interface SubmitFlags extends GatewayFlags {
  dataset: string;
  schema: string;
  symbols: string;
  start: string;
  end?: string;
  stypeIn: string;
  stypeOut: string;
  encoding: string;
  compression: string;
  prettyPx?: boolean;
  prettyTs?: boolean;
  mapSymbols?: boolean;
  splitSymbols?: boolean;
  splitDuration: string;
  splitSize?: number;
  limit?: number;
  maxCost?: number;
}

interface ListFlags extends GatewayFlags {
  states: string;
  since?: string;
}

interface DownloadFlags extends GatewayFlags {
  outputDir: string;
  file?: string[];
  concurrency: number;
}

const GATEWAY_HELP = 'historical gateway (default: DATABENTO_HIST_GATEWAY or https://hist.databento.com)';

function client(flags: GatewayFlags): Historical {
  return new Historical({ key: apiKey(), ...(flags.gateway ? { gateway: flags.gateway } : {}) });
}

const json = (value: unknown): Promise<void> => writeOut(JSON.stringify(value, null, 2) + '\n');

async function submit(flags: SubmitFlags): Promise<void> {
  const options: SubmitJobOptions = {
    dataset: flags.dataset,
    schema: flags.schema as SchemaName,
    symbols: flags.symbols.split(',').map((s) => s.trim()),
    start: flags.start,
    ...(flags.end !== undefined && { end: flags.end }),
    stypeIn: flags.stypeIn as STypeName,
    stypeOut: flags.stypeOut as STypeName,
    encoding: flags.encoding as EncodingName,
    compression: flags.compression as CompressionName,
    ...(flags.prettyPx !== undefined && { prettyPx: flags.prettyPx }),
    ...(flags.prettyTs !== undefined && { prettyTs: flags.prettyTs }),
    ...(flags.mapSymbols !== undefined && { mapSymbols: flags.mapSymbols }),
    ...(flags.splitSymbols !== undefined && { splitSymbols: flags.splitSymbols }),
    splitDuration: flags.splitDuration as SplitDuration,
    ...(flags.splitSize !== undefined && { splitSize: flags.splitSize }),
    ...(flags.limit !== undefined && { limit: flags.limit }),
    ...(flags.maxCost !== undefined && { maxCostUsd: flags.maxCost }),
  };
  const job = await client(flags).batch.submitJob(options);
  message(`submitted job ${job.id} (${job.state}); download it with: databento-node batch download ${job.id}`);
  await json(job);
}

async function list(flags: ListFlags): Promise<void> {
  const states = flags.states.split(',').map((s) => s.trim()) as JobState[];
  const jobs = await client(flags).batch.listJobs({ states, ...(flags.since !== undefined && { since: flags.since }) });
  await json(jobs);
}

async function download(jobId: string, flags: DownloadFlags): Promise<void> {
  const api = client(flags).batch;
  const listed = await api.listFiles({ jobId });
  const wanted = flags.file ? listed.filter((f) => flags.file!.includes(f.filename)) : listed;
  const total = wanted.reduce((sum, f) => sum + f.size, 0);
  message(`job ${jobId}: ${wanted.length} file${wanted.length === 1 ? '' : 's'}, ${total.toLocaleString('en-US')} bytes`);
  const bar = progressBar(total, 'bytes');
  const perFile = new Map<string, number>();
  let paths: string[];
  try {
    paths = await api.download({
      jobId,
      outputDir: flags.outputDir,
      concurrency: flags.concurrency,
      ...(flags.file && { filename: flags.file }),
      onProgress: (p) => {
        perFile.set(p.filename, p.bytes);
        let done = 0;
        for (const bytes of perFile.values()) done += bytes;
        bar.update(done);
      },
    });
  } finally {
    bar.stop();
  }
  message(`downloaded ${paths.length} file${paths.length === 1 ? '' : 's'} to ${flags.outputDir}`);
  await writeOut(paths.map((p) => `${p}\n`).join(''));
}

/** Adds `batch` and its subcommands to the program. */
export function register(program: Command): void {
  const batch = program
    .command('batch')
    .description('Batch jobs (batch.submit_job, batch.list_jobs, downloads). Key from DATABENTO_API_KEY.');

  batch
    .command('submit')
    .description('Submit a batch job; prints the job as JSON.')
    .requiredOption('--dataset <code>', 'dataset, e.g. GLBX.MDP3')
    .requiredOption('--schema <name>', 'schema, e.g. mbo, trades, ohlcv-1m')
    .requiredOption('--symbols <list>', 'comma-separated symbols, or ALL_SYMBOLS')
    .requiredOption('--start <time>', 'range start (ISO 8601)')
    .option('--end <time>', 'range end, exclusive')
    .option('--stype-in <stype>', 'input symbology', 'raw_symbol')
    .option('--stype-out <stype>', 'output symbology', 'instrument_id')
    .addOption(new Option('--encoding <name>', 'file encoding').choices(['dbn', 'csv', 'json']).default('dbn'))
    .addOption(new Option('--compression <name>', 'file compression').choices(['zstd', 'none']).default('zstd'))
    .option('--pretty-px', 'CSV/JSON: decimal prices')
    .option('--pretty-ts', 'CSV/JSON: ISO 8601 timestamps')
    .option('--map-symbols', 'CSV/JSON: a symbol column (the default for CSV/JSON)')
    .option('--no-map-symbols', 'CSV/JSON: no symbol column')
    .option('--split-symbols', 'one file per symbol')
    .addOption(new Option('--split-duration <d>', 'one file per period').choices(['day', 'week', 'month', 'year', 'none']).default('day'))
    .addOption(new Option('--split-size <bytes>', 'split files larger than this').argParser(wholeNumber))
    .addOption(new Option('-l, --limit <n>', 'at most n records').argParser(wholeNumber))
    .addOption(new Option('--max-cost <usd>', 'refuse (code COST_LIMIT) when the job costs more').argParser(usd))
    .option('--gateway <url>', GATEWAY_HELP)
    .action(action((flags: SubmitFlags) => submit(flags)));

  batch
    .command('list')
    .description('List the batch jobs of the account as JSON, oldest first.')
    .option('--states <list>', 'comma-separated job states: queued, processing, done, expired', 'queued,processing,done')
    .option('--since <time>', 'only jobs received at or after this time')
    .option('--gateway <url>', GATEWAY_HELP)
    .action(action((flags: ListFlags) => list(flags)));

  batch
    .command('download')
    .description("Download a job's files to <output-dir>/<job id>/ (resumed, verified by hash); prints their paths.")
    .argument('<job-id>', 'the job, e.g. GLBX-20241118-ABCDEFGHIJ')
    .option('-o, --output-dir <dir>', 'directory of the job folder', '.')
    .option('--file <name...>', 'only these files of the job')
    .addOption(new Option('--concurrency <n>', 'files downloaded at the same time').argParser(wholeNumber).default(4))
    .option('--gateway <url>', GATEWAY_HELP)
    .action(action((jobId: string, flags: DownloadFlags) => download(jobId, flags)));
}
