// The Discubot domain layer: collections (schema + queries), the pipeline engine, sources, analysis and sinks.
export default defineNuxtConfig({})
