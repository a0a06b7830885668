export * from './store/ops-store.port';
export * from './store/sqlite-ops-store';
export * from './store/mongo-ops-store';
export * from './records';
export * from './notification-store';
