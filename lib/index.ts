/**
 * databento-node: the Databento client for Node.js.
 *
 * - DBN files and streams: {@link DbnStore}, {@link DbnDecoder}, {@link DbnEncoder}
 * - Record views (one class per record type) and every enum of the DBN spec
 * - Live data: {@link LiveThreaded} (events, async iteration) and {@link LiveBlocking} (pull)
 * - The historical API: {@link Historical} (metadata, timeseries, symbology, batch jobs)
 * - Reference data: {@link Reference} (corporate actions, adjustment factors, security master)
 * - Symbol maps: {@link TsSymbolMap}, {@link PitSymbolMap}
 *
 * @module databento-node
 */
export * from './errors.js';
export * from './dbn/index.js';
export * from './time.js';
export * from './live/index.js';
export * from './historical/index.js';
export * from './reference/index.js';
export * from './symbology/index.js';
export * from './generated/records.js';
export * from './generated/enums.js';
export * from './ingest/index.js';
export type { Logger, LogLevel } from './log.js';
