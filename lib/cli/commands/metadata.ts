/**
 * `databento-node metadata <endpoint>`: the historical metadata endpoints
 * (list-publishers, list-datasets, list-schemas, list-fields,
 * list-unit-prices, get-dataset-condition, get-dataset-range,
 * get-record-count, get-billable-size, get-cost), printed as JSON.
 * @internal
 * @module
 */
import type { Command } from 'commander';
import { Historical } from '../../historical/client.js';
import type { QueryOptions } from '../../historical/metadata.js';
import type { SchemaName, STypeName } from '../../historical/types.js';
import { action, apiKey, CliError, writeOut } from '../util.js';

interface MetadataFlags {
  dataset?: string;
  schema?: string;
  symbols?: string;
  stypeIn?: string;
  start?: string;
  end?: string;
  startDate?: string;
  endDate?: string;
  encoding?: string;
  gateway?: string;
}

const ENDPOINTS = [
  'list-publishers', 'list-datasets', 'list-schemas', 'list-fields', 'list-unit-prices', 'get-dataset-condition',
  'get-dataset-range', 'get-record-count', 'get-billable-size', 'get-cost',
] as const;
type Endpoint = (typeof ENDPOINTS)[number];

function need(flags: MetadataFlags, key: keyof MetadataFlags, endpoint: string): string {
  const v = flags[key];
  if (v === undefined) throw new CliError(`metadata ${endpoint} needs --${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, 'USAGE');
  return v;
}

function query(flags: MetadataFlags, endpoint: string): QueryOptions {
  return {
    dataset: need(flags, 'dataset', endpoint),
    schema: need(flags, 'schema', endpoint) as SchemaName,
    symbols: need(flags, 'symbols', endpoint).split(',').map((s) => s.trim()),
    start: need(flags, 'start', endpoint),
    ...(flags.end ? { end: flags.end } : {}),
    ...(flags.stypeIn ? { stypeIn: flags.stypeIn as STypeName } : {}),
  };
}

async function call(client: Historical, endpoint: Endpoint, flags: MetadataFlags): Promise<unknown> {
  const m = client.metadata;
  const dataset = () => ({ dataset: need(flags, 'dataset', endpoint) });
  switch (endpoint) {
    case 'list-publishers': return m.listPublishers();
    case 'list-datasets': return m.listDatasets({ ...(flags.startDate ? { startDate: flags.startDate } : {}), ...(flags.endDate ? { endDate: flags.endDate } : {}) });
    case 'list-schemas': return m.listSchemas(dataset());
    case 'list-fields': return m.listFields({ schema: need(flags, 'schema', endpoint) as SchemaName, ...(flags.encoding ? { encoding: flags.encoding } : {}) } as Parameters<typeof m.listFields>[0]);
    case 'list-unit-prices': return m.listUnitPrices(dataset());
    case 'get-dataset-condition': return m.getDatasetCondition({ ...dataset(), ...(flags.startDate ? { startDate: flags.startDate } : {}), ...(flags.endDate ? { endDate: flags.endDate } : {}) });
    case 'get-dataset-range': return m.getDatasetRange(dataset());
    case 'get-record-count': return m.getRecordCount(query(flags, endpoint));
    case 'get-billable-size': return m.getBillableSize(query(flags, endpoint));
    case 'get-cost': return m.getCost(query(flags, endpoint));
  }
}

/** Adds `metadata` to the program. */
export function register(program: Command): void {
  program
    .command('metadata')
    .description(`Call a historical metadata endpoint and print its answer as JSON: ${ENDPOINTS.join(', ')}. Key from DATABENTO_API_KEY.`)
    .argument('<endpoint>', ENDPOINTS.join(' | '))
    .option('--dataset <code>', 'dataset, e.g. GLBX.MDP3')
    .option('--schema <name>', 'schema')
    .option('--symbols <list>', 'comma-separated symbols (record count, billable size, cost)')
    .option('--stype-in <stype>', 'input symbology')
    .option('--start <time>', 'range start (record count, billable size, cost)')
    .option('--end <time>', 'range end')
    .option('--start-date <date>', 'first day (list-datasets, get-dataset-condition)')
    .option('--end-date <date>', 'day after the last')
    .option('--encoding <name>', 'encoding (list-fields)')
    .option('--gateway <url>', 'historical gateway (default: DATABENTO_HIST_GATEWAY or https://hist.databento.com)')
    .action(
      action(async (endpoint: string, flags: MetadataFlags) => {
        if (!(ENDPOINTS as readonly string[]).includes(endpoint)) {
          throw new CliError(`unknown metadata endpoint "${endpoint}" (known: ${ENDPOINTS.join(', ')})`, 'USAGE');
        }
        const client = new Historical({ key: apiKey(), ...(flags.gateway ? { gateway: flags.gateway } : {}) });
        const result = await call(client, endpoint as Endpoint, flags);
        await writeOut(JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
      }),
    );
}
