/**
 * `databento-node resolve`: symbology resolution (symbology.resolve) as JSON.
 * @internal
 * @module
 */
import type { Command } from 'commander';
import { Historical } from '../../historical/client.js';
import type { STypeName } from '../../historical/types.js';
import { action, apiKey, writeOut } from '../util.js';

interface ResolveFlags {
  dataset: string;
  symbols: string;
  stypeIn: string;
  stypeOut: string;
  startDate: string;
  endDate?: string;
  gateway?: string;
}

/** Adds `resolve` to the program. */
export function register(program: Command): void {
  program
    .command('resolve')
    .description('Resolve symbols from one symbology to another over a date range; prints the resolution as JSON. Key from DATABENTO_API_KEY.')
    .requiredOption('--dataset <code>', 'dataset, e.g. GLBX.MDP3')
    .requiredOption('--symbols <list>', 'comma-separated symbols')
    .option('--stype-in <stype>', 'input symbology', 'raw_symbol')
    .option('--stype-out <stype>', 'output symbology', 'instrument_id')
    .requiredOption('--start-date <date>', 'first day, YYYY-MM-DD')
    .option('--end-date <date>', 'day after the last, YYYY-MM-DD')
    .option('--gateway <url>', 'historical gateway (default: DATABENTO_HIST_GATEWAY or https://hist.databento.com)')
    .action(
      action(async (flags: ResolveFlags) => {
        const client = new Historical({ key: apiKey(), ...(flags.gateway ? { gateway: flags.gateway } : {}) });
        const resolution = await client.symbology.resolve({
          dataset: flags.dataset,
          symbols: flags.symbols.split(',').map((s) => s.trim()),
          stypeIn: flags.stypeIn as STypeName,
          stypeOut: flags.stypeOut as STypeName,
          startDate: flags.startDate,
          ...(flags.endDate ? { endDate: flags.endDate } : {}),
        });
        await writeOut(JSON.stringify(resolution, null, 2) + '\n');
      }),
    );
}
