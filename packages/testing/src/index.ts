export * from './servers';
export * from './processes';
export * from './redis';
export * from './problems';
export * from './upstreams';
