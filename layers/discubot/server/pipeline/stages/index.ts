// The pipeline, in order. The runner walks this list and knows nothing else about the stages.
import type { Stage } from '../types'
import { ingestionStage } from './ingestion'
import { configLoadingStage } from './config-loading'
import { threadBuildingStage } from './thread-building'
import { aiAnalysisStage } from './ai-analysis'
import { taskCreationStage } from './task-creation'
import { notificationStage } from './notification'

export const PIPELINE: readonly Stage[] = [
  ingestionStage,
  configLoadingStage,
  threadBuildingStage,
  aiAnalysisStage,
  taskCreationStage,
  notificationStage,
] as Stage[]
