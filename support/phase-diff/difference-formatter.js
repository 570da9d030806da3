// Cucumber loads a formatter with import(), which cannot load TypeScript. This CommonJS file
// can, through the require hook that the profile's requireModule (tsx/cjs or ts-node/register)
// has installed by the time formatters load.
module.exports = require('./difference-formatter.ts');
