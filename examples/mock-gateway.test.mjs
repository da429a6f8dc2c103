// Testing your own code against the mock live gateway, without an account or
// a network: here a small VWAP calculator fed by a live session.
//
//   node --test examples/mock-gateway.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveThreaded, RType } from 'databento-node';
import { MockLiveGateway, MOCK_API_KEY, encodeTradeMsg } from 'databento-node/testing';

/** The code under test: volume-weighted average price of the first `n` trades of a live session. */
async function vwapOfFirstTrades(client, n) {
  let notional = 0;
  let volume = 0;
  let seen = 0;
  for await (const rec of client) {
    if (rec.rtype !== RType.Mbp0) continue;
    notional += rec.pretty_price * rec.size;
    volume += rec.size;
    if (++seen === n) break;
  }
  return notional / volume;
}

test('vwap of a live session', async (t) => {
  // The mock sends exactly these trades after the subscription's symbol mapping.
  const trades = [
    { price: 100_000_000_000n, size: 1 }, // 100.00
    { price: 101_000_000_000n, size: 3 }, // 101.00
  ].map((trade, i) => encodeTradeMsg({ instrumentId: 1, tsEvent: 1_700_000_000_000_000_000n + BigInt(i), ...trade }));
  const gateway = await MockLiveGateway.start({ records: Buffer.concat(trades) });
  t.after(() => gateway.close());

  const client = new LiveThreaded({ key: MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port: gateway.port });
  t.after(() => client.close());
  client.subscribe({ schema: 'trades', symbols: ['ESM4'] });
  await client.start();

  assert.equal(await vwapOfFirstTrades(client, 2), 100.75);
  // The mock records what the client sent, e.g. its subscription.
  assert.match(gateway.sessions[0].lines.join('\n'), /schema=trades/);
});
