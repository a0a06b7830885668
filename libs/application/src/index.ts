export * from './command-pipeline';
export * from './scheduler';
export * from './deduction-repairer';
export * from './case-history';
export * from './reconcile';
export * from './conversation';
export * from './sla-timeline';
