#!/usr/bin/env node
/**
 * The `databento-node` command. Each subcommand lives in its own module under
 * ./commands and is listed here.
 * @internal
 * @module
 */
import { main, type CommandModule } from './util.js';

const commands: CommandModule[] = [];

void main(commands);
