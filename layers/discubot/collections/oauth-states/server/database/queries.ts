// OAuth install states: minted when an owner starts an install, consumed by exactly one callback
// (one UPDATE … WHERE unused RETURNING, so two racing callbacks cannot both win). The state itself
// is never stored, only its SHA-256: a plain hash suffices for 256 random bits.
import { createHash } from 'node:crypto'
import { and, eq, gt, isNull, lte } from 'drizzle-orm'
import { useDb } from '../../../../server/utils/db'
import type { OauthProvider } from '../../../../shared/domain'
import { discubotOauthStates, type DiscubotOauthState } from './schema'

const t = discubotOauthStates

export interface OauthStateBinding {
  /** The state as the provider echoes it back. */
  state: string
  provider: OauthProvider
  teamId: string
  userId: string
}

const hashOf = (state: string) => createHash('sha256').update(state, 'utf8').digest('hex')

/** Records a new state (and forgets the expired ones: nothing can consume them any more). */
export async function mintDiscubotOauthState(binding: OauthStateBinding & { expiresAt: Date }, now = new Date()): Promise<void> {
  const { state, ...row } = binding
  const db = useDb()
  await db.batch([
    db.delete(t).where(lte(t.expiresAt, now)),
    db.insert(t).values({ ...row, stateHash: hashOf(state), createdBy: row.userId, updatedBy: row.userId, createdAt: now, updatedAt: now }),
  ])
}

/**
 * Marks the state used if it is unused, unexpired and bound to this team and user; undefined
 * otherwise (unknown, expired, already used, or started by someone else, whose state stays usable).
 */
export async function consumeDiscubotOauthState(binding: OauthStateBinding, now = new Date()): Promise<DiscubotOauthState | undefined> {
  const [row] = await useDb().update(t)
    .set({ usedAt: now, updatedBy: binding.userId, updatedAt: now })
    .where(and(
      eq(t.stateHash, hashOf(binding.state)),
      eq(t.provider, binding.provider),
      eq(t.teamId, binding.teamId),
      eq(t.userId, binding.userId),
      isNull(t.usedAt),
      gt(t.expiresAt, now),
    ))
    .returning()
  return row
}
