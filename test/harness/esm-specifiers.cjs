// Jest loads global set-up and teardown through CommonJS `require`, without `moduleNameMapper`. Our sources import
// each other as `./x.js` (NodeNext style) while the files are `./x.ts`, so map those specifiers here. Test files
// themselves run as ES modules and use the mapper in jest.config.js instead.
const Module = require('node:module');

const resolve = Module._resolveFilename;
if (!resolve.junctionPatched) {
  Module._resolveFilename = function resolveTsSibling(request, parent, ...rest) {
    try {
      return resolve.call(this, request, parent, ...rest);
    } catch (error) {
      if (request.startsWith('.') && request.endsWith('.js')) {
        return resolve.call(this, `${request.slice(0, -3)}.ts`, parent, ...rest);
      }
      throw error;
    }
  };
  Module._resolveFilename.junctionPatched = true;
}
