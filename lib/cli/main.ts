#!/usr/bin/env node
/**
 * The `databento-node` command. Each subcommand lives in its own module under
 * ./commands and is listed here.
 * @internal
 * @module
 */
import * as dbn from './commands/dbn.js';
import * as demo from './commands/demo.js';
import * as ingest from './commands/ingest.js';
import * as mock from './commands/mock.js';
import * as reference from './commands/reference.js';
import { main, type CommandModule } from './util.js';

const commands: CommandModule[] = [
  dbn,
  demo,
  ingest,
  mock,
  reference,
];

void main(commands);
