// Electronegativity's `got`, asking once: see electronegativity-hooks.mjs.
const got = require('got');

module.exports = got.extend({ retry: { limit: 0 } });
module.exports.default = module.exports;
