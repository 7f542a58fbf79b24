// Log lines as people or machines read them (NUXT_LOG_FORMAT): consola's own reporter (`pretty`), or
// one JSON object per line (`json`: level, time, msg, tag, instance and the context fields a logger
// carries — jobId, stage, teamId). consola has no JSON reporter (../shared/reference/observability.md §3).
//
// Loggers are made at module load (`consola.withTag(…)`), long before settings are read, and each
// copies its parent's reporter list. So one switching reporter is installed on the root when this
// module loads (server/plugins/00.00.logging.ts imports it before any other server module) and the
// format is chosen later, when the settings are known.
import { formatWithOptions } from 'node:util'
import { consola, type ConsolaInstance, type ConsolaReporter, type InputLogObject, type LogObject } from 'consola'

export const LOG_FORMATS = ['pretty', 'json'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]

/** Context a logger may carry (`log.withDefaults({ jobId, teamId })`), copied into JSON lines. */
const CONTEXT_FIELDS = ['jobId', 'stage', 'teamId', 'timer'] as const

export type LogContext = Partial<Record<(typeof CONTEXT_FIELDS)[number], string>>

/** A logger whose every line carries `context` (fields of its JSON lines). */
export function withContext(logger: ConsolaInstance, context: LogContext): ConsolaInstance {
  return logger.withDefaults(context as InputLogObject)
}

/** consola's types in the words log shippers map (Datadog, Cloud Logging). */
const LEVELS: Record<string, string> = {
  fatal: 'fatal', error: 'error', fail: 'error', warn: 'warn',
  log: 'info', info: 'info', success: 'info', ready: 'info', start: 'info', box: 'info',
  debug: 'debug', trace: 'trace', verbose: 'trace',
}

/** The JSON line of one log call. Args are formatted as the pretty reporter prints them, so JSON shows nothing pretty would not. */
export function jsonLine(log: LogObject, instance: string): string {
  const args = log.args ?? []
  const error = args.find((arg): arg is Error => arg instanceof Error)
  const msg = formatWithOptions({ colors: false, breakLength: Infinity }, ...args.map(arg => arg instanceof Error ? arg.message : arg))
  const line: Record<string, unknown> = {
    level: LEVELS[log.type] ?? 'info',
    time: log.date.toISOString(),
    msg: msg.replace(/\s*\n\s*/g, ' ').trim(),
    ...(log.tag ? { tag: log.tag } : {}),
    instance,
  }
  const fields = log as unknown as Record<string, unknown>
  for (const field of CONTEXT_FIELDS) if (fields[field] !== undefined) line[field] = fields[field]
  if (error?.stack) line.stack = error.stack
  return JSON.stringify(line)
}

const state: { format: LogFormat, instance: string, pretty: ConsolaReporter[] } = {
  format: 'pretty',
  instance: '',
  pretty: [...consola.options.reporters],
}

const switching: ConsolaReporter = {
  log(log, ctx) {
    if (state.format === 'json') {
      process.stdout.write(`${jsonLine(log, state.instance)}\n`)
      return
    }
    for (const reporter of state.pretty) reporter.log(log, ctx)
  },
}

// Machine logs must not fold repeats into "(repeated N times)"; loggers made from now on inherit both.
consola.options.throttle = 0
consola.setReporters([switching])

/** Chooses the format once the settings are read; `json` also routes `console.*` (Nitro's own lines) through it. */
export function configureLogging(format: LogFormat, instance: string) {
  state.format = format
  state.instance = instance
  if (format === 'json') consola.wrapConsole()
}
