// Preloaded (NODE_OPTIONS=--require) by test/ui/tui-entry.test.ts: at exit, writes which of node's ES module
// loader modules were loaded (module_job, translators, resolve: only a first import() loads them) to the
// file MOICA_PROBE_OUT names.
'use strict';
process.on('exit', () => {
  const loaded = process.moduleLoadList.filter((m) => /^NativeModule internal\/modules\/esm\/(module_job|translators|resolve)$/.test(m));
  require('node:fs').writeFileSync(process.env.MOICA_PROBE_OUT, JSON.stringify(loaded));
});
