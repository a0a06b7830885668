/** @type {import('jest').Config} */
const fs = require('fs');
const swc = JSON.parse(fs.readFileSync(__dirname + '/.swcrc', 'utf8'));
delete swc.jsc.baseUrl;
delete swc.jsc.paths;
const mapper = {};
for (const lib of ['domain', 'calendar', 'event-store', 'read-store', 'projections', 'application']) {
  mapper[`^@helpdesk/${lib}$`] = `<rootDir>/libs/${lib}/src`;
  mapper[`^@helpdesk/${lib}/(.*)$`] = `<rootDir>/libs/${lib}/src/$1`;
}
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleNameMapper: mapper,
  globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/jest-global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
