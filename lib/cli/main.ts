#!/usr/bin/env node
/**
 * The `databento-node` command. Each subcommand lives in its own module under
 * ./commands and is listed here.
 * @internal
 * @module
 */
import * as ingest from './commands/ingest.js';
import { main, type CommandModule } from './util.js';

const commands: CommandModule[] = [ingest];

void main(commands);
