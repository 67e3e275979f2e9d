import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * SSO's hot paths (every authorize, token and refresh request) talk to PostgreSQL through the DataSource's own pg
 * pool: plain rows whatever the statement (TypeORM reshapes UPDATE/DELETE … RETURNING), and named prepared
 * statements where a query runs on every request.
 */
export type Queryable = Pick<Pool, 'query'> | PoolClient;

export function pool(dataSource: DataSource): Pool {
  const driver = dataSource.driver as unknown as { master?: Pool };
  if (!driver.master) throw new Error('sso: the DataSource is not an initialised PostgreSQL data source');
  return driver.master;
}

export async function rows<T extends QueryResultRow>(
  db: DataSource | Queryable,
  text: string,
  values: unknown[] = [],
  name?: string,
): Promise<T[]> {
  const target = isDataSource(db) ? pool(db) : db;
  const result = await target.query<T>(name ? { name, text, values } : { text, values });
  return result.rows;
}

export async function one<T extends QueryResultRow>(
  db: DataSource | Queryable,
  text: string,
  values: unknown[] = [],
  name?: string,
): Promise<T | undefined> {
  return (await rows<T>(db, text, values, name))[0];
}

/** Runs `work` in one transaction on one pooled connection. */
export async function transaction<T>(
  dataSource: DataSource,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool(dataSource).connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function isDataSource(db: DataSource | Queryable): db is DataSource {
  return 'driver' in db;
}
