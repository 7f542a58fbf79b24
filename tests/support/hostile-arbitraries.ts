// fast-check arbitraries for what an attacker (or a broken client) sends an HTTP API: random and
// malformed JSON, wrong types under the field names our schemas use, huge strings, deep nesting,
// invalid UTF-8, odd content types, query strings and path ids. Bodies come out as bytes, so what
// is sent is exactly what was generated (no re-encoding by fetch).
import fc from 'fast-check'
import { z } from 'zod'
import * as adminInput from '#layers/discubot/shared/admin-input'
import * as authInput from '#layers/discubot/shared/auth-input'
import * as configInput from '#layers/discubot/shared/config-input'
import * as listQuery from '#layers/discubot/shared/list-query'
import * as slackEnvelope from '#layers/discubot/server/sources/slack/envelope'
import * as figmaEnvelope from '#layers/discubot/server/sources/figma/envelope'

/** Every field name of every input schema: random bodies use them so they reach the validators' branches. */
export const FIELD_NAMES: string[] = [...new Set(
  [adminInput, authInput, configInput, listQuery, slackEnvelope, figmaEnvelope]
    .flatMap(module => Object.values(module))
    .filter((value): value is z.ZodObject => value instanceof z.ZodObject)
    .flatMap(schema => Object.keys(schema.shape)),
)].sort()

const encoder = new TextEncoder()
export const utf8 = (text: string) => encoder.encode(text)

/** Percent-encodes the UTF-8 bytes of any string (lone surrogates included, which encodeURIComponent refuses). */
export function percentEncode(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'), byte =>
    /[\w.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')
}

const ODD_STRINGS = [
  '', ' ', '\u0000', '\u202E', '\uFEFF', '\uD800', '\uDFFF', '💥'.repeat(3), '../../etc/passwd', '%00', '%s%s%s%n',
  '\' OR 1=1 --', '"; DROP TABLE discubot_jobs; --', '<script>alert(1)</script>', '${7*7}', '{{7*7}}', '__proto__',
  'constructor', 'NaN', 'Infinity', '-1', '1e309', '0x7fffffff', '9007199254740993', '2026-02-30', 'null', 'undefined',
]

/** Long strings: most below the 1 MB body cap (they reach the validators), some near it. */
export const hugeString = fc.tuple(
  fc.constantFrom('A', 'é', '💥', 'ab\u0000', '\\"'),
  fc.oneof({ arbitrary: fc.integer({ min: 1_000, max: 20_000 }), weight: 3 }, { arbitrary: fc.integer({ min: 100_000, max: 300_000 }), weight: 1 }),
).map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)))

export const junkString = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 4 },
  { arbitrary: fc.constantFrom(...ODD_STRINGS), weight: 3 },
  { arbitrary: fc.string({ maxLength: 10 }), weight: 2 },
  { arbitrary: hugeString, weight: 1 },
)

export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: junkString, weight: 4 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: fc.constantFrom(null, true, false, 0, -1, -0, 1.5, 1e308, -1e308, 2 ** 53 + 1, [], {}, [null], { '': '' }), weight: 2 },
)

const fieldName = fc.oneof({ arbitrary: fc.constantFrom(...FIELD_NAMES), weight: 4 }, { arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', ''), weight: 1 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 })

/** An object under our field names with values of any type. */
export const wrongTypes = fc.dictionary(fieldName, junkValue, { maxKeys: 6 })

const deepNesting = fc.tuple(fc.integer({ min: 50, max: 50_000 }), fc.constantFrom('[', '{"ids":', '{"secrets":', '{"event":', '{"comment":[')).map(([depth, open]) => {
  const close = open === '[' ? ']' : open.endsWith('[') ? ']}' : '}'
  return `${open.repeat(depth)}1${close.repeat(depth)}`
})

/** JSON text broken in the ways hand-written or truncated bodies are. */
const malformedJson = fc.oneof(
  fc.tuple(fc.jsonValue({ maxDepth: 3 }).map(value => JSON.stringify(value) ?? 'null'), fc.nat(), fc.constantFrom('', '{', '}', '[', ']', '"', ',', ':', '\\', '\u0000', 'NaN'))
    .map(([text, at, insert]) => {
      const cut = at % (text.length + 1)
      return `${text.slice(0, cut)}${insert}${text.slice(cut + (insert ? 0 : 1))}`
    }),
  fc.constantFrom('{', '{"a":1,}', '{\'a\':1}', '{"a":01}', '{"a":1}{"a":2}', 'undefined', 'NaN', '[1,]', '{"a":"\\x41"}', '{"a":"\\ud800"}',
    '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '\uFEFF{}', '{"a":1e99999}', '"unterminated'),
)

/** Valid JSON text with invalid UTF-8 bytes spliced into it, or bytes that are not text at all. */
const invalidUtf8 = fc.oneof(
  fc.tuple(fc.jsonValue({ maxDepth: 2 }).map(value => JSON.stringify({ name: value, ids: ['x'] })), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8, min: 0x80, max: 0xFF }))
    .map(([text, at, bytes]) => {
      const raw = utf8(text)
      const cut = at % (raw.length + 1)
      return Uint8Array.from([...raw.subarray(0, cut), ...bytes, ...raw.subarray(cut)])
    }),
  fc.uint8Array({ maxLength: 512 }),
  fc.constantFrom(Uint8Array.of(0xC0, 0x80), Uint8Array.of(0xED, 0xA0, 0x80), Uint8Array.of(0xF4, 0x90, 0x80, 0x80), Uint8Array.of(0xFF, 0xFE, 0x7B, 0x7D)),
)

export interface BodyInput {
  kind: 'json' | 'wrong-types' | 'malformed-json' | 'deep-nesting' | 'invalid-utf8' | 'huge-string'
  bytes: Uint8Array
}

const bodyKinds = {
  'json': fc.jsonValue({ maxDepth: 4 }).map(value => utf8(JSON.stringify(value) ?? 'null')),
  'wrong-types': wrongTypes.map(value => utf8(JSON.stringify(value))),
  'malformed-json': malformedJson.map(utf8),
  'deep-nesting': deepNesting.map(utf8),
  'invalid-utf8': invalidUtf8,
  'huge-string': fc.tuple(fc.constantFrom(...FIELD_NAMES), hugeString).map(([key, value]) => utf8(JSON.stringify({ [key]: value }))),
} satisfies Record<BodyInput['kind'], fc.Arbitrary<Uint8Array>>

export const body: fc.Arbitrary<BodyInput> = fc.oneof(...Object.entries(bodyKinds).map(([kind, bytes]) =>
  bytes.map(value => ({ kind: kind as BodyInput['kind'], bytes: value }))))

/** Mostly JSON (so bodies reach the parser), sometimes what a form, a proxy or a fuzzer sends. */
export const contentType = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8'), weight: 6 },
  {
    arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1',
      'application/xml', 'APPLICATION/JSON', 'application/json, text/plain', '*/*', 'application/jsonp'),
    weight: 2,
  },
)

