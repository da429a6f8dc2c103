#!/usr/bin/env node
/**
 * The `databento-node` command. Each subcommand lives in its own module under
 * ./commands and is listed here.
 * @internal
 * @module
 */
import * as demo from './commands/demo.js';
import * as ingest from './commands/ingest.js';
import * as mock from './commands/mock.js';
import { main, type CommandModule } from './util.js';

const commands: CommandModule[] = [
  demo,
  ingest,
  mock,
];

void main(commands);
