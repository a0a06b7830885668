/** @type {import('jest').Config} */
const fs = require('fs');
const swc = JSON.parse(fs.readFileSync(__dirname + '/.swcrc', 'utf8'));
delete swc.jsc.baseUrl;
delete swc.jsc.paths;
const mapper = {};
for (const lib of ['domain', 'calendar', 'event-store', 'read-store', 'projections', 'application', 'identity', 'notifications']) {
  mapper[`^@helpdesk/${lib}$`] = `<rootDir>/libs/${lib}/src`;
  mapper[`^@helpdesk/${lib}/(.*)$`] = `<rootDir>/libs/${lib}/src/$1`;
}
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }],
    // ESM-only dependencies (content-disposition 3, via @fastify/static) load natively in
    // Node >= 20.19 but not in jest's module system: compile them to CommonJS for the tests
    // likewise openid-client, its oauth4webapi and jose (single sign-on, loaded when used), and
    // @fastify/cookie, whose `await import('cookie')` (cookie 2, ESM) jest cannot run as is
    '^.+/node_modules/(content-disposition|openid-client|oauth4webapi|jose|@fastify/cookie|cookie)/.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' }, swcrc: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|openid-client|oauth4webapi|jose|@fastify/cookie|cookie)/)'],
  moduleNameMapper: mapper,
  globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/jest-global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
