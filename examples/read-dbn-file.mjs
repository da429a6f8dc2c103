// Read a DBN file (.dbn or .dbn.zst): its metadata, a count of records by
// type, and the first records as JSON with their symbols.
//
//   node examples/read-dbn-file.mjs path/to/file.dbn.zst [how-many-to-print]
import { DbnStore, TsSymbolMap, nanosToIso, rtypeName } from 'databento-node';

const [path, shown = '5'] = process.argv.slice(2);
if (!path) {
  console.error('usage: node read-dbn-file.mjs <file.dbn[.zst]> [how-many-to-print]');
  process.exit(2);
}

const store = DbnStore.fromFile(path);
const { dataset, schema, start, end, symbols } = store.metadata;
console.log(`${path}: ${dataset} ${schema ?? 'mixed schemas'}, symbols ${symbols.join(', ') || '-'}`);
console.log(`  from ${nanosToIso(start)} to ${nanosToIso(end) ?? 'open end'}`);

// The metadata's symbol mappings say which instrument id was which symbol on which day.
const symbolMap = TsSymbolMap.fromMetadata(store.metadata);

const counts = new Map();
let printed = 0;
// Batches are read and decoded on a native thread while this loop runs.
for await (const batch of store.batches()) {
  for (const rec of batch) {
    const type = rtypeName(rec.rtype) ?? `0x${rec.rtype.toString(16)}`;
    counts.set(type, (counts.get(type) ?? 0) + 1);
    if (printed < Number(shown)) {
      printed++;
      console.log(`  ${rec.constructor.name} ${symbolMap.find(rec) ?? rec.instrument_id}`, JSON.stringify(rec));
    }
  }
}
for (const [type, n] of counts) console.log(`  ${n} ${type} record(s)`);
