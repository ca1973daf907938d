import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Prisma } from './generated/prisma/client';

/**
 * A statement of the hot paths (every session opened, every interaction recorded), named so that PostgreSQL
 * parses and plans it once per connection rather than on every call. `Values` are its parameters, `$1`
 * onwards, and `Row` what each row of its answer holds.
 */
export interface PreparedStatement<Values extends readonly unknown[], Row> {
  readonly name: string;
  readonly text: string;
  /** Never set: carries the types of the values and rows. */
  readonly types?: { readonly values: Values; readonly row: Row };
}

export function preparedStatement<Values extends readonly unknown[], Row>(
  name: string,
  text: string,
): PreparedStatement<Values, Row> {
  return { name, text };
}

/**
 * Runs prepared statements on the database driver itself, beside Prisma and on its connections. Prisma
 * cannot name a statement, and its query interpreter costs a busy server more CPU than the driver does
 * (0.1–0.3 ms a statement): on the hot paths both are worth skipping. Everything else goes through Prisma.
 */
export interface PreparedStatements {
  run<Values extends readonly unknown[], Row>(
    statement: PreparedStatement<Values, Row>,
    values: Values,
  ): Promise<Row[]>;
}

/** On PostgreSQL, on the pool Prisma's adapter uses: each connection prepares a statement on its first run. */
export function poolStatements(pool: pg.Pool): PreparedStatements {
  return {
    async run(statement, values) {
      const { rows } = await pool.query({ name: statement.name, text: statement.text, values: [...values] });
      return rows;
    },
  };
}

/**
 * On PGlite, which has a single connection: a statement waits for any transaction Prisma has open on it, as
 * Prisma's own statements do, and is parsed on each run (PGlite names none).
 */
export function pgliteStatements(pglite: PGlite): PreparedStatements {
  return {
    async run<Values extends readonly unknown[], Row>(
      statement: PreparedStatement<Values, Row>,
      values: Values,
    ) {
      const { rows } = await pglite.query<Row>(statement.text, [...values]);
      return rows;
    },
  };
}

/**
 * Inside a Prisma transaction, on its connection: for the rare paths that must run a hot path's statement
 * in a transaction they hold. The statement is parsed on each run.
 */
export function transactionStatements(tx: Prisma.TransactionClient): PreparedStatements {
  return {
    run: (statement, values) => tx.$queryRawUnsafe(statement.text, ...values),
  };
}
