// The shipped mocks as products: records built from the layout table, and a
// gateway that stays healthy whatever its clients do.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DbnStore, InvalidArgumentError, RType, TradeMsg, type Metadata } from '../lib/index.js';
import { MOCK_API_KEY, encodeRecord } from '../lib/testing/index.js';
import { DbnEncoder } from '../lib/dbn/encoder.js';

const TESTING = fileURLToPath(new URL(process.env['MOCK_TESTING_MODULE'] ?? '../dist/lib/testing/index.js', import.meta.url));

/** Reads the socket line by line. */
function lineReader(socket: Socket): () => Promise<string> {
  let buffer = '';
  const waiting: ((line: string) => void)[] = [];
  const lines: string[] = [];
  socket.setEncoding('latin1').on('data', (s: string) => {
    buffer += s;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const w = waiting.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  return () => (lines.length ? Promise.resolve(lines.shift()!) : new Promise((r) => waiting.push(r)));
}

/** Authenticates by hand over a raw socket, subscribes, sends start_session and resets the connection at once. */
async function startAndReset(port: number): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  const read = lineReader(socket);
  const next = (): Promise<string> =>
    Promise.race([read(), new Promise<string>((r) => setTimeout(() => r('(the gateway did not answer within 3 s)'), 3000))]);
  expect(await next()).toMatch(/^lsg_version=/);
  const challenge = (await next()).replace(/^cram=/, '');
  const hash = createHash('sha256').update(`${challenge}|${MOCK_API_KEY}`).digest('hex');
  socket.write(`auth=${hash}-${MOCK_API_KEY.slice(-5)}|dataset=GLBX.MDP3|encoding=dbn|ts_out=0\n`);
  expect(await next()).toMatch(/^success=1/);
  socket.write('schema=mbo|stype_in=raw_symbol|symbols=ESZ4\nstart_session\n');
  socket.resetAndDestroy();
}

describe('MockLiveGateway', () => {
  it('stays responsive when a client resets right after start_session with an endless record source', async () => {
    // In a child process: a wedged event loop there fails this test instead of hanging it.
    const script = `
      import { MockLiveGateway, encodeMboRecords } from ${JSON.stringify(TESTING)};
      const chunk = encodeMboRecords(1000);
      const gw = await MockLiveGateway.start({ records: function* () { for (;;) yield chunk; } });
      console.log('port ' + gw.port);
      process.stdin.setEncoding('utf8').on('data', async (s) => {
        if (s.includes('ping')) console.log('pong ' + gw.sessions.map((x) => x.closed).join(',') + ' ' + process.memoryUsage().rss);
        if (s.includes('exit')) { await gw.close(); process.exit(0); }
      });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const out = lineReader(child.stdout as unknown as Socket);
      const port = Number((await out()).replace('port ', ''));
      for (let i = 0; i < 5; i++) await startAndReset(port);
      await new Promise((r) => setTimeout(r, 300));
      const answer = async (): Promise<string> => {
        child.stdin.write('ping\n');
        return Promise.race([out(), new Promise<string>((r) => setTimeout(() => r('no answer within 3 s'), 3000))]);
      };
      let pong = await answer();
      for (let i = 0; i < 10 && !/^pong (true,){4}true /.test(pong); i++) {
        await new Promise((r) => setTimeout(r, 200));
        pong = await answer();
      }
      expect(pong).toMatch(/^pong (true,){4}true \d+$/); // every session closed, the loop still turning
      expect(Number(pong.split(' ')[2])).toBeLessThan(300 * 1024 * 1024);
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);
});

describe('encodeRecord', () => {
  it('lays records out by the generated layouts, so the record views read back what was written', () => {
    const rec = encodeRecord('TradeMsg', {
      publisher_id: 1,
      instrument_id: 42,
      ts_event: 1_731_940_200_123_456_789n,
      price: 5_912_250_000_000n,
      size: 3,
      action: 'T',
      side: 'B',
      flags: 0x81,
      ts_recv: 1_731_940_200_123_456_999n,
      ts_in_delta: -5,
      sequence: 77,
    });
    const md: Metadata = { version: 3, dataset: 'GLBX.MDP3', schema: 'trades', start: 0n, stype_in: 'raw_symbol', stype_out: 'instrument_id' } as Metadata;
    const [view] = DbnStore.fromBytes(DbnEncoder.encode(md, rec)).toArray();
    expect(view).toBeInstanceOf(TradeMsg);
    const t = view as TradeMsg;
    expect([t.rtype, t.hd.length, t.instrument_id, t.ts_event, t.price, t.size, t.action, t.side, t.flags, t.ts_in_delta, t.sequence]).toEqual([
      RType.Mbp0, 12, 42, 1_731_940_200_123_456_789n, 5_912_250_000_000n, 3, 'T', 'B', 0x81, -5, 77,
    ]);
    const mbp = encodeRecord('Mbp1Msg', { price: 1n, levels: [{ bid_px: 2n, ask_px: 3n, bid_sz: 4, ask_sz: 5 }] });
    const [m] = DbnStore.fromBytes(DbnEncoder.encode({ ...md, schema: 'mbp-1' }, mbp)).toArray();
    expect((m as unknown as { levels: { ask_sz: number; bid_px: bigint }[] }).levels[0]).toMatchObject({ ask_sz: 5, bid_px: 2n });
  });

  it('rejects unknown layouts and fields, out-of-range integers and over-long strings with INVALID_ARGUMENT', () => {
    const bad: [string, Record<string, unknown>][] = [
      ['NoSuchMsg', {}],
      ['TradeMsg', { pricee: 1n }],
      ['TradeMsg', { size: -1 }],
      ['TradeMsg', { size: 1.5 }],
      ['TradeMsg', { side: 'BB' }],
      ['SystemMsg', { msg: 'x'.repeat(400) }],
      ['Mbp1Msg', { levels: [{}, {}] }],
    ];
    for (const [layout, fields] of bad) {
      expect(() => encodeRecord(layout, fields as never)).toThrow(InvalidArgumentError);
    }
  });
});
