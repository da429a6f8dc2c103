// C++ text-field visitors (text_fields.hpp) for the CSV and JSON encoders,
// generated from the layout table so the column order of every record type
// follows scripts/records.mjs (shared/spec/text-formats.md §3).
import { HEADER, RECORDS, levelLayout, textOrder } from './records.mjs';
import { SCHEMA_RTYPE } from './enums.mjs';

/** Problems with the text orders: every non-reserved field exactly once. */
export function textOrderProblems() {
  const problems = [];
  for (const r of RECORDS) {
    const order = textOrder(r);
    const want = r.fields.filter((f) => f.type !== 'pad').map((f) => f.name).sort();
    const got = [...order].sort();
    if (want.join() !== got.join()) problems.push(`${r.name}: textOrder must list each non-reserved field once (has ${order.length}, needs ${want.length})`);
  }
  return problems;
}

const INT_TYPES = new Set(['u8', 'i8', 'u16', 'i16', 'u32', 'i32']);

// One visitor call per field: the call names the field's text kind.
function visitCall(field, expr, name = field.name) {
  const n = `"${name}"`;
  switch (field.type) {
    case 'ts': return `v.Ts(${n}, ${expr});`;
    case 'price': return `v.Px(${n}, ${expr});`;
    case 'u64':
    case 'i64': return `v.Wide(${n}, ${expr});`;
    case 'char': return field.textRaw ? `v.RawChar(${n}, ${expr});` : `v.Char(${n}, ${expr});`;
    case 'cstr': return `v.Str(${n}, ${expr}.data(), ${field.len});`;
    default:
      if (!INT_TYPES.has(field.type)) throw new Error(`no text kind for ${field.type} (${field.name})`);
      return `v.Int(${n}, ${expr});`;
  }
}

function cppType(r) {
  return r.cpp.ns ? `${r.cpp.ns}::${r.cpp.name}` : r.cpp.name;
}

function visitor(r) {
  const L = [];
  const byName = new Map(r.fields.map((f) => [f.name, f]));
  L.push(`template <class V>`);
  L.push(`DBN_TEXT_VISIT void VisitText(const ${cppType(r)}& r, V& v) {`);
  for (const name of textOrder(r)) {
    const field = byName.get(name);
    if (field.type === 'header') {
      const hf = new Map(HEADER.fields.map((f) => [f.name, f]));
      L.push('  v.BeginHeader();');
      for (const h of ['ts_event', 'rtype', 'publisher_id', 'instrument_id']) L.push(`  ${visitCall(hf.get(h), `r.hd.${h}`)}`);
      L.push('  v.EndHeader();');
    } else if (field.type === 'levels') {
      const level = levelLayout(field.of);
      L.push(`  v.BeginLevels(${field.count});`);
      L.push(`  for (std::size_t i = 0; i < ${field.count}; ++i) {`);
      L.push('    v.BeginLevel(i);');
      for (const lf of level.fields.filter((f) => f.type !== 'pad')) L.push(`    ${visitCall(lf, `r.levels[i].${lf.name}`)}`);
      L.push('    v.EndLevel();');
      L.push('  }');
      L.push('  v.EndLevels();');
    } else {
      L.push(`  ${visitCall(field, `r.${name}`)}`);
    }
  }
  L.push('}');
  return L.join('\n');
}

const layoutId = (r) => r.name;

