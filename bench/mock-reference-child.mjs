// The mock historical server in its own process serving generated reference
// rows, made as the body is sent: as many as the request's one symbol says
// (`N1000000`).
import { MockHistoricalServer } from '../dist/lib/testing/index.js';
import { BENCH_ENDPOINTS, referenceLines } from './reference-rows.mjs';

const server = await MockHistoricalServer.start();
for (const endpoint of BENCH_ENDPOINTS) server.setReferenceData(endpoint, (r) => referenceLines(endpoint, Number(r.params.symbols.slice(1))));
process.send(server.url);
process.on('disconnect', () => server.close().then(() => process.exit(0)));
