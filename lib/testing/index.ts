/**
 * Test doubles of Databento's servers, for testing code built on
 * databento-node without an account or a network:
 *
 * - {@link MockLiveGateway}: a TCP server on 127.0.0.1 that speaks the live
 *   gateway protocol (authentication, subscriptions, metadata, records,
 *   heartbeats) and can be told to misbehave. Point `LiveThreaded` or
 *   `LiveBlocking` at it with `{ gateway: '127.0.0.1', port: gateway.port }`
 *   and the key {@link MOCK_API_KEY}.
 * - {@link MockHistoricalServer}: an HTTP server on 127.0.0.1 with the
 *   historical REST endpoints (metadata, timeseries, symbology, batch jobs)
 *   streaming DBN data, with injectable faults. Point `Historical` at it with
 *   `{ gateway: server.url }`.
 *
 * Both record what clients sent, for assertions, and use only Node built-ins,
 * so they work under any test runner (`node:test`, vitest, jest, mocha).
 *
 * ```ts
 * import { MockLiveGateway, MOCK_API_KEY } from 'databento-node/testing';
 * ```
 * @module databento-node/testing
 */
export * from './live-gateway.js';
export * from './historical-server.js';
export * from './records.js';
export * from './sample.js';
export * from './reference-routes.js';
export * from './reference-vectors.js';
