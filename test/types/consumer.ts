// Every public entry point's types, as a consumer compiles them.
import * as databento from 'databento-node';
import * as testing from 'databento-node/testing';

export const entryPoints = [databento, testing];
