// The private pcscd rig lives in bench/rig/pcscd.ts (bench/read.ts uses it too, and bench/ never imports
// test/: issue 10); the tests keep importing it from here.
export * from '../../bench/rig/pcscd.js';
