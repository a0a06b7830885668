export * from './credential-store.port';
export * from './sqlite-credential-store';
export * from './mongo-credential-store';
export * from './passwords';
export * from './secrets';
export * from './one-time-links';
export * from './throttle';
