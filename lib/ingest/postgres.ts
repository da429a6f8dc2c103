/**
 * The PostgreSQL target.
 * @module
 */
import { IngestError, type IngestTarget } from './target.js';

export const PostgresTarget = {
  async open(_url: string): Promise<IngestTarget> {
    throw new IngestError('PostgreSQL targets are not available yet', 'BAD_TARGET');
  },
};
