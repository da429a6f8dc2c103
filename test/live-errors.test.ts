// Every way a gateway can misbehave becomes the right LiveError — never a
// hang, never a crash — and the opt-in reconnect policy recovers.
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LiveError } from '../lib/errors.js';
import type { RecordBatch } from '../lib/dbn/index.js';
import { LiveBlocking, LiveThreaded, type LiveThreadedOptions, type ReconnectEvent } from '../lib/live/index.js';
import { encodeMboRecords, MOCK_API_KEY, type MockLiveBehavior } from '../lib/testing/live-gateway.js';
import { clientOptions, gateway, onCleanup, threaded } from './live-helpers.js';

/** Starts a threaded client and waits for its terminal error (or a timeout). */
async function failure(
  behavior: MockLiveBehavior,
  extra: Partial<LiveThreadedOptions> = {},
  records?: Uint8Array,
): Promise<{ error: LiveError; startError?: LiveError; records: number; closed: boolean }> {
  const gw = await gateway({ behavior, records, acks: false, symbolMappings: false });
  const client = threaded(gw.port, extra);
  client.subscribe({ schema: 'mbo', symbols: 'ESH1' });
  let records_ = 0;
  client.on('batch', (b: RecordBatch) => (records_ += b.count));
  const closed = new Promise<void>((resolve) => client.once('close', resolve));
  const errored = new Promise<LiveError>((resolve) => client.once('error', resolve));
  let startError: LiveError | undefined;
  const started = await client.start().then(
    () => true,
    (e: LiveError) => {
      startError = e;
      return false;
    },
  );
  const error = started ? await withTimeout(errored, 15_000) : startError!;
  await withTimeout(closed, 5000);
  return { error, startError, records: records_, closed: true };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, rej) => (t = setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms)))]).finally(
    () => clearTimeout(t),
  );
}

