/**
 * Which C library this process runs on, for error messages and prebuild
 * selection: 'glibc', 'musl' or 'unknown'.
 * @internal
 * @module
 */
import { readFileSync } from 'node:fs';

export function familySync(): 'glibc' | 'musl' | 'unknown' {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  if (report?.header?.glibcVersionRuntime) return 'glibc';
  try {
    if (readFileSync('/usr/bin/ldd', 'latin1').includes('musl')) return 'musl';
  } catch {
    // no ldd: fall through
  }
  return 'unknown';
}
