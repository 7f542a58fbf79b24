// Keeps a lease alive while its holder works: renews it every third of its length. A renewal that
// finds the lease gone calls `onLost`; renewals that fail (database down) keep trying until the
// lease would have run out, then call `onLost` too, since another worker may take it from then on.

export function startLeaseHeartbeat(renew: () => Promise<boolean>, leaseMs: number, onLost: () => void): () => void {
  let validUntil = Date.now() + leaseMs
  let stopped = false
  const beat = async () => {
    const sentAt = Date.now()
    try {
      if (await renew()) validUntil = sentAt + leaseMs
      else onLost()
    }
    catch {
      if (Date.now() >= validUntil) onLost()
    }
  }
  const timer = setInterval(() => {
    if (!stopped) void beat()
  }, Math.max(100, Math.floor(leaseMs / 3)))
  timer.unref?.()
  return () => {
    stopped = true
    clearInterval(timer)
  }
}
