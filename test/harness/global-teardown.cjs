require('./esm-specifiers.cjs');
module.exports = require('./global-teardown.ts').default;
