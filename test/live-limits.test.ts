// The live session's metadata phase has a deadline: a gateway that drips the
// header a byte at a time cannot keep start() waiting.
import { describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { DbnEncoder } from '../lib/index.js';
import { blocking, onCleanup } from './live-helpers.js';

/** A gateway speaking the real handshake that then sends the metadata header one byte per `intervalMs`. */
async function drippingGateway(intervalMs: number): Promise<number> {
  const header = new DbnEncoder({
    dataset: 'GLBX.MDP3',
    schema: null,
    start: 0n,
    stype_out: 'instrument_id',
  }).write(new Uint8Array(0));
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.write('lsg_version=0.0.0\ncram=abcdefghijklmnopqrstuvwxyz012345\n');
    let text = '';
    socket.on('data', (data) => {
      text += data.toString('latin1');
      if (text.includes('auth=') && !text.includes('\u0000replied')) {
        text += '\u0000replied';
        socket.write('success=1|session_id=1\n');
      }
      if (text.includes('start_session\n') && !text.includes('\u0000dripping')) {
        text += '\u0000dripping';
        let at = 0;
        const timer = setInterval(() => {
          if (at < header.length && !socket.destroyed) socket.write(header.subarray(at, ++at));
          else clearInterval(timer);
        }, intervalMs);
        socket.on('close', () => clearInterval(timer));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as { port: number }).port;
}

describe('live metadata deadline', () => {
  it('a header dripped at 1 byte per 100 ms fails start() with TIMEOUT once metadataTimeoutMs passes', async () => {
    const port = await drippingGateway(100);
    const client = blocking(port, { metadataTimeoutMs: 1000 });
    client.subscribe({ schema: 'trades', symbols: 'ESZ4' });
    const t0 = Date.now();
    const error = await client.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = Date.now() - t0;
    expect(error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/metadata header.*1000 ms/) });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    // The whole header would take over 10 s at this pace.
    expect(elapsed).toBeLessThan(6000);
  }, 20_000);

  it('is validated and documented as an option', () => {
    expect(() => blocking(1, { metadataTimeoutMs: 0 })).toThrow(/metadataTimeoutMs/);
  });
});
