// Liveness: answers without touching the database (/api/health is the readiness check).
export default defineEventHandler(() => 'ok')
