export { createMemoryEventBus, topicMatches } from './memory';
export type { EventBusLogger, MemoryEventBusOptions } from './memory';
export { createRabbitMqEventBus, deleteRabbitMqConsumer, rabbitMqQueueNames } from './rabbitmq';
export type { RabbitMqEventBusOptions } from './rabbitmq';
