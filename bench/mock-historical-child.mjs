// The mock historical server in its own process, as a real server would be,
// so the benchmark measures the client alone. Serves the file named by argv[2].
import { readFileSync } from 'node:fs';
import { MockHistoricalServer } from '../dist/lib/testing/historical-server.js';

const server = await MockHistoricalServer.start({ chunkSize: 256 * 1024 });
server.setTimeseries(readFileSync(process.argv[2]));
process.send(server.url);
process.on('disconnect', () => server.close().then(() => process.exit(0)));
