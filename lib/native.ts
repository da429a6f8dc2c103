/**
 * Loads the native addon: a prebuilt binary from `prebuilds/` when one fits
 * this platform, else the one compiled from source at install time.
 * @internal
 * @module
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { familySync } from './platform.js';
import { DbnError, LiveError } from './errors.js';

const require = createRequire(import.meta.url);
/** The package root: the sources run from lib/, the build from dist/lib/. */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'binding.gyp'))) return d;
    if (dirname(d) === d) throw new Error(`databento-node: cannot find the package root above ${dir}`);
  }
}

function load(): NativeAddon {
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    return nodeGypBuild(packageRoot) as NativeAddon;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new Error(
      `databento-node: no usable native binary for platform=${process.platform} arch=${process.arch} ` +
        `libc=${familySync()} node=${process.versions.node} (N-API ${process.versions.napi}). ` +
        `Loading failed with: ${reason}. ` +
        `To build from source, install python3, make and a C++20 compiler (g++ >= 10), then run ` +
        `\`npm rebuild databento-node\` (or \`npx node-gyp rebuild\` in the package directory).`,
      { cause },
    );
  }
}

/** A batch of records as the addon hands it over. */
export interface NativeBatch {
  buffer: ArrayBuffer;
  count: number;
}

export interface NativeVersions {
  inputVersion: number;
  outputVersion: number;
  tsOut: boolean;
  headerDone?: boolean;
}

export interface NativeDecoderOptions {
  upgradePolicy: 1 | 2 | 3;
  hasMetadata: boolean;
  version?: number;
  tsOut?: boolean;
}

export interface NativeDecoder {
  write(bytes: Uint8Array): void;
  read(): NativeBatch | null;
  finish(): void;
  metadata(): NativeMetadata | undefined;
  versions(): NativeVersions;
}

export interface NativeFileStore {
  metadata(): NativeMetadata | undefined;
  versions(): NativeVersions;
  readSync(batchBytes?: number): NativeBatch | null;
  read(batchBytes?: number): Promise<NativeBatch | null>;
  close(): void;
}

export interface NativeEncoder {
  write(records: Uint8Array): Uint8Array;
  flush(): Uint8Array;
  finish(): Uint8Array;
}

/** Metadata with wire values, as the addon reads and writes it. */
export interface NativeMetadata {
  version: number;
  dataset: string;
  schema: number;
  start: bigint;
  end: bigint;
  limit: bigint;
  stype_in: number;
  stype_out: number;
  ts_out: boolean;
  symbol_cstr_len: number;
  symbols: string[];
  partial: string[];
  not_found: string[];
  mappings: { raw_symbol: string; intervals: { start_date: number; end_date: number; symbol: string }[] }[];
}

export interface NativeAddon {
  setErrorClasses(classes: { DbnError: typeof DbnError; LiveError: typeof LiveError }): void;
  NativeDecoder: new (options: NativeDecoderOptions) => NativeDecoder;
  NativeFileStore: new (path: string, options: NativeDecoderOptions) => NativeFileStore;
  NativeEncoder: new (metadata: NativeMetadata, options: { zstd: boolean; level?: number }) => NativeEncoder;
  // Further bindings (live clients) register themselves on the same object.
  [name: string]: unknown;
}

/** The addon, loaded once per JS environment (main thread or worker). */
export const native: NativeAddon = load();
native.setErrorClasses({ DbnError, LiveError });
