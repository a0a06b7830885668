export * from './common';
export * from './tickets';
export * from './sla-timers';
export * from './policies';
export * from './audit';
export * from './billing';
export * from './case-links';
export * from './customers';
