export * from './pglite';
export * from './postgres';
export * from './migrate';
export * from './outbox';
export * from './priority';
