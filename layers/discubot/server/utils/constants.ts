/** The author of every automated write (`createdBy` / `updatedBy`). */
export const SYSTEM_USER_ID = 'system'

export { STAGES, SOURCE_TYPES } from '../../shared/domain'
