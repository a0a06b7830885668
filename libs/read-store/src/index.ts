export * from './read-store.port';
export * from './query';
export * from './sqlite-read-store';
export * from './mongo-read-store';
export * from './location';
export { whileBusy, BUSY_RETRY_LIMIT_MS } from './sqlite-writes';
