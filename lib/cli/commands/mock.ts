/**
 * `databento-node mock`: the mock live gateway and mock historical server,
 * serving the package's sample data, until Ctrl-C. Prints the environment
 * variables that point the clients (and the examples) at them.
 * @internal
 * @module
 */
import type { Command } from 'commander';
import {
  MOCK_API_KEY,
  SAMPLE_DATASET,
  SAMPLE_END,
  SAMPLE_SCHEMAS,
  SAMPLE_START,
  SAMPLE_SYMBOLS,
  startSampleMocks,
  type MockLiveSession,
} from '../../testing/index.js';
import { action, integerOption, interrupted, message, writeOut } from '../util.js';

interface MockOptions {
  host: string;
  livePort?: number;
  histPort?: number;
  rate: number;
}

export function register(program: Command): void {
  program
    .command('mock')
    .description('run the mock live gateway and mock historical server with the sample data until Ctrl-C')
    .option('--host <address>', 'interface to listen on', '127.0.0.1')
    .option('--live-port <port>', 'port of the live gateway (default: a free port)', integerOption(1, 65535))
    .option('--hist-port <port>', 'port of the historical server (default: a free port)', integerOption(1, 65535))
    .option('--rate <records>', 'live records per second', integerOption(1, 10_000_000), 50)
    .addHelpText(
      'after',
      `\nThe mocks serve ${SAMPLE_DATASET} sample data (${SAMPLE_SYMBOLS.join(', ')}; ${SAMPLE_SCHEMAS.join(', ')}; ` +
        `${SAMPLE_START} to ${SAMPLE_END}).\nThe lines printed on stdout are shell exports: paste them into another shell to point the clients at the mocks.`,
    )
    .action(action(runMock));
}

async function runMock(opts: MockOptions): Promise<void> {
  // A key of the environment keeps working against the mock, so nothing else needs changing.
  const own = process.env['DATABENTO_API_KEY'];
  const mocks = await startSampleMocks({
    host: opts.host,
    rate: opts.rate,
    ...(opts.livePort === undefined ? {} : { livePort: opts.livePort }),
    ...(opts.histPort === undefined ? {} : { historicalPort: opts.histPort }),
    ...(own && own.length === 32 ? { keys: [own] } : {}),
  });
  mocks.live.on('session', (session: MockLiveSession) => {
    session.once('start', () => {
      const subs = session.subscriptions.map((s) => `${s.schema} ${s.symbols.join(',')}`).join('; ');
      message(`live: session ${session.index} started (${session.auth?.dataset ?? '?'}: ${subs || 'no subscriptions'})`);
    });
  });
  const key = own && own.length === 32 ? own : MOCK_API_KEY;
  await writeOut(
    [
      `# mock live gateway: ${mocks.env.DATABENTO_LIVE_GATEWAY}`,
      `# mock historical server: ${mocks.env.DATABENTO_HIST_GATEWAY}`,
      `# sample data: ${SAMPLE_DATASET} ${SAMPLE_SYMBOLS.join(' ')} (${SAMPLE_SCHEMAS.join(', ')}) from ${SAMPLE_START} to ${SAMPLE_END}`,
      ...(key === MOCK_API_KEY ? [`export DATABENTO_API_KEY=${MOCK_API_KEY}`] : ['# DATABENTO_API_KEY: yours is accepted as it is']),
      `export DATABENTO_LIVE_GATEWAY=${mocks.env.DATABENTO_LIVE_GATEWAY}`,
      `export DATABENTO_HIST_GATEWAY=${mocks.env.DATABENTO_HIST_GATEWAY}`,
      '',
    ].join('\n'),
  );
  message('mocks running; Ctrl-C stops them');
  await interrupted();
  await mocks.close();
  message('mocks stopped');
}
