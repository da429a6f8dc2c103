/**
 * DBN metadata as the `dbn` CLI prints it with `--json --metadata`
 * (text-formats.md §5.2): its key order, 64-bit values as strings, mapping
 * dates as YYYYMMDD numbers (plain) or ISO dates (pretty), compact or with the
 * 4-space indentation of `--pretty`.
 * @internal
 * @module
 */
import type { Metadata } from '../dbn/metadata.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const UNDEF_TIMESTAMP = 2n ** 64n - 1n;

/** json-writer's string escaping (including `/` → `\/`). */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\' || ch === '/') out += `\\${ch}`;
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function format(v: Json, indent: boolean, depth: number): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return quote(v);
  const pad = (d: number) => (indent ? '\n' + '    '.repeat(d) : '');
  const entries = Array.isArray(v)
    ? v.map((x) => format(x, indent, depth + 1))
    : Object.entries(v).map(([k, x]) => `${quote(k)}:${indent ? ' ' : ''}${format(x, indent, depth + 1)}`);
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return open + close;
  return open + entries.map((e) => pad(depth + 1) + e).join(',') + pad(depth) + close;
}

function timestamp(ns: bigint, pretty: boolean): string | null {
  if (!pretty) return ns.toString();
  if (ns === 0n || ns === UNDEF_TIMESTAMP) return null;
  const ms = ns / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString().slice(0, 19);
  return `${iso}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

/** The metadata JSON text (no trailing newline). */
export function metadataJson(md: Metadata, pretty: boolean): string {
  const date = (iso: string): Json => (pretty ? iso : Number(iso.replaceAll('-', '')));
  const value: Json = {
    version: md.version,
    dataset: md.dataset,
    schema: md.schema,
    start: timestamp(md.start, pretty),
    end: md.end === UNDEF_TIMESTAMP ? null : timestamp(md.end, pretty),
    limit: md.limit === 0n ? null : md.limit.toString(),
    stype_in: md.stype_in,
    stype_out: md.stype_out,
    ts_out: md.ts_out,
    symbol_cstr_len: md.symbol_cstr_len,
    symbols: md.symbols,
    partial: md.partial,
    not_found: md.not_found,
    mappings: md.mappings.map((m) => ({
      raw_symbol: m.raw_symbol,
      intervals: m.intervals.map((iv) => ({ start_date: date(iv.start_date), end_date: date(iv.end_date), symbol: iv.symbol })),
    })),
  };
  return format(value, pretty, 0);
}
