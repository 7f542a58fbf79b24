import withNuxt from './.nuxt/eslint.config.mjs'

export default withNuxt({
  ignores: ['.data/**', '.output/**', 'tests/.build/**', 'drizzle/meta/**'],
})
