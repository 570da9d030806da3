// Cucumber profiles. `default` runs every phase but @production; `ci` adds machine-readable reports.
const common = {
  requireModule: ['ts-node/register'],
  require: ['support/**/*.ts', 'worlds/**/*.ts', 'steps/**/*.ts'],
  format: ['progress-bar', 'html:reports/cucumber.html', 'summary'],
  strict: true,
};

module.exports = {
  default: { ...common, tags: 'not @production' },
  phase1: { ...common, tags: '@phase1' },
  phase2: { ...common, tags: '@phase2' },
  ci: {
    ...common,
    tags: 'not @production',
    format: ['progress', 'html:reports/cucumber.html', 'junit:reports/junit.xml', 'message:reports/messages.ndjson', 'summary'],
  },
};
