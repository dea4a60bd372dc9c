// Preloaded (NODE_OPTIONS=--require) into the built TUI by test/ui/builtins-before-flag.test.ts: notes
// node's loaded-module list when V8's flags are first set at run time, and at exit writes which of node's
// own modules were loaded after that to the file MOICA_PROBE_OUT names.
'use strict';
const v8 = require('node:v8');
const { writeFileSync } = require('node:fs');
const setFlags = v8.setFlagsFromString;
let atFlag;
v8.setFlagsFromString = function (flags) {
  atFlag ??= { flags, loaded: [...process.moduleLoadList] };
  return setFlags.call(this, flags);
};
process.on('exit', () => {
  const before = new Set(atFlag?.loaded ?? []);
  const after = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !before.has(m)).map((m) => m.slice('NativeModule '.length));
  writeFileSync(process.env.MOICA_PROBE_OUT, JSON.stringify({ flags: atFlag?.flags ?? null, after }));
});
