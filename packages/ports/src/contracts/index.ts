export * from './cache.contract';
export * from './database.contract';
export * from './rate-limit.contract';
export * from './event-bus.contract';
export * from './job-queue.contract';
