// Load a historical range into a DuckDB file, then query it. Run it again:
// finished days are skipped, and no row is ever stored twice.
//
//   npm install databento-node @duckdb/node-api
//   DATABENTO_API_KEY=db-… node examples/ingest-duckdb.mjs \
//     --dataset GLBX.MDP3 --schema ohlcv-1m --symbols ES.FUT --stype-in parent \
//     --start 2024-05-01 --end 2024-05-04 --to ./market.duckdb --max-cost 1.00
//
// DATABENTO_HIST_GATEWAY overrides the API's address (e.g. a mock server's URL).
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { Historical, ingest } from 'databento-node';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'GLBX.MDP3' },
    schema: { type: 'string', default: 'ohlcv-1m' },
    symbols: { type: 'string', default: 'ES.FUT' },
    'stype-in': { type: 'string', default: 'parent' },
    start: { type: 'string', default: '2024-05-01' },
    end: { type: 'string', default: '2024-05-04' },
    to: { type: 'string', default: './market.duckdb' },
    'max-cost': { type: 'string', default: '1.00' },
  },
});

// The key comes from DATABENTO_API_KEY.
const client = new Historical({ gateway: process.env.DATABENTO_HIST_GATEWAY });
const summary = await ingest({
  client,
  dataset: args.dataset,
  schema: args.schema,
  symbols: args.symbols.split(','),
  stypeIn: args['stype-in'],
  start: args.start,
  end: args.end,
  to: args.to,
  maxCostUsd: Number(args['max-cost']),
  onProgress: (p) => process.stderr.write(`\r${p.chunksSkipped + p.chunksLoaded}/${p.chunksTotal} chunks, ${p.records} records`),
});
process.stderr.write('\n');
console.log(
  `${summary.table}: ${summary.rowsInserted} new rows from ${summary.records} records; ` +
    `${summary.chunksLoaded} chunks loaded, ${summary.chunksSkipped} already done`,
);

// The table is plain DuckDB: the _px view shows prices as decimals.
const db = await DuckDBInstance.create(args.to);
const conn = await db.connect();
const rows = await conn.runAndReadAll(
  `SELECT symbol, count(*) AS n, min(${summary.table === 'mbo' ? 'ts_recv' : 'ts_event'})::VARCHAR AS first FROM ${summary.table}_px GROUP BY symbol ORDER BY symbol`,
);
for (const row of rows.getRowObjectsJS()) console.log(`${row.symbol}: ${row.n} rows from ${row.first}`);
conn.closeSync();
db.closeSync();
