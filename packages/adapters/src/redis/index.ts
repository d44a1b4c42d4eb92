export * from './resilience';
