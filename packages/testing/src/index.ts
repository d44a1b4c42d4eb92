export * from './servers';
export * from './processes';