const queryKey = fc.oneof({ arbitrary: fc.constantFrom(...FIELD_NAMES), weight: 4 }, { arbitrary: fc.constantFrom('a[b]', 'page[]', '__proto__[x]', 'constructor[prototype][x]', ''), weight: 1 }, { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 1 })
const queryValue = fc.oneof(
  { arbitrary: junkString.map(percentEncode), weight: 5 },
  { arbitrary: fc.constantFrom('%', '%zz', '%FF%FE', '%C0%AF', '%E0%80', '%00', '1%2C2', 'a%26b%3Dc'), weight: 2 },
  { arbitrary: fc.oneof(fc.integer(), fc.double()).map(String), weight: 2 },
)

/** A query string (without `?`): our parameters with junk values, repeated keys, bracket syntax, stray `&` and `=`. */
export const queryString = fc.array(fc.oneof(
  { arbitrary: fc.tuple(queryKey.map(percentEncode), queryValue).map(([key, value]) => `${key}=${value}`), weight: 6 },
  { arbitrary: fc.constantFrom('&', '=', '==', 'page', 'q=', '&&q=x&&'), weight: 1 },
), { maxLength: 8 }).map(parts => parts.join('&'))

/** Path ids as sent on the wire: too long, empty-ish, encoded separators and dots, invalid escapes, injections. */
export function pathId(realIds: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: junkString.filter(text => text.length < 2_000).map(percentEncode), weight: 4 },
    { arbitrary: fc.constantFrom('%', '%zz', '%00', '%FF', '%2e%2e', '%2E%2E%2F%2E%2E', '..%2Fjobs', '%2F', '%5C', '%20', 'a'.repeat(64), 'a'.repeat(65), 'A'.repeat(5_000), '0', '-1', 'null', 'index'), weight: 3 },
    ...(realIds.length ? [{ arbitrary: fc.constantFrom(...realIds).chain(id => fc.constantFrom(id, id.toUpperCase(), `${id}%00`, `${id}%20`, `${id}x`, percentEncode(`${id}'--`))), weight: 2 }] : []),
  )
}

export const REMOVE = Symbol('remove')

/** Values that replace a field of a well-formed payload: a type it never has, a huge one, or removal. */
export const mutationValue: fc.Arbitrary<unknown> = fc.oneof({ arbitrary: junkValue, weight: 5 }, { arbitrary: fc.constant(REMOVE), weight: 1 })

/** Every path to a value inside a JSON object (objects and arrays too, so whole branches get replaced). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix]
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))]
}

/** A copy of `payload` with the chosen paths replaced by (or stripped of) the given values. */
export function mutate(payload: Record<string, unknown>, edits: [number, unknown][]): Record<string, unknown> {
  const copy = structuredClone(payload)
  for (const [pick, value] of edits) {
    const paths = pathsOf(copy).filter(path => path.length > 0)
    if (paths.length === 0) break
    const path = paths[pick % paths.length]!
    type Node = Record<string | number, unknown>
    const parent = path.slice(0, -1).reduce<Node>((node, key) => node[key] as Node, copy)
    const key = path.at(-1)!
    if (value !== REMOVE) parent[key] = value
    else if (Array.isArray(parent)) parent.splice(Number(key), 1)
    else Reflect.deleteProperty(parent, key)
  }
  return copy
}

export const edits = fc.array(fc.tuple(fc.nat(), mutationValue), { minLength: 1, maxLength: 3 })
