#!/usr/bin/env node
/**
 * The `databento-node` command. Each subcommand lives in its own module under
 * ./commands and is listed here.
 * @internal
 * @module
 */
import * as batch from './commands/batch.js';
import * as dbn from './commands/dbn.js';
import * as demo from './commands/demo.js';
import * as getRange from './commands/get-range.js';
import * as ingest from './commands/ingest.js';
import * as live from './commands/live.js';
import * as metadata from './commands/metadata.js';
import * as mock from './commands/mock.js';
import * as reference from './commands/reference.js';
import * as resolve from './commands/resolve.js';
import { main, type CommandModule } from './util.js';

const commands: CommandModule[] = [
  batch,
  dbn,
  demo,
  getRange,
  ingest,
  live,
  metadata,
  mock,
  reference,
  resolve,
];

void main(commands);
