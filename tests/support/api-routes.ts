// Every API route of the server, read from the files under server/api the way Nitro routes them
// (`jobs/[id].get.ts` → GET /api/jobs/:id), so tests that walk the routes cover tomorrow's route
// without being told about it.
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ROOT } from './paths'

export interface ApiRoute {
  /** `PATCH /api/configs/:id`: how tests name a route. */
  key: string
  method: string
  /** `/api/configs/:id` */
  pattern: string
  params: string[]
  /** Relative to the repository root. */
  file: string
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete'])
const API_DIR = join(ROOT, 'server', 'api')

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)])
}

function routeOf(file: string): ApiRoute {
  const rel = relative(API_DIR, file).replace(/\\/g, '/')
  const match = /^(.*?)(?:\.(\w+))?\.ts$/.exec(rel)
  const method = match?.[2]
  // A file without a method answers every method; none exists yet, and a test should decide what to send it.
  if (!match || !method || !METHODS.has(method)) throw new Error(`server/api/${rel}: name it <route>.<method>.ts so the route tests know its method`)
  const segments = match[1]!.split('/').filter((segment, i, all) => !(segment === 'index' && i === all.length - 1))
  const params: string[] = []
  const path = segments.map((segment) => {
    const param = /^\[(\w+)\]$/.exec(segment)?.[1]
    if (segment.includes('[') && !param) throw new Error(`server/api/${rel}: catch-all and mixed segments are not covered by the route tests`)
    if (!param) return segment
    params.push(param)
    return `:${param}`
  })
  const pattern = `/api/${path.join('/')}`.replace(/\/$/, '')
  return { key: `${method.toUpperCase()} ${pattern}`, method: method.toUpperCase(), pattern, params, file: relative(ROOT, file) }
}

export function listApiRoutes(): ApiRoute[] {
  return filesUnder(API_DIR).filter(file => file.endsWith('.ts')).map(routeOf).sort((a, b) => a.key.localeCompare(b.key))
}

/** The route's URL path with each `:param` replaced (values are sent as given: encode them first if needed). */
export function routePath(route: ApiRoute, params: Record<string, string>): string {
  return route.pattern.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`${route.key}: no value for :${name}`)
    return value
  })
}

/** The collection a route's `:id` names: the segment before it (`/api/configs/:id/check` → `configs`). */
export function idCollection(route: ApiRoute): string | undefined {
  const segments = route.pattern.split('/')
  const at = segments.indexOf(':id')
  return at > 0 ? segments[at - 1] : undefined
}

export const takesBody = (route: ApiRoute) => route.method !== 'GET'
