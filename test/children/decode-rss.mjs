// Decodes a file through one public path and prints the outcome with the
// process's peak RSS, as JSON. Run in its own process so the peak is its own.
// Usage: node decode-rss.mjs <package root> <mode> <file> [maxMetadataBytes]
//   store   DbnStore.fromFile, every batch
//   decoder DbnDecoder.write(whole file) then read() until null
//   stream  DbnDecodeStream piped from a file stream
//   drip    DbnDecoder fed the file, then 300 MiB more in 1 MiB chunks
import { createReadStream, readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, mode, file, maxArg] = process.argv.slice(2);
const { DbnDecodeStream, DbnDecoder, DbnStore } = await import(pathToFileURL(join(root, 'dist/lib/index.js')).href);
const options = maxArg ? { maxMetadataBytes: Number(maxArg) } : undefined;

let records = 0;
let error;
try {
  if (mode === 'store') {
    for await (const batch of DbnStore.fromFile(file, options).batches()) records += batch.count;
  } else if (mode === 'decoder') {
    const decoder = new DbnDecoder(options);
    for (let b = decoder.write(readFileSync(file)); b; b = decoder.read()) records += b.count;
    decoder.end();
  } else if (mode === 'stream') {
    await pipeline(createReadStream(file), new DbnDecodeStream(options), async (batches) => {
      for await (const batch of batches) records += batch.count;
    });
  } else if (mode === 'drip') {
    const decoder = new DbnDecoder(options);
    const filler = new Uint8Array(1 << 20);
    const feed = (chunk) => {
      for (let b = decoder.write(chunk); b; b = decoder.read()) records += b.count;
    };
    try {
      feed(readFileSync(file));
    } catch (e) {
      error = e;
    }
    for (let i = 0; i < 300; i++) {
      try {
        feed(filler);
      } catch (e) {
        error ??= e;
      }
    }
  }
} catch (e) {
  error = e;
}
process.stdout.write(
  JSON.stringify({
    records,
    code: error?.code,
    message: error?.message,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