export function genTextFieldsHpp(banner) {
  const L = [];
  L.push(`// ${banner}.`);
  L.push('//');
  L.push('// Every record layout as a sequence of typed text fields in the order the');
  L.push('// `dbn` crate writes CSV columns and JSON keys. A visitor V receives');
  L.push('// Ts/Px/Wide/Int/Char/RawChar/Str calls plus the header and level brackets.');
  L.push('#pragma once');
  L.push('');
  L.push('#include <cstddef>');
  L.push('#include <cstdint>');
  L.push('');
  L.push('#include "databento/enums.hpp"');
  L.push('#include "databento/records.hpp"');
  L.push('');
  L.push('// Optimized builds inline each visit whole, so a visitor\'s state stays in');
  L.push('// registers; unoptimized (sanitizer) builds would only bloat.');
  L.push('#if defined(__OPTIMIZE__)');
  L.push('#define DBN_TEXT_VISIT [[gnu::always_inline]] inline');
  L.push('#else');
  L.push('#define DBN_TEXT_VISIT inline');
  L.push('#endif');
  L.push('');
  L.push('namespace databento::text {');
  L.push('');
  L.push('// One id per record layout (v1/v2 layouts that differ have their own).');
  L.push('enum class Layout : std::uint8_t {');
  for (const r of RECORDS) L.push(`  ${layoutId(r)},`);
  L.push('  None,');
  L.push('};');
  L.push('');
  L.push('// Size in bytes of a layout (ts_out excluded).');
  L.push('constexpr std::size_t LayoutSize(Layout layout) {');
  L.push('  switch (layout) {');
  for (const r of RECORDS) L.push(`    case Layout::${layoutId(r)}: return ${r.size};`);
  L.push('    case Layout::None: break;');
  L.push('  }');
  L.push('  return 0;');
  L.push('}');
  L.push('');
  L.push('// Offset of the index timestamp that symbol lookups use: ts_recv where the');
  L.push('// layout has it, else hd.ts_event.');
  L.push('constexpr std::size_t IndexTsOffset(Layout layout) {');
  L.push('  switch (layout) {');
  for (const r of RECORDS) L.push(`    case Layout::${layoutId(r)}: return ${r.fields.find((f) => f.name === 'ts_recv')?.offset ?? 8};`);
  L.push('    case Layout::None: break;');
  L.push('  }');
  L.push('  return 8;');
  L.push('}');
  L.push('');
  L.push('// The layout of a record with this rtype whose body (record minus any ts_out)');
  L.push('// is `size` bytes: older versions of a record are shorter, so the largest');
  L.push('// layout that fits is the record\'s own (DBN records keep their version as-is).');
  L.push('constexpr Layout LayoutOf(std::uint8_t rtype, std::size_t size) {');
  L.push('  switch (rtype) {');
  const rtypes = [...new Set(RECORDS.flatMap((r) => r.rtypes))].sort((a, b) => a - b);
  for (const rt of rtypes) {
    const layouts = RECORDS.filter((r) => r.rtypes.includes(rt)).sort((a, b) => b.size - a.size);
    L.push(`    case 0x${rt.toString(16).padStart(2, '0')}:`);
    for (const r of layouts) L.push(`      if (size >= ${r.size}) return Layout::${layoutId(r)};`);
    L.push('      return Layout::None;');
  }
  L.push('    default: return Layout::None;');
  L.push('  }');
  L.push('}');
  L.push('');
  L.push('// The record type of a schema (mbp-1 and tbbo share one).');
  L.push('constexpr std::uint8_t SchemaRType(Schema schema) {');
  L.push('  switch (schema) {');
  for (const [name, rt] of SCHEMA_RTYPE) L.push(`    case Schema::${name}: return 0x${rt.toString(16).padStart(2, '0')};`);
  L.push('  }');
  L.push('  return 0xFF;');
  L.push('}');
  L.push('');
  L.push('// The layout of a schema\'s records in DBN `version`.');
  L.push('constexpr Layout SchemaLayout(Schema schema, std::uint8_t version) {');
  L.push('  const std::uint8_t rtype = SchemaRType(schema);');
  const bySchemaRtype = [...new Set(SCHEMA_RTYPE.map(([, rt]) => rt))];
  L.push('  switch (rtype) {');
  for (const rt of bySchemaRtype) {
    const layouts = RECORDS.filter((r) => r.rtypes.includes(rt));
    L.push(`    case 0x${rt.toString(16).padStart(2, '0')}:`);
    for (const r of layouts) L.push(`      if (${r.versions.map((v) => `version == ${v}`).join(' || ')}) return Layout::${layoutId(r)};`);
    L.push('      return Layout::None;');
  }
  L.push('    default: return Layout::None;');
  L.push('  }');
  L.push('}');
  L.push('');
  for (const r of RECORDS) {
    L.push(`// ${r.name}: ${textOrder(r).length} fields.`);
    L.push(visitor(r));
    L.push('');
  }
  L.push('// Visits the record at `rec` (8-byte aligned) as `layout`.');
  L.push('template <class V>');
  L.push('void VisitRecord(Layout layout, const std::uint8_t* rec, V& v) {');
  L.push('  switch (layout) {');
  for (const r of RECORDS) L.push(`    case Layout::${layoutId(r)}: return VisitText(*reinterpret_cast<const ${cppType(r)}*>(rec), v);`);
  L.push('    case Layout::None: return;');
  L.push('  }');
  L.push('}');
  L.push('');
  L.push('}  // namespace databento::text');
  return L.join('\n') + '\n';
}
