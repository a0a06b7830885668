export * from './shared';
export * from './customers';
export * from './policies';
export * from './tickets';
export * from './presets';
export * from './topics';
export * from './users';
