export * from './kinds';
export * from './decide';
