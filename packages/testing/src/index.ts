export * from './servers';
export * from './processes';
export * from './redis';
export * from './problems';
export * from './private-postgres';
export * from './private-redis';
export * from './private-rabbitmq';
export * from './upstreams';
