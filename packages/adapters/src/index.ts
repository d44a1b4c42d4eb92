export * from './database';
export * from './cache';
export * from './rate-limit';
export * from './event-bus';
export * from './job-queue';
export * from './redis';
// Straight from here, not through ./event-bus and ./job-queue, whose other exports every service
// uses: the server's build (esbuild) then leaves amqplib and BullMQ out of an embedded process.
export * from './event-bus/rabbitmq';
export * from './job-queue/bullmq';
