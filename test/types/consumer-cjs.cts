// The CommonJS build's types, as a `require` consumer compiles them.
import databento = require('databento-node');
import testing = require('databento-node/testing');

export const entryPoints = [databento, testing];
