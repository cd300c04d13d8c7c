// comlink's Node adapter, typed for ESM: the UMD file's module.exports is the function itself.

import adapter from 'comlink/dist/umd/node-adapter.js';

export const nodeEndpoint = adapter as unknown as typeof adapter.default;
