export * from './memory';
export * from './redis';
export * from './fallback';
export * from './leased';
