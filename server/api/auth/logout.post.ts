export default defineEventHandler(async (event) => {
  await endTeamSession(event)
  return { ok: true }
})
