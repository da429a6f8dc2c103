/**
 * The PostgreSQL target.
 * @module
 */
import { IngestError, type IngestTarget } from './target.js';

export const PostgresTarget = {
  async open(_url: string): Promise<IngestTarget> {
    throw new IngestError('postgres:// targets are not supported by this version; use a DuckDB file path', 'BAD_TARGET');
  },
};
