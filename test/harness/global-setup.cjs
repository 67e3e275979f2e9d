require('./esm-specifiers.cjs');
// Required synchronously so Jest's transformer (active while this file loads) compiles the TypeScript.
module.exports = require('./global-setup.ts').default;
