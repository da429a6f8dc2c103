// Reference-data rows made from the API's test vectors, a million at a time:
// each row is the vector with its own ids and dates, as JSON text.
import { ADJUSTMENT_FACTORS_LINES, CORPORATE_ACTIONS_LINES } from '../dist/lib/testing/index.js';

const DAY_MS = 86_400_000;
const day = (i) => new Date(Date.UTC(2000, 0, 1) + (i % 9000) * DAY_MS).toISOString().slice(0, 10);

/** The vector of an endpoint cut where the per-row values go. */
const TEMPLATES = {
  'corporate_actions.get_range': cut(CORPORATE_ACTIONS_LINES[1], ['"U-40179751345-16556634"', '"2023-10-10"']),
  'adjustment_factors.get_range': cut(ADJUSTMENT_FACTORS_LINES[0], ['"E-3287361-DIV"', '"2024-05-01"']),
};

function cut(line, marks) {
  const parts = [];
  let rest = line;
  for (const mark of marks) {
    const at = rest.indexOf(mark);
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + mark.length);
  }
  parts.push(rest);
  return parts;
}

/** `n` JSON lines of an endpoint (each without its newline). */
export function* referenceLines(endpoint, n) {
  const [a, b, c] = TEMPLATES[endpoint];
  for (let i = 0; i < n; i++) yield `${a}"E-${i}"${b}"${day(i)}"${c}`;
}

export const BENCH_ENDPOINTS = Object.keys(TEMPLATES);
