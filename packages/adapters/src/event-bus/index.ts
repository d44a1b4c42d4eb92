export { createMemoryEventBus, topicMatches } from './memory';
export type { EventBusLogger, MemoryEventBusOptions } from './memory';
