// The task-target half of a check: where the config's tasks go, whether Notion lets us in, and
// whether the mapping a job would use works — a missing title column, a mapped column that is gone
// or of the wrong type, no marker column, a People column the integration cannot fill — before the
// first job finds out.
import type { CheckFinding } from '../../../shared/api'
import { NOTION_FIELD_ORDER, NOTION_FIELDS } from '../../../shared/notion-fields'
import { notionSettingOf } from '../../sinks/resolve'
import { notionAdvice } from '../../sinks/notion/errors'
import { fieldColumn, mappedColumns, MARKER_WARNING, resolveMapping } from '../../sinks/notion/mapping'
import { canReadNotionUsers, readNotionTarget } from '../../sinks/notion/setup'
import { messageOf } from '../../utils/errors'
import type { ConnectionCheck } from './types'

const warning = (message: string): CheckFinding => ({ state: 'warning', message })
const error = (message: string): CheckFinding => ({ state: 'error', message })

export const checkNotion: ConnectionCheck = async ({ config, secrets, settings, policy }) => {
  // The same rule as the task sink: the instance's Notion target serves the operator's team only.
  const { token, databaseId } = notionSettingOf(config, secrets, settings, policy)
  if (!token && !databaseId) return { findings: [{ state: 'ok', message: 'Tasks go to Discubot\'s own task list (no Notion target set).' }] }
  if (!token) return { findings: [warning('Notion: a database is set but no token, so tasks go to the local task list.')] }
  if (!databaseId) return { findings: [warning('Notion: a token is set but no database, so tasks go to the local task list. Pick the database under "Notion target".')] }

  const connection = { token, apiUrl: settings.notionApiUrl, timeoutMs: settings.httpTimeoutMs }
  let target
  try {
    target = await readNotionTarget(connection, databaseId)
  }
  catch (failure) {
    return { findings: [error([notionAdvice(failure), messageOf(failure)].filter(Boolean).join(' '))] }
  }
  const name = target.title ? `"${target.title}"` : databaseId
  const problems = NOTION_FIELD_ORDER.flatMap(field => fieldColumn(target.schema, field, config.notionPropertyMap).problem ?? [])
  if (problems.length) return { findings: problems.map(problem => error(`Notion (database ${name}): ${problem}. Fix the mapping under "Notion target"; every job fails until then.`)) }

  const mapping = resolveMapping(target.schema, config.notionPropertyMap)
  const findings: CheckFinding[] = []
  if (!mapping.discubotId) findings.push(warning(`Notion: ${MARKER_WARNING}`))
  if (mapping.assignee?.type === 'people') {
    try {
      if (!await canReadNotionUsers(connection)) {
        findings.push(warning(`Notion: the assignee column "${mapping.assignee.name}" is a Person column, but the integration cannot read user information, so it stays empty. Turn on "Read user information including email addresses" in the integration's capabilities, or map the assignee to a Text column.`))
      }
    }
    catch (failure) {
      findings.push(warning(`Notion: could not tell whether the integration may read user information (${messageOf(failure)}).`))
    }
  }
  const columns = mappedColumns(mapping)
  const filled = NOTION_FIELD_ORDER.flatMap(field => columns[field] ? [`${NOTION_FIELDS[field].label} → "${columns[field].name}"`] : [])
  findings.push({ state: 'ok', message: `Notion: database ${name} is reachable; tasks fill ${filled.join(', ')}.` })
  return { findings }
}
