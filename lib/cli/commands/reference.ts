/**
 * `databento-node reference corporate-actions|adjustment-factors|security-master`:
 * reference data as JSON lines or CSV on stdout.
 * @internal
 * @module
 */
import { Option, type Command } from 'commander';
import { Reference } from '../../reference/client.js';
import type { ReferenceFilterOptions, ReferenceRangeOptions } from '../../reference/params.js';
import { nanosToIso } from '../../time.js';
import { action, apiKey, CliError, interrupted, stdoutGone, writeOut } from '../util.js';

interface CommonFlags {
  symbols?: string;
  stypeIn?: string;
  countries?: string;
  securityTypes?: string;
  start?: string;
  end?: string;
  format: 'jsonl' | 'csv';
  stream?: boolean;
  gateway?: string;
}

interface CorporateFlags extends CommonFlags {
  index?: string;
  events?: string;
  exchanges?: string;
  flatten: boolean;
  pit?: boolean;
}

interface SecurityFlags extends CommonFlags {
  index?: string;
  last?: boolean;
}

type Row = Record<string, unknown>;
type Rows = AsyncIterable<Row> | Row[];

/** A value as text: timestamps in ISO 8601 with nanoseconds, objects as JSON. */
function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return nanosToIso(value);
  return value;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'bigint' ? nanosToIso(value)! : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes rows in the chosen format; CSV columns are every key of every row, in order of appearance. */
async function writeRows(rows: Rows, format: 'jsonl' | 'csv'): Promise<number> {
  let n = 0;
  if (format === 'jsonl') {
    let out = '';
    for await (const row of rows) {
      out += JSON.stringify(row, (_, v: unknown) => jsonValue(v)) + '\n';
      n++;
      if (out.length >= 64 * 1024) {
        await writeOut(out);
        out = '';
        if (stdoutGone()) return n;
      }
    }
    if (out) await writeOut(out);
    return n;
  }
  const list = Array.isArray(rows) ? rows : [];
  const columns = [...new Set(list.flatMap((r) => Object.keys(r)))];
  let out = columns.join(',') + '\n';
  for (const row of list) {
    out += columns.map((c) => csvCell(row[c])).join(',') + '\n';
    n++;
    if (out.length >= 64 * 1024) {
      await writeOut(out);
      out = '';
      if (stdoutGone()) return n;
    }
  }
  await writeOut(out);
  return n;
}

function list(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',');
}

function client(flags: CommonFlags): Reference {
  return new Reference({ key: apiKey(), ...(flags.gateway !== undefined && { gateway: flags.gateway }) });
}

/** The filters every endpoint takes, from the flags (absent ones left out). */
function filters(flags: CommonFlags, signal: AbortSignal): ReferenceFilterOptions {
  return {
    signal,
    ...(flags.symbols !== undefined && { symbols: flags.symbols }),
    ...(flags.stypeIn !== undefined && { stypeIn: flags.stypeIn as ReferenceFilterOptions['stypeIn'] & string }),
    ...(flags.countries !== undefined && { countries: list(flags.countries)! }),
    ...(flags.securityTypes !== undefined && { securityTypes: list(flags.securityTypes)! }),
  };
}

function range(flags: CommonFlags, signal: AbortSignal): ReferenceRangeOptions {
  return { ...filters(flags, signal), start: flags.start!, ...(flags.end !== undefined && { end: flags.end }) };
}

/** The options every subcommand shares. */
function common(command: Command, ranged: boolean): Command {
  return command
    .option('--symbols <list>', 'comma-separated symbols (default: every symbol)')
    .option('--stype-in <stype>', 'symbology of --symbols, e.g. raw_symbol, isin, us_code, figi')
    .option('--countries <list>', 'comma-separated ISO country codes of the listings, e.g. US,CA')
    .option('--security-types <list>', 'comma-separated security types, e.g. EQS,ETF')
    .option('--start <time>', `inclusive start: YYYY, YYYY-MM, YYYY-MM-DD or an ISO date-time${ranged ? ' (required)' : ''}`)
    .option('--end <time>', 'exclusive end')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--stream', 'JSON lines in the server order as they arrive, in bounded memory (no merge or sort)')
    .option('--gateway <url>', 'gateway URL (default DATABENTO_HIST_GATEWAY, else https://hist.databento.com)');
}

