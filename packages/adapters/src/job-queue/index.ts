export { createMemoryJobQueue } from './memory';
export { instrumentedWorkerOptions, jobDurationHistogram, registerJobQueueMetrics } from './metrics';
export type { JobQueueMetricsOptions } from './metrics';
