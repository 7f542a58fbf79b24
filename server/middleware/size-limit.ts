// Caps API request bodies. h3 buffers a body of any size before a handler can look at it, so a
// multi-megabyte (or endless chunked) body would sit in memory just to be refused by validation.
// Admin bodies are a few KB and webhook deliveries far below the webhooks' own limit: anything
// larger is a 413 before it is buffered.
import type { IncomingMessage } from 'node:http'
import { MAX_WEBHOOK_BODY_BYTES } from '#layers/discubot/server/webhooks/http'

const MAX_API_BODY_BYTES = MAX_WEBHOOK_BODY_BYTES
const PAYLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

const tooLarge = () => createError({ statusCode: 413, statusMessage: 'Payload Too Large', message: `Request body is larger than ${MAX_API_BODY_BYTES} bytes` })

/** Reads a body of unknown length up to `max` bytes; past it, drains the rest unbuffered and rejects. */
function readCapped(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= max) return void chunks.push(chunk)
      req.off('data', onData)
      req.resume()
      reject(tooLarge())
    }
    req.on('data', onData)
    req.once('end', () => resolve(Buffer.concat(chunks)))
    req.once('error', reject)
  })
}

export default defineEventHandler(async (event) => {
  if (!PAYLOAD_METHODS.has(event.method) || !event.path.startsWith('/api/')) return
  const declared = Number(getRequestHeader(event, 'content-length'))
  if (Number.isFinite(declared) && declared > MAX_API_BODY_BYTES) throw tooLarge()
  if (!/\bchunked\b/i.test(getRequestHeader(event, 'transfer-encoding') ?? '')) return
  // No declared length: read it here, within the cap, and leave the bytes where h3's readRawBody looks.
  const req = event.node.req as IncomingMessage & { rawBody?: Buffer }
  req.rawBody = await readCapped(req, MAX_API_BODY_BYTES)
})
