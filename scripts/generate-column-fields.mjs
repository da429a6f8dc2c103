// C++ column tables (column_fields.hpp) for the core's ColumnBuilder,
// generated from the layout table: one entry per output column of each
// record layout, in layout order with the header's fields (ts_event, rtype,
// publisher_id, instrument_id) in its place and book levels flattened as
// bid_px_00 … ask_ct_09 — the same columns as lib/dbn/columns.ts.
import { HEADER, RECORDS, levelLayout } from './records.mjs';

const KINDS = {
  u8: 'U8', i8: 'I8', u16: 'U16', i16: 'I16', u32: 'U32', i32: 'I32',
  u64: 'U64', i64: 'I64', ts: 'Ts', price: 'Price', char: 'Char', cstr: 'Str',
};
const HEADER_COLUMNS = ['ts_event', 'rtype', 'publisher_id', 'instrument_id'];

/** Columns of a record layout: { name, kind, offset, size }. */
export function columnFields(r) {
  const out = [];
  const push = (field, name, offset) => {
    const kind = KINDS[field.type];
    if (!kind) throw new Error(`no column kind for ${field.type} (${r.name}.${field.name})`);
    out.push({ name, kind, offset, size: field.type === 'cstr' ? field.len : null });
  };
  for (const field of r.fields) {
    if (field.type === 'pad') continue;
    if (field.type === 'header') {
      for (const h of HEADER_COLUMNS) {
        const hf = HEADER.fields.find((f) => f.name === h);
        push(hf, h, hf.offset);
      }
    } else if (field.type === 'levels') {
      const level = levelLayout(field.of);
      for (let i = 0; i < field.count; i++) {
        for (const lf of level.fields.filter((f) => f.type !== 'pad')) {
          const [side, what] = lf.name.split('_');
          push(lf, `${side}_${what}_${String(i).padStart(2, '0')}`, field.offset + i * level.size + lf.offset);
        }
      }
    } else {
      push(field, field.name, field.offset);
    }
  }
  return out;
}

export function genColumnFieldsHpp(banner) {
  const L = [];
  L.push(`// ${banner}.`);
  L.push('//');
  L.push('// The columns of every record layout, for ColumnBuilder: name, kind, byte');
  L.push('// offset in the record and (for strings) byte length.');
  L.push('#pragma once');
  L.push('');
  L.push('#include <cstdint>');
  L.push('#include <span>');
  L.push('');
  L.push('#include "databento/text_fields.hpp"');
  L.push('');
  L.push('namespace databento::columns {');
  L.push('');
  L.push('enum class Kind : std::uint8_t { U8, I8, U16, I16, U32, I32, U64, I64, Ts, Price, Char, Str };');
  L.push('');
  L.push('struct Field {');
  L.push('  const char* name;');
  L.push('  Kind kind;');
  L.push('  std::uint16_t offset;');
  L.push('  std::uint16_t size;  // bytes of a Str field, else 0');
  L.push('};');
  L.push('');
  for (const r of RECORDS) {
    const cols = columnFields(r);
    L.push(`inline constexpr Field k${r.name}[] = {`);
    for (const c of cols) L.push(`    {"${c.name}", Kind::${c.kind}, ${c.offset}, ${c.size ?? 0}},`);
    L.push('};');
  }
  L.push('');
  L.push('// The columns of `layout` (empty for Layout::None).');
  L.push('inline std::span<const Field> FieldsOf(text::Layout layout) {');
  L.push('  switch (layout) {');
  for (const r of RECORDS) L.push(`    case text::Layout::${r.name}: return k${r.name};`);
  L.push('    case text::Layout::None: break;');
  L.push('  }');
  L.push('  return {};');
  L.push('}');
  L.push('');
  L.push('// The record class name of `layout`, as the TypeScript views call it.');
  L.push('inline const char* LayoutName(text::Layout layout) {');
  L.push('  switch (layout) {');
  for (const r of RECORDS) L.push(`    case text::Layout::${r.name}: return "${r.name}";`);
  L.push('    case text::Layout::None: break;');
  L.push('  }');
  L.push('  return "";');
  L.push('}');
  L.push('');
  L.push('}  // namespace databento::columns');
  return L.join('\n') + '\n';
}
