// Counts what the engine asks of the database, by wrapping the libSQL client drizzle talks to:
// every autocommit statement, batch and interactive transaction is one transaction for SQLite.
import type { Client, InArgs, InStatement, Transaction, TransactionMode } from '@libsql/client'

export interface DbCounts {
  /** Transactions that write: a batch, an interactive write transaction, an autocommit write. */
  writeTransactions: number
  /** Autocommit reads (each one is its own read transaction). */
  reads: number
  /** Statements sent, inside transactions or not. */
  statements: number
  batches: number
  interactiveTransactions: number
}

export interface RecordedStatement {
  sql: string
  args: InArgs
}

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i

function normalize(stmt: InStatement | string, args?: InArgs): RecordedStatement {
  if (typeof stmt === 'string') return { sql: stmt, args: args ?? [] }
  if (Array.isArray(stmt)) return { sql: stmt[0], args: stmt[1] ?? [] }
  return { sql: stmt.sql, args: stmt.args ?? [] }
}

export class DbCounter {
  counts: DbCounts = emptyCounts()
  private recording: RecordedStatement[] | undefined

  /** Patches `client` in place: drizzle keeps a reference to this very object. */
  constructor(client: Client) {
    const execute = client.execute.bind(client) as (stmt: InStatement | string, args?: InArgs) => ReturnType<Client['execute']>
    const batch = client.batch.bind(client)
    const transaction = client.transaction.bind(client)

    client.execute = ((stmt: InStatement | string, args?: InArgs) => {
      const recorded = normalize(stmt, args)
      this.seen(recorded)
      if (WRITE.test(recorded.sql)) this.counts.writeTransactions++
      else this.counts.reads++
      return execute(stmt, args)
    }) as Client['execute']

    client.batch = ((stmts: InStatement[], mode?: TransactionMode) => {
      this.counts.batches++
      this.counts.writeTransactions++
      for (const stmt of stmts) this.seen(normalize(stmt))
      return batch(stmts, mode)
    }) as Client['batch']

    client.transaction = (async (mode?: TransactionMode) => {
      this.counts.interactiveTransactions++
      if (mode !== 'read') this.counts.writeTransactions++
      const tx = await transaction(mode)
      const txExecute = tx.execute.bind(tx) as (stmt: InStatement) => ReturnType<Transaction['execute']>
      tx.execute = ((stmt: InStatement) => {
        this.seen(normalize(stmt))
        return txExecute(stmt)
      }) as Transaction['execute']
      return tx
    }) as Client['transaction']
  }

  reset(): DbCounts {
    const before = this.counts
    this.counts = emptyCounts()
    return before
  }

  /** The statements `work` sends, in order (to EXPLAIN them). */
  async record(work: () => Promise<unknown>): Promise<RecordedStatement[]> {
    this.recording = []
    try {
      await work()
      return this.recording
    }
    finally {
      this.recording = undefined
    }
  }

  private seen(statement: RecordedStatement) {
    this.counts.statements++
    this.recording?.push(statement)
  }
}

function emptyCounts(): DbCounts {
  return { writeTransactions: 0, reads: 0, statements: 0, batches: 0, interactiveTransactions: 0 }
}
