import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, nanosToDate, nanosToIso, toNanos, UNDEF_TIMESTAMP } from '../lib/index.js';

describe('nanosecond timestamps', () => {
  it('parse ISO strings without losing digits, treating a missing zone as UTC', () => {
    expect(toNanos('2020-12-28T13:00:00.000429831Z', 't')).toBe(1609160400000429831n);
    expect(toNanos('2020-12-28T13:00:00.000429831', 't')).toBe(1609160400000429831n);
    expect(toNanos('2020-12-28', 't')).toBe(1609113600000000000n);
    expect(toNanos('2020-12-28 13:00', 't')).toBe(1609160400000000000n);
    expect(toNanos('2020-12-28T14:00:00.5+01:00', 't')).toBe(1609160400500000000n);
    expect(toNanos(new Date(Date.UTC(2020, 11, 28)), 't')).toBe(1609113600000000000n);
    expect(toNanos(1609113600000000000n, 't')).toBe(1609113600000000000n);
  });

  it('reject what is not a time', () => {
    expect(() => toNanos('yesterday', 'start')).toThrow(InvalidArgumentError);
    expect(() => toNanos('yesterday', 'start')).toThrow(/start "yesterday"/);
    expect(() => toNanos(-1n, 'end')).toThrow(InvalidArgumentError);
    expect(() => toNanos(new Date(NaN), 'end')).toThrow(/invalid Date/);
  });

  it('format nanoseconds as ISO strings and Dates', () => {
    expect(nanosToIso(1609160400000429831n)).toBe('2020-12-28T13:00:00.000429831Z');
    expect(nanosToIso(UNDEF_TIMESTAMP)).toBeNull();
    expect(nanosToDate(1609160400000429831n)?.toISOString()).toBe('2020-12-28T13:00:00.000Z');
    expect(nanosToDate(UNDEF_TIMESTAMP)).toBeNull();
    for (const ns of [0n, 1n, 999_999_999n, 1609160400000429831n]) expect(toNanos(nanosToIso(ns)!, 't')).toBe(ns);
  });
});
