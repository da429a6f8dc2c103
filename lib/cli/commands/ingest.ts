/**
 * `databento-node ingest`: a historical range into DuckDB or PostgreSQL,
 * resumable, with progress on a terminal and a summary at the end.
 * @internal
 * @module
 */
import { clearLine, cursorTo } from 'node:readline';
import { InvalidArgumentError as CommanderArgumentError, Option, type Command } from 'commander';
import { Historical } from '../../historical/client.js';
import { ingest, type IngestProgress, type IngestSummary } from '../../ingest/index.js';
import { action, apiKey, interrupted, message, usd, wholeNumber, writeOut } from '../util.js';

interface IngestFlags {
  dataset: string;
  schema: string;
  symbols: string;
  stypeIn: string;
  start: string;
  end: string;
  to: string;
  chunkDays: number;
  attempts: number;
  requestAttempts: number;
  maxCost?: number;
  gateway?: string;
  json?: boolean;
  live?: boolean;
  liveGateway?: string;
}



/** One line of progress, rewritten in place on a terminal. */
function progressLine(p: IngestProgress): string {
  const done = p.chunksSkipped + p.chunksLoaded + p.chunksFailed;
  const chunk = p.chunk ? ` ${p.chunk.start.slice(0, 10)}` : '';
  if (p.live) {
    return `live: session ${p.live.sessions} | ${p.live.records.toLocaleString('en-US')} records | ${p.live.rowsInserted.toLocaleString('en-US')} rows new`;
  }
  return (
    `chunks ${done}/${p.chunksTotal}${chunk} | ${p.records.toLocaleString('en-US')} records | ` +
    `${p.rowsInserted.toLocaleString('en-US')} rows new | ${Math.round(p.rowsPerSec).toLocaleString('en-US')} rows/s | ` +
    `$${p.costUsd.toFixed(2)}` + (p.chunksFailed ? ` | ${p.chunksFailed} failed` : '')
  );
}

const bigintText = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? String(value) : value);

function summaryText(s: IngestSummary): string {
  const lines = [
    `${s.target}, table ${s.table}: ${s.rowsInserted.toLocaleString('en-US')} rows new from ` +
      `${s.records.toLocaleString('en-US')} records in ${s.seconds.toFixed(1)} s (${Math.round(s.rowsPerSec).toLocaleString('en-US')} rows/s), ` +
      `cost quoted $${s.costUsd.toFixed(2)}`,
    `chunks: ${s.chunksLoaded} loaded, ${s.chunksSkipped} already done, ${s.chunksFailed} failed of ${s.chunksTotal}`,
  ];
  if (s.storage) lines.push(`table storage: ${s.storage}`);
  for (const f of s.failures) lines.push(`  failed ${f.start} – ${f.end}: ${f.code}: ${f.message}`);
  if (s.live) {
    lines.push(`live: ${s.live.sessions} sessions, ${s.live.records.toLocaleString('en-US')} records, ${s.live.rowsInserted.toLocaleString('en-US')} rows new`);
  }
  return lines.join('\n');
}

function liveOptions(gateway: string | undefined): { gateway?: string; port?: number } {
  if (gateway === undefined) return {};
  const m = /^([^:]+)(?::(\d+))?$/.exec(gateway);
  if (!m) throw new CommanderArgumentError(`--live-gateway must be host or host:port, not ${gateway}`);
  return { gateway: m[1]!, ...(m[2] !== undefined && { port: Number(m[2]) }) };
}

/** Adds `ingest` to the program. */
export function register(program: Command): void {
  program
    .command('ingest')
    .description(
      'Load a historical range of one schema into DuckDB (a file path) or PostgreSQL (a postgres:// URL), a UTC day per ' +
        'chunk; run it again to continue after a failure or Ctrl-C. Key from DATABENTO_API_KEY.',
    )
    .requiredOption('--dataset <code>', 'dataset, e.g. GLBX.MDP3')
    .requiredOption('--schema <name>', 'schema, e.g. mbo, trades, ohlcv-1m')
    .requiredOption('--symbols <list>', 'comma-separated symbols')
    .option('--stype-in <stype>', 'input symbology', 'raw_symbol')
    .requiredOption('--start <time>', 'range start (ISO 8601; a date is UTC midnight)')
    .requiredOption('--end <time>', 'range end, exclusive')
    .requiredOption('--to <target>', 'a DuckDB file (e.g. ./market.duckdb) or postgres://user:pass@host/db')
    .addOption(new Option('--chunk-days <n>', 'days per chunk').argParser(wholeNumber).default(1))
    .addOption(new Option('--attempts <n>', 'attempts per chunk before it is reported failed').argParser(wholeNumber).default(3))
    .addOption(new Option('--request-attempts <n>', 'attempts per HTTP request (429, 5xx, network failures)').argParser(wholeNumber).default(5))
    .addOption(new Option('--max-cost <usd>', 'refuse to start above this quoted cost').argParser(usd))
    .option('--gateway <url>', 'historical gateway URL')
    .option('--live', 'after the range, follow the live feed until Ctrl-C (replaying from the last stored time)')
    .option('--live-gateway <host[:port]>', 'live gateway')
    .option('--json', 'print the summary as JSON on stdout')
    .action(
      action(async (flags: IngestFlags) => {
        const client = new Historical({
          key: apiKey(),
          retry: { maxAttempts: flags.requestAttempts },
          ...(flags.gateway !== undefined && { gateway: flags.gateway }),
        });
        const controller = new AbortController();
        void interrupted().then(() => controller.abort());
        const tty = process.stderr.isTTY === true;
        const onProgress = (p: IngestProgress): void => {
          if (!tty) return;
          cursorTo(process.stderr, 0);
          clearLine(process.stderr, 0);
          process.stderr.write(progressLine(p));
        };
        const endLine = (): void => {
          if (tty) process.stderr.write('\n');
        };
        let summary: IngestSummary;
        try {
          summary = await ingest({
            dataset: flags.dataset,
            schema: flags.schema,
            symbols: flags.symbols,
            stypeIn: flags.stypeIn,
            start: flags.start,
            end: flags.end,
            to: flags.to,
            client,
            chunkDays: flags.chunkDays,
            chunkAttempts: flags.attempts,
            ...(flags.maxCost !== undefined && { maxCostUsd: flags.maxCost }),
            signal: controller.signal,
            onProgress,
            ...(flags.live && { key: apiKey(), live: liveOptions(flags.liveGateway) }),
          });
        } catch (err) {
          endLine();
          const partial = (err as { summary?: IngestSummary }).summary;
          if (partial) {
            message(summaryText(partial));
            if (flags.json) await writeOut(`${JSON.stringify(partial, bigintText)}\n`);
          }
          throw err;
        }
        endLine();
        message(summaryText(summary));
        if (flags.json) await writeOut(`${JSON.stringify(summary, bigintText)}\n`);
      }),
    );
}
