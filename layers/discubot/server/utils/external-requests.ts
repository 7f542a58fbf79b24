// Calls to the outside world (Slack, Figma, Notion, the model) reported by service and outcome, for
// whoever listens (the metrics). A plain observer hook: the clients that report stay free of the
// metrics library and of the database.
import { classifyError } from './errors'

export const EXTERNAL_SERVICES = ['slack', 'figma', 'notion', 'model'] as const
export type ExternalService = (typeof EXTERNAL_SERVICES)[number]
export const EXTERNAL_OUTCOMES = ['ok', 'transient', 'permanent'] as const
export type ExternalOutcome = (typeof EXTERNAL_OUTCOMES)[number]

type Observer = (service: ExternalService, outcome: ExternalOutcome) => void
const observers = new Set<Observer>()

/** Listens to every external call from now on; returns the way to stop listening. */
export function onExternalRequest(observer: Observer): () => void {
  observers.add(observer)
  return () => observers.delete(observer)
}

/** Runs one external call and reports it: `ok`, or the kind its error classifies as. */
export async function reportedCall<T>(service: ExternalService, call: () => Promise<T>): Promise<T> {
  try {
    const result = await call()
    for (const observer of observers) observer(service, 'ok')
    return result
  }
  catch (error) {
    const outcome = classifyError(error).kind
    for (const observer of observers) observer(service, outcome)
    throw error
  }
}
