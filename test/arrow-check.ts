// Arrow tables checked cell by cell against the record views.
import { DataType, type Table, type Vector } from 'apache-arrow';
import { expect } from 'vitest';
import type { AnyRecord } from '../lib/index.js';

const UNDEF_PRICE = 2n ** 63n - 1n;
const UNDEF_TS = 2n ** 64n - 1n;

/** The value of column `name` as the record view gives it. */
export function viewValue(rec: AnyRecord, name: string): unknown {
  const level = /^(bid|ask)_([a-z]+)_(\d\d)$/.exec(name);
  const r = rec as unknown as Record<string, unknown> & { levels: Record<string, unknown>[] };
  if (level) return r.levels[Number(level[3])]![`${level[1]}_${level[2]}`];
  return r[name];
}

/** Row `i` of `vec`; timestamps as their exact nanoseconds (bigint). */
function cell(vec: Vector, i: number): unknown {
  if (!vec.isValid(i)) return null;
  if (DataType.isTimestamp(vec.type)) {
    let at = i;
    for (const d of vec.data) {
      if (at < d.length) return BigInt.asUintN(64, (d.values as BigInt64Array)[at]!); // a slice's values start at its offset
      at -= d.length;
    }
  }
  return vec.get(i);
}

/** The Arrow value a view value becomes (see ArrowOptions' defaults). */
function expected(type: DataType, want: unknown): unknown {
  if (DataType.isTimestamp(type)) return want === UNDEF_TS ? null : want;
  if (DataType.isFloat(type)) return want === UNDEF_PRICE ? null : Number(want) / 1e9;
  return want;
}

/** Checks every cell of `table` against the views of the records of its rtype. */
export function checkTable(table: Table, recs: AnyRecord[], where: string): void {
  expect(table.numRows, where).toBe(recs.length);
  for (const field of table.schema.fields) {
    const vec = table.getChild(field.name)!;
    if (field.name === 'symbol') {
      expect(DataType.isDictionary(field.type), where).toBe(true);
      continue;
    }
    const sample = recs.length ? viewValue(recs[0]!, field.name) : undefined;
    if (DataType.isTimestamp(field.type)) expect(String(field.type), where).toBe('Timestamp<NANOSECOND, UTC>');
    if (typeof sample === 'string') expect(DataType.isUtf8(field.type), `${where} ${field.name}`).toBe(true);
    if (typeof sample === 'bigint' && !DataType.isFloat(field.type)) expect(field.type.bitWidth ?? 64, `${where} ${field.name}`).toBe(64);
    recs.forEach((rec, i) => {
      const want = viewValue(rec, field.name);
      if (want === undefined) throw new Error(`${where}: no view value for ${field.name}`);
      expect(cell(vec, i), `${where} ${field.name}[${i}]`).toBe(expected(field.type, want));
    });
  }
}

