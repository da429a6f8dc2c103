/** A PostgreSQL cluster started in a temp directory on a free 127.0.0.1 port. */
export interface PgCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): string;
  /** Stops the cluster and deletes its directory. */
  stop(): void;
}

/** Starts a cluster, or resolves to the reason it cannot (PostgreSQL not installed, no unprivileged user…). */
export function startPostgres(): Promise<PgCluster | string>;
