export * from './projection';
export * from './projector';
export * from './views';
export * from './queries';
export * from './rebuild';
export * from './parallel';
