/**
 * Symbol maps: turn the instrument ids in DBN records back into symbols.
 *
 * - {@link TsSymbolMap}: `(UTC date, instrument_id) → symbol` for historical
 *   data spanning days (first insert wins on overlap, as in the C++ client).
 * - {@link PitSymbolMap}: `instrument_id → symbol` at one point in time, kept
 *   current from live SymbolMappingMsg records (latest wins).
 * - {@link SymbologyResolution}: the result of `symbology.resolve`, convertible
 *   to either map.
 *
 * Pure TypeScript: no native code is needed to use them.
 * @module
 */
export { TsSymbolMap, type TsSymbolMapEntry } from './ts-symbol-map.js';
export { PitSymbolMap } from './pit-symbol-map.js';
export { SymbologyResolution, type ResolvedInterval, type SymbologyResolutionInit } from './resolution.js';
export type { DateLike } from './dates.js';
export type { SymbolMapMetadata, SymbolMapRecord, SymbolMappingRecord } from './types.js';
