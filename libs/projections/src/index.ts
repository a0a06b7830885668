export * from './projection';
export * from './projector';
export * from './views';
export * from './queries';
export * from './page-target';
export * from './rebuild';
export * from './parallel';