describe('before the session starts', () => {
  it('a refused authentication rejects start() with AUTH_FAILED and the gateway text', async () => {
    const { error } = await failure({ refuseAuth: true });
    expect(error).toBeInstanceOf(LiveError);
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toBe('Failed to authenticate: Authentication failed.');
  });

  it('a wrong key is refused by the CRAM check', async () => {
    const gw = await gateway();
    const client = threaded(gw.port, { key: 'db-WrongKeyWrongKeyWrongKey12345' });
    const err = (await client.start().catch((e) => e)) as LiveError;
    expect(err.code).toBe('AUTH_FAILED');
    expect(gw.sessions[0]!.authenticated).toBe(false);
  });

  it('a closed port is CONNECT_FAILED', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const client = threaded(port);
    const err = (await client.start().catch((e) => e)) as LiveError;
    expect(err.code).toBe('CONNECT_FAILED');
    expect(err.message).toMatch(/refused/i);
  });

  it('an unresolvable host is CONNECT_FAILED', async () => {
    const client = threaded(13000, { gateway: 'no-such-host.invalid' });
    const err = (await client.start().catch((e) => e)) as LiveError;
    expect(err.code).toBe('CONNECT_FAILED');
  });

  it('a connection closed at once is CONNECTION_CLOSED', async () => {
    const { error } = await failure({ closeOnConnect: true });
    expect(error.code).toBe('CONNECTION_CLOSED');
  });

  it('a silent gateway hits the authentication timeout (TIMEOUT)', async () => {
    const t0 = Date.now();
    const { error } = await failure({ silentOnConnect: true }, { authTimeoutMs: 300 });
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('garbage instead of the challenge or the auth response is PROTOCOL_ERROR', async () => {
    expect((await failure({ challengeLine: 'hello there' })).error.code).toBe('PROTOCOL_ERROR');
    expect((await failure({ authResponse: 'whatever=1' })).error.code).toBe('PROTOCOL_ERROR');
    expect((await failure({ challengeLine: 'x'.repeat(100_000) })).error.code).toBe('PROTOCOL_ERROR');
  });

  it('close() during start() rejects it with ABORTED and closes', async () => {
    const gw = await gateway({ behavior: { silentOnConnect: true } });
    const client = threaded(gw.port);
    const p = client.start();
    await gw.waitForSession(0);
    await client.close();
    expect(((await p.catch((e) => e)) as LiveError).code).toBe('ABORTED');
  });
});

describe('after the session starts', () => {
  it('a close mid-record is CONNECTION_CLOSED after every whole record', async () => {
    const { error, records } = await failure({ afterStart: 'close-mid-record' }, {}, encodeMboRecords(1000));
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(error.message).toMatch(/middle of a record/);
    expect(records).toBe(1000);
  });

  it('a clean close is CONNECTION_CLOSED', async () => {
    const { error, records } = await failure({ afterStart: 'close' }, {}, encodeMboRecords(10));
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(error.message).toBe('Gateway closed the session');
    expect(records).toBe(10);
  });

  it('garbage is DECODE_ERROR, plain or zstd', async () => {
    expect((await failure({ afterStart: 'garbage' })).error.code).toBe('DECODE_ERROR');
    expect((await failure({ afterStart: 'garbage' }, { compression: 'zstd' })).error.code).toBe('DECODE_ERROR');
  });

  it('a fatal ErrorMsg is GATEWAY_ERROR with its text, after the record itself', async () => {
    const gw = await gateway({ records: encodeMboRecords(5), behavior: { errorAfterRecords: { code: 6, text: 'Internal error' } } });
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'ESH1' });
    const rtypes: number[] = [];
    client.on('record', (r) => rtypes.push(r.rtype));
    const error = new Promise<LiveError>((resolve) => client.once('error', resolve));
    await client.start();
    const err = await withTimeout(error, 5000);
    expect(err.code).toBe('GATEWAY_ERROR');
    expect(err.message).toBe('Gateway error: Internal error');
    expect((err as LiveError & { gatewayCode?: number }).gatewayCode).toBe(6);
    expect(rtypes.slice(-1)).toEqual([0x15]);
    expect(rtypes.filter((t) => t === 0xa0)).toHaveLength(5);
  });

  it('a non-fatal ErrorMsg (symbol resolution) is just a record', async () => {
    const gw = await gateway();
    const client = threaded(gw.port);
    client.subscribe({ schema: 'mbo', symbols: 'ESH1' });
    await client.start();
    const errors: LiveError[] = [];
    client.on('error', (e) => errors.push(e));
    const got = new Promise<string>((resolve) => client.on('record', (r) => r.rtype === 0x15 && resolve((r as unknown as { err: string }).err)));
    gw.sessions[0]!.sendError('Failed to resolve symbol: ZZZZ', 4);
    expect(await withTimeout(got, 5000)).toBe('Failed to resolve symbol: ZZZZ');
    await new Promise((r) => setTimeout(r, 50));
    expect(errors).toEqual([]);
  });

  it('LiveBlocking reports the same errors from next()', async () => {
    const gw = await gateway({ records: encodeMboRecords(3), behavior: { afterStart: 'close-mid-record' }, acks: false, symbolMappings: false });
    const client = new LiveBlocking(clientOptions(gw.port));
    onCleanup(() => client.close());
    client.subscribe({ schema: 'mbo', symbols: 'ESH1' });
    await client.start();
    let n = 0;
    const err = await (async () => {
      try {
        for (;;) if (await client.next(5000)) n++;
      } catch (e) {
        return e as LiveError;
      }
    })();
    expect(n).toBe(3);
    expect(err?.code).toBe('CONNECTION_CLOSED');
  });
});

describe('heartbeats', () => {
  it('a silent gateway is HEARTBEAT_TIMEOUT after interval + 5 s; heartbeats keep a quiet session alive', async () => {
    // Both at once: the slow part of this file takes ~10 s, not 20.
    const silentGw = await gateway({ behavior: { afterStart: 'silent' } });
    const quietGw = await gateway();
    const silent = threaded(silentGw.port, { heartbeatIntervalS: 5 });
    const quiet = threaded(quietGw.port, { heartbeatIntervalS: 5 });
    silent.subscribe({ schema: 'mbo', symbols: 'A' });
    quiet.subscribe({ schema: 'mbo', symbols: 'A' });
    const heartbeats: number[] = [];
    quiet.on('record', (r) => r.rtype === 0x17 && (r as unknown as { code: number }).code === 0 && heartbeats.push(Date.now()));
    const quietErrors: LiveError[] = [];
    quiet.on('error', (e) => quietErrors.push(e));
    const timedOut = new Promise<LiveError>((resolve) => silent.once('error', resolve));
    // A pull client that does not read for as long: time away from the
    // socket does not count as silence.
    const idleGw = await gateway({ behavior: { afterStart: 'silent' } });
    const idle = new LiveBlocking(clientOptions(idleGw.port, { heartbeatIntervalS: 5 }));
    onCleanup(() => idle.close());
    idle.subscribe({ schema: 'mbo', symbols: 'A' });
    await Promise.all([silent.start(), quiet.start(), idle.start()]);
    const t0 = Date.now();
    const err = await withTimeout(timedOut, 14_000);
    const elapsed = Date.now() - t0;
    expect(err.code).toBe('HEARTBEAT_TIMEOUT');
    expect(err.message).toBe('Heartbeat timeout: no data received for 10 seconds');
    expect(elapsed).toBeGreaterThan(9_000);
    expect(elapsed).toBeLessThan(12_000);
    expect(heartbeats.length).toBeGreaterThanOrEqual(1);
    expect(quietErrors).toEqual([]);
    expect(quiet.closed).toBe(false);
    expect(await idle.next(300)).toBeNull();
  }, 20_000);
});

