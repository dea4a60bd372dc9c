/** Kept equal to package.json's version by test/options.test.ts (`--version` needs no package.json lookup). */
export const VERSION = '0.1.0';