/** Runs a request, cancelled by Ctrl-C. */
function run<F extends CommonFlags>(fn: (flags: F, signal: AbortSignal) => Promise<Rows>) {
  return action(async (flags: F) => {
    if (flags.stream && flags.format === 'csv') {
      throw new CliError('--stream writes JSON lines: CSV needs every row to know its columns', 'INVALID_ARGUMENT');
    }
    const controller = new AbortController();
    void interrupted().then(() => controller.abort());
    await writeRows(await fn(flags, controller.signal), flags.format);
  });
}

/** Adds `reference` and its subcommands to the program. */
export function register(program: Command): void {
  const reference = program
    .command('reference')
    .description('Reference data (corporate actions, adjustment factors, security master) as JSON lines or CSV. Key from DATABENTO_API_KEY.');

  common(reference.command('corporate-actions'), true)
    .description('Corporate actions whose index date lies in [start, end), one row per event unless --pit')
    .addOption(new Option('--index <column>', 'the date start/end filter on').choices(['event_date', 'ex_date', 'ts_record']))
    .option('--events <list>', 'comma-separated event types, e.g. DIV,FSPLT')
    .option('--exchanges <list>', 'comma-separated exchange codes, e.g. USNASD,USNYSE')
    .option('--no-flatten', 'keep date_info, rate_info and event_info as nested objects')
    .option('--pit', 'keep every version of each event')
    .action(
      run<CorporateFlags>(async (flags, signal) => {
        const ref = client(flags);
        const options = {
          ...range(flags, signal),
          flatten: flags.flatten,
          ...(flags.index !== undefined && { index: flags.index as 'event_date' }),
          ...(flags.events !== undefined && { events: list(flags.events)! }),
          ...(flags.exchanges !== undefined && { exchanges: list(flags.exchanges)! }),
        };
        if (flags.stream) return ref.corporateActions.stream(options) as AsyncIterable<Row>;
        return (await ref.corporateActions.getRange({ ...options, pit: flags.pit === true })) as Row[];
      }),
    );

  common(reference.command('adjustment-factors'), true)
    .description('Adjustment factors whose ex_date lies in [start, end)')
    .action(
      run<CommonFlags>(async (flags, signal) => {
        const ref = client(flags);
        if (flags.stream) return ref.adjustmentFactors.stream(range(flags, signal)) as unknown as AsyncIterable<Row>;
        return (await ref.adjustmentFactors.getRange(range(flags, signal))) as unknown as Row[];
      }),
    );

  common(reference.command('security-master'), false)
    .description('Listing attributes effective in [start, end), or with --last the latest of each listing')
    .addOption(new Option('--index <column>', 'the time start/end filter on').choices(['ts_effective', 'ts_record']))
    .option('--last', 'the latest version of each listing (no --start)')
    .action(
      run<SecurityFlags>(async (flags, signal) => {
        const ref = client(flags);
        if (flags.last) {
          if (flags.start !== undefined || flags.end !== undefined || flags.index !== undefined) {
            throw new CliError('--last takes no --start, --end or --index', 'INVALID_ARGUMENT');
          }
          const o = filters(flags, signal);
          return (flags.stream ? ref.securityMaster.streamLast(o) : await ref.securityMaster.getLast(o)) as unknown as Rows;
        }
        const o = { ...range(flags, signal), ...(flags.index !== undefined && { index: flags.index as 'ts_effective' }) };
        return (flags.stream ? ref.securityMaster.stream(o) : await ref.securityMaster.getRange(o)) as unknown as Rows;
      }),
    );
}
