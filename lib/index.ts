/**
 * databento-node: the Databento client for Node.js.
 *
 * - DBN files and streams: {@link DbnStore}, {@link DbnDecoder}, {@link DbnEncoder}
 * - Record views (one class per record type) and every enum of the DBN spec
 *
 * @module databento-node
 */
export * from './errors.js';
export * from './dbn/index.js';
export * from './time.js';
export * from './generated/records.js';
export * from './generated/enums.js';
