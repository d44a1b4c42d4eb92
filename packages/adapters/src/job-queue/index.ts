export { createMemoryJobQueue } from './memory';
export { createBullMqJobQueue } from './bullmq';
export type { BullMqJobQueue, BullMqJobQueueOptions, JobQueueLogger } from './bullmq';
export { instrumentedWorkerOptions, jobDurationHistogram, registerJobQueueMetrics } from './metrics';
export type { JobQueueMetricsOptions } from './metrics';
