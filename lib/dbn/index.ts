/**
 * DBN: Databento Binary Encoding — decoding, files, encoding.
 * @module
 */
export { RecordBatch } from './batch.js';
export { toColumns, toColumnTables, type AnyColumn, type Column, type Columns, type ColumnsOptions } from './columns.js';
export { DbnDecoder } from './decoder.js';
export { DbnDecodeStream } from './stream.js';
export { DbnStore, type BatchOptions } from './store.js';
export { DbnEncoder, writeDbnFile, type EncoderOptions, type RecordsInput } from './encoder.js';
export {
  dateFromYmd,
  ymdFromDate,
  type MappingInterval,
  type Metadata,
  type MetadataInput,
  type SymbolMapping,
} from './metadata.js';
export type { DecoderOptions, UpgradePolicy } from './options.js';
export {
  CsvEncodeStream,
  JsonEncodeStream,
  writeCsv,
  writeJson,
  type BatchSource,
  type EncodeStreamOptions,
  type TextOptions,
} from './text.js';
export { arrowBatches, toArrowTable, writeArrowIpc, type ArrowIpcOptions, type ArrowOptions } from './arrow.js';
export { parquetBytes, writeParquet, type ParquetFile, type ParquetOptions } from './parquet.js';
