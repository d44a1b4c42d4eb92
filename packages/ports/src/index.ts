export * from './database';
export * from './cache';
export * from './rate-limit';
export * from './event-bus';
export * from './job-queue';
export * from './events';
export * from './identity';
export * from './timeout';
