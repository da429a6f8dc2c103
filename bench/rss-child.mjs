// Iterates every record of a DBN file in a fresh process and prints its
// peak RSS in bytes, so memory can be compared across file sizes.
import { DbnStore } from '../dist/lib/index.js';

let sum = 0;
for (const rec of DbnStore.fromFile(process.argv[2])) sum += rec.size;
process.stdout.write(JSON.stringify({ sum, maxRss: process.resourceUsage().maxRSS * 1024 }));