describe('reconnect policy', () => {
  it('reconnects, resubscribes (same ids, no start, snapshot kept) and reports the gap', async () => {
    const first = encodeMboRecords(100, 0, (i) => 1_700_000_000_000_000_000n + BigInt(i));
    const gw = await gateway({
      acks: false,
      symbolMappings: false,
      sessionStart: 1_800_000_000_000_000_000n,
      behavior: (i) => (i === 0 ? { afterStart: 'close' } : {}),
    });
    gw.records = (s) => (s.index === 0 ? [first] : [encodeMboRecords(7, 1000)]);
    const client = threaded(gw.port, { reconnect: { maxAttempts: 3, backoffMs: 20 } });
    client.subscribe({ schema: 'trades', symbols: 'ESZ4', start: 1_699_999_999_000_000_000n });
    client.subscribe({ schema: 'mbo', stypeIn: 'parent', symbols: 'ES.FUT', snapshot: true });
    let count = 0;
    client.on('batch', (b) => (count += b.count));
    const errors: LiveError[] = [];
    client.on('error', (e) => errors.push(e));
    const metadata: bigint[] = [];
    client.on('metadata', (m) => metadata.push(m.start));
    const reconnected = new Promise<ReconnectEvent>((resolve) => client.once('reconnect', resolve));
    await client.start();
    const ev = await withTimeout(reconnected, 5000);
    expect(ev.attempt).toBe(1);
    expect(ev.error.code).toBe('CONNECTION_CLOSED');
    expect(ev.lastTs).toBe(1_700_000_000_000_000_099n);
    expect(ev.firstTs).toBe(1_800_000_000_000_000_000n);
    expect(ev.sessionId).toBe(gw.sessions[1]!.sessionId);
    expect(client.sessionId).toBe(gw.sessions[1]!.sessionId);
    await gw.sessions[1]!.waitForLines(4);
    expect(gw.sessions[1]!.lines.slice(1)).toEqual([
      'schema=trades|stype_in=raw_symbol|id=1|symbols=ESZ4|snapshot=0|is_last=1',
      'schema=mbo|stype_in=parent|id=2|symbols=ES.FUT|snapshot=1|is_last=1',
      'start_session',
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(count).toBe(107);
    expect(metadata).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('gives up after maxAttempts with the last error, then closes', async () => {
    const gw = await gateway({ behavior: { afterStart: 'close' } });
    const client = threaded(gw.port, { reconnect: { maxAttempts: 2, backoffMs: (n) => n * 10 } });
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    const error = new Promise<LiveError>((resolve) => client.once('error', resolve));
    const closed = new Promise<void>((resolve) => client.once('close', resolve));
    await client.start();
    await gw.waitForSession(1);
    await gw.close(); // no more connections possible
    const err = await withTimeout(error, 5000);
    expect(['CONNECT_FAILED', 'CONNECTION_CLOSED']).toContain(err.code);
    await withTimeout(closed, 5000);
    expect(client.closed).toBe(true);
  });

  it('counts attempts until a session is healthy: a gateway that drops every session exhausts maxAttempts', async () => {
    // Every session starts, sends a few records and is dropped at once.
    const gw = await gateway({ acks: false, symbolMappings: false, records: encodeMboRecords(3), behavior: { afterStart: 'close' } });
    const client = threaded(gw.port, { reconnect: { maxAttempts: 3, backoffMs: 10 } });
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    const attempts: number[] = [];
    client.on('reconnect', (e) => attempts.push(e.attempt));
    client.on('record', () => {});
    const error = new Promise<LiveError>((resolve) => client.once('error', resolve));
    await client.start();
    const err = await withTimeout(error, 10_000);
    expect(err.code).toBe('CONNECTION_CLOSED');
    expect(attempts).toEqual([1, 2, 3]);
    expect(gw.sessions).toHaveLength(4);

    // The same with LiveBlocking: next() gives up with the error.
    const blockingClient = new LiveBlocking(clientOptions(gw.port, { reconnect: { maxAttempts: 3, backoffMs: 10 } }));
    onCleanup(() => blockingClient.close());
    blockingClient.subscribe({ schema: 'mbo', symbols: 'A' });
    const blockingAttempts: number[] = [];
    blockingClient.on('reconnect', (e) => blockingAttempts.push(e.attempt));
    await blockingClient.start();
    const read = (async () => {
      for (;;) await blockingClient.next(5000);
    })();
    const blockingErr = (await withTimeout(read.catch((e: unknown) => e), 10_000)) as LiveError;
    expect(blockingErr.code).toBe('CONNECTION_CLOSED');
    expect(blockingAttempts).toEqual([1, 2, 3]);
    expect(gw.sessions).toHaveLength(8);
  });

  it('a session that stays healthy for healthyAfterMs resets the count', async () => {
    const gw = await gateway({ acks: false, symbolMappings: false, behavior: { afterStart: 'silent' } });
    const client = threaded(gw.port, { reconnect: { maxAttempts: 1, backoffMs: 10, healthyAfterMs: 200 } });
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    const attempts: number[] = [];
    client.on('reconnect', (e) => attempts.push(e.attempt));
    const errors: LiveError[] = [];
    client.on('error', (e) => errors.push(e));
    client.on('record', () => {});
    await client.start();
    for (let round = 1; round <= 3; round++) {
      // The current session delivers data for 300 ms (> healthyAfterMs), then drops.
      const session = gw.sessions[round - 1]!;
      for (let i = 0; i < 6; i++) {
        session.send(encodeMboRecords(1, i));
        await new Promise((r) => setTimeout(r, 50));
      }
      const next = new Promise<ReconnectEvent>((resolve) => client.once('reconnect', resolve));
      session.destroy();
      await withTimeout(next, 5000);
    }
    // With maxAttempts 1, each drop after a healthy session is attempt 1 again.
    expect(attempts).toEqual([1, 1, 1]);
    expect(errors).toEqual([]);
  });

  it('does not retry AUTH_FAILED on reconnect, nor anything without a policy', async () => {
    const gw = await gateway({ behavior: (i) => (i === 0 ? { afterStart: 'close' } : { refuseAuth: 'key revoked' }) });
    const client = threaded(gw.port, { reconnect: { maxAttempts: 5, backoffMs: 5 } });
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    const error = new Promise<LiveError>((resolve) => client.once('error', resolve));
    await client.start();
    const err = await withTimeout(error, 5000);
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toBe('Failed to authenticate: key revoked');
    expect(gw.sessions).toHaveLength(2);

    const gw2 = await gateway({ behavior: { afterStart: 'close' } });
    const plain = threaded(gw2.port);
    plain.subscribe({ schema: 'mbo', symbols: 'A' });
    const e2 = new Promise<LiveError>((resolve) => plain.once('error', resolve));
    await plain.start();
    expect((await withTimeout(e2, 5000)).code).toBe('CONNECTION_CLOSED');
    await new Promise((r) => setTimeout(r, 100));
    expect(gw2.sessions).toHaveLength(1);
  });

  it('LiveBlocking reconnects in next() and emits reconnect', async () => {
    const gw = await gateway({ acks: false, symbolMappings: false, behavior: (i) => (i === 0 ? { afterStart: 'close' } : {}) });
    gw.records = (s) => [encodeMboRecords(s.index === 0 ? 2 : 3, s.index * 100)];
    const client = new LiveBlocking(clientOptions(gw.port, { reconnect: { maxAttempts: 2, backoffMs: 10 } }));
    onCleanup(() => client.close());
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    const events: ReconnectEvent[] = [];
    client.on('reconnect', (e) => events.push(e));
    await client.start();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const rec = await client.next(5000);
      ids.push(Number((rec as unknown as { order_id: bigint }).order_id));
    }
    expect(ids).toEqual([0, 1, 100, 101, 102]);
    expect(events).toHaveLength(1);
    expect(events[0]!.error.code).toBe('CONNECTION_CLOSED');
  });
});

describe('abort signal', () => {
  it('aborting closes the client; iterators and start() reject with ABORTED', async () => {
    const gw = await gateway();
    const ac = new AbortController();
    const client = threaded(gw.port, { signal: ac.signal });
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    await client.start();
    const iterated = (async () => {
      for await (const rec of client) void rec;
    })();
    setTimeout(() => ac.abort(), 50);
    const err = (await iterated.catch((e) => e)) as LiveError;
    expect(err).toBeInstanceOf(LiveError);
    expect(err.code).toBe('ABORTED');
    expect(client.closed).toBe(true);
    expect(() => new LiveThreaded(clientOptions(gw.port, { signal: ac.signal }))).toThrow(expect.objectContaining({ code: 'ABORTED' }));
  });
});

/**
 * A gateway on a real socket that authenticates anyone, then runs `onLine`
 * for each later line (and for the authentication line itself).
 */
async function scriptedGateway(onLine: (line: string, socket: import('node:net').Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    socket.write('lsg_version=0.7.2\ncram=challenge123\n');
    let pending = '';
    socket.on('data', (data) => {
      pending += data.toString('latin1');
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        onLine(line, socket);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as import('node:net').AddressInfo).port;
}

describe('error hygiene', () => {
  it('a gateway that closes before or inside the metadata says so, not "in the middle of a record"', async () => {
    for (const metadataBytes of [0, 10]) {
      const port = await scriptedGateway((line, socket) => {
        if (line.startsWith('auth=')) socket.write('success=1|session_id=1\n');
        if (line.startsWith('start_session')) {
          // DBN v3 magic and a header length, then part of the header.
          const partial = Buffer.from([0x44, 0x42, 0x4e, 3, 0xe8, 0x03, 0, 0, 1, 2]).subarray(0, metadataBytes);
          socket.end(partial);
        }
      });
      for (const client of [threaded(port), new LiveBlocking(clientOptions(port))]) {
        onCleanup(() => client.close());
        client.subscribe({ schema: 'mbo', symbols: 'A' });
        const err = (await client.start().catch((e: unknown) => e)) as LiveError;
        expect(err.code).toBe('CONNECTION_CLOSED');
        expect(err.message).toMatch(/before the end of its metadata header/);
        expect(err.message).not.toMatch(/middle of a record/);
      }
    }
  });

  it('gateway text that echoes the authentication line hides the key, the CRAM reply and the bucket', async () => {
    const port = await scriptedGateway((line, socket) => {
      if (line.startsWith('auth=')) socket.end(`success=0|error=Malformed request: ${line}\n`);
    });
    const client = threaded(port);
    client.subscribe({ schema: 'mbo', symbols: 'A' });
    const err = (await client.start().catch((e: unknown) => e)) as LiveError;
    expect(err.code).toBe('AUTH_FAILED');
    const hash = createHash('sha256').update(`challenge123|${MOCK_API_KEY}`).digest('hex');
    const bucket = MOCK_API_KEY.slice(-5);
    expect(err.message).toContain('Malformed request: auth=<redacted>');
    for (const secret of [MOCK_API_KEY, hash, bucket, hash.slice(0, 16)]) expect(err.message).not.toContain(secret);
    expect(String(err.stack)).not.toContain(bucket);
  });

  it('LiveErrors from native code carry the JS stack of the call that led to them', async () => {
    const port = await scriptedGateway((line, socket) => {
      if (line.startsWith('auth=')) socket.end('success=0|error=key revoked\n');
    });
    const blockingClient = new LiveBlocking(clientOptions(port));
    onCleanup(() => blockingClient.close());
    blockingClient.subscribe({ schema: 'mbo', symbols: 'A' });
    const fromBlocking = (await blockingClient.start().catch((e: unknown) => e)) as LiveError;
    const threadedClient = threaded(port);
    threadedClient.subscribe({ schema: 'mbo', symbols: 'A' });
    const fromThreaded = (await threadedClient.start().catch((e: unknown) => e)) as LiveError;
    for (const err of [fromBlocking, fromThreaded]) {
      expect(err).toBeInstanceOf(LiveError);
      expect(err.code).toBe('AUTH_FAILED');
      expect(err.stack).toMatch(/^LiveError: Failed to authenticate: key revoked\n\s+at /);
      expect(err.stack).toContain('live-errors.test.ts');
    }
  });
});
