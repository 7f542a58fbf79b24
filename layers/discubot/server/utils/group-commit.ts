// Group commit: writers that arrive together share one transaction. Each hands in its statements
// and gets back its own results once the shared batch is committed — never before — or the
// batch's error, so every writer answers exactly as if it had committed alone: 2xx only after its
// rows are committed, 503 when the database failed (each of them). A commit costs a WAL append and an
// fsync whatever it holds, so at a burst of webhooks this turns N commits into one.
import { useDb, type Db, type Write } from './db'
import { isTransientDbError } from './db-retry'

/** How long the first writer of a group waits for company. */
export const GROUP_WINDOW_MS = 1
/** A group this large is committed at once. */
export const GROUP_MAX_WRITERS = 64

interface Writer {
  writes: Write[]
  resolve: (results: unknown[]) => void
  reject: (error: unknown) => void
}

interface Group {
  writers: Writer[]
  timer: ReturnType<typeof setTimeout>
}

export class GroupCommit {
  /** Per database handle: tests play two instances in one process (runWithDb). */
  private readonly open = new Map<Db, Group>()

  constructor(private readonly windowMs = GROUP_WINDOW_MS, private readonly maxWriters = GROUP_MAX_WRITERS) {}

  /** Commits `writes` with whoever else arrives within the window; resolves to their results, in order. */
  commit(writes: Write[]): Promise<unknown[]> {
    const db = useDb()
    return new Promise((resolve, reject) => {
      let group = this.open.get(db)
      if (!group) {
        group = { writers: [], timer: setTimeout(() => this.flush(db), this.windowMs) }
        this.open.set(db, group)
      }
      group.writers.push({ writes, resolve, reject })
      if (group.writers.length >= this.maxWriters) this.flush(db)
    })
  }

  private flush(db: Db) {
    const group = this.open.get(db)
    if (!group) return
    this.open.delete(db)
    clearTimeout(group.timer)
    const all = group.writers.flatMap(writer => writer.writes)
    db.batch(all as [Write, ...Write[]]).then((results) => {
      let at = 0
      for (const writer of group.writers) {
        writer.resolve(results.slice(at, at + writer.writes.length))
        at += writer.writes.length
      }
    }, (error) => {
      // The database is unavailable: every writer would fail alone too.
      if (group.writers.length === 1 || isTransientDbError(error)) {
        for (const writer of group.writers) writer.reject(error)
        return
      }
      // One writer's statements are wrong (a constraint): the others must not fail with it, now
      // or on every redelivery, so each is committed alone and answered with its own outcome.
      for (const writer of group.writers) db.batch(writer.writes as [Write, ...Write[]]).then(writer.resolve, writer.reject)
    })
  }
}
