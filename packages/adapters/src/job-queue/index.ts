export { createMemoryJobQueue } from './memory';
export { createBullMqJobQueue } from './bullmq';
export type { BullMqJobQueue, BullMqJobQueueOptions, JobQueueLogger } from './bullmq';
