export * from './read-store.port';
export * from './query';
export * from './sqlite-read-store';
export * from './mongo-read-store';
export * from './location';
