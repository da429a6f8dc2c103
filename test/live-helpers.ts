// Shared set-up of the live tests: mock gateways and clients that are closed
// after each test, newest first.
import { afterEach } from 'vitest';
import { LiveBlocking, LiveThreaded, type LiveThreadedOptions } from '../lib/live/index.js';
import { MOCK_API_KEY, MockLiveGateway, type MockLiveGatewayOptions } from '../lib/testing/live-gateway.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];

/** Registers `fn` to run after the current test. */
export function onCleanup(fn: () => Promise<unknown> | unknown): void {
  cleanups.push(fn);
}

// Registered once, in every test file that imports this module.
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A mock gateway on 127.0.0.1, closed after the test. */
export async function gateway(options: MockLiveGatewayOptions = {}): Promise<MockLiveGateway> {
  const gw = await MockLiveGateway.start(options);
  onCleanup(() => gw.close());
  return gw;
}

/** Client options pointing at a mock gateway's port, with the mock's key. */
export function clientOptions(port: number, extra: Partial<LiveThreadedOptions> = {}): LiveThreadedOptions {
  return { key: MOCK_API_KEY, dataset: 'GLBX.MDP3', gateway: '127.0.0.1', port, ...extra };
}

/** A LiveThreaded client of the mock at `port`, closed after the test. */
export function threaded(port: number, extra: Partial<LiveThreadedOptions> = {}): LiveThreaded {
  const client = new LiveThreaded(clientOptions(port, extra));
  onCleanup(() => client.close());
  return client;
}

/** A LiveBlocking client of the mock at `port`, closed after the test. */
export function blocking(port: number, extra: Partial<LiveThreadedOptions> = {}): LiveBlocking {
  const client = new LiveBlocking(clientOptions(port, extra));
  onCleanup(() => client.close());
  return client;
}
