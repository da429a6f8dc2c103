/**
 * Loads the native addon: a prebuilt binary from `prebuilds/` when one fits
 * this platform, else the one compiled from source at install time.
 *
 * The same source serves the ESM build (dist/lib) and the CommonJS build
 * (dist/cjs/lib); the CommonJS build rewrites `import.meta.url`
 * (scripts/build-cjs.mjs).
 * @internal
 * @module
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { familySync } from './platform.js';
import { DbnError, LiveError } from './errors.js';

// Not named `require`: in the CommonJS build that name is the module's own.
const nodeRequire = createRequire(import.meta.url);
/** The package root: the sources run from lib/, the builds from dist/lib/ and dist/cjs/lib/. */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'binding.gyp'))) return d;
    if (dirname(d) === d) throw new Error(`databento-node: cannot find the package root above ${dir}`);
  }
}

/** What to do when no binary loads, for the error message. */
const BUILD_HINT =
  'To build from source, install python3, make and a C++20 compiler (g++ >= 10), then run ' +
  '`npm rebuild databento-node` (or `npx node-gyp rebuild` in the package directory).';

/** The path of the binary node-gyp-build picks: build/Release, else the best-matching prebuild. */
function binaryPath(): string {
  const nodeGypBuild = nodeRequire('node-gyp-build') as { resolve(dir: string): string };
  try {
    return nodeGypBuild.resolve(packageRoot);
  } catch (cause) {
    throw loadError(cause);
  }
}

function loadError(cause: unknown, path?: string): Error {
  const reason = cause instanceof Error ? cause.message.trim() : String(cause);
  return new Error(
    `databento-node: no usable native binary for platform=${process.platform} arch=${process.arch} ` +
      `libc=${familySync()} node=${process.versions.node} (N-API ${process.versions.napi})` +
      (process.versions['electron'] ? ` electron=${process.versions['electron']}` : '') +
      '. ' +
      (path ? `Loading ${path} failed with: ${reason}. ` : `${reason}. `) +
      BUILD_HINT,
    { cause },
  );
}

/**
 * One addon per JS environment (main thread, each worker), shared by the ESM
 * and CommonJS builds when a process loads both: keyed by the binary's path,
 * so two different installed versions never share one.
 */
function load(): NativeAddon {
  const path = binaryPath();
  const key = Symbol.for(`databento-node.native:${path}`);
  const slots = globalThis as unknown as { [key: symbol]: NativeAddon | undefined };
  const loaded = slots[key];
  if (loaded) return loaded;
  let addon: NativeAddon;
  try {
    addon = nodeRequire(path) as NativeAddon;
  } catch (cause) {
    throw loadError(cause, path);
  }
  // Errors the addon throws are instances of the first loaded copy's classes.
  addon.setErrorClasses({ DbnError, LiveError });
  // Batches are copied into new ArrayBuffers whole: zero-filling them first
  // (as the addon's own allocation must) would cost more than the copy.
  addon.setBufferAllocator((size) => Buffer.allocUnsafeSlow(size).buffer);
  slots[key] = addon;
  return addon;
}

/** A batch of records as the addon hands it over. */
export interface NativeBatch {
  buffer: ArrayBuffer;
  /** Bytes of records at the start of `buffer`, when fewer than all of it. */
  byteLength?: number;
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
  maxMetadataBytes?: number;
}

export interface NativeDecoder {
  write(bytes: Uint8Array): void;
  writeAsync(bytes: Uint8Array): Promise<void>;
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

export interface NativeZstdDecompressor {
  /** Returns [input bytes consumed, output bytes written]; a full output means more may be pending. */
  decompressInto(input: Uint8Array, output: Uint8Array): [number, number];
  atFrameBoundary(): boolean;
}

export interface NativeZstdCompressor {
  compress(bytes: Uint8Array): Uint8Array;
  end(): Uint8Array;
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
  setBufferAllocator(allocate: (size: number) => ArrayBuffer): void;
  NativeDecoder: new (options: NativeDecoderOptions) => NativeDecoder;
  NativeFileStore: new (path: string, options: NativeDecoderOptions) => NativeFileStore;
  NativeEncoder: new (metadata: NativeMetadata, options: { zstd: boolean; level?: number }) => NativeEncoder;
  NativeZstdDecompressor: new () => NativeZstdDecompressor;
  NativeZstdCompressor: new (level?: number) => NativeZstdCompressor;
  // Further bindings (live clients) register themselves on the same object.
  [name: string]: unknown;
}

/** The addon, loaded once per JS environment (main thread or worker). */
export const native: NativeAddon = load();
