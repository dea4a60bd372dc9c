// The PC/SC client of test/card/pcsclite-close.test.ts, on the pcsclite package itself (argv[2]: its path).
// argv[3] 'reader': at the first status event, close every reader, then the context. 'context': at the
// first reader, close the context, then the readers. Prints what it did; exits by itself once closed
// (a close that left a handle open would keep it alive: the test's deadline fails it).
'use strict';
const pcsclite = require(process.argv[2]);
const which = process.argv[3];
const pcsc = pcsclite();
const readers = [];
let closing = false;
const closeAll = (first) => {
  if (first === 'context') pcsc.close();
  for (const reader of readers) reader.close();
  if (first !== 'context') pcsc.close();
  console.log('closed');
};
pcsc.on('error', (error) => console.log(`context error: ${error.message}`));
pcsc.on('reader', (reader) => {
  readers.push(reader);
  reader.on('error', (error) => console.log(`reader error: ${error.message}`));
  if (readers.length === 1) console.log(`mended: ${reader.MOICA_CLOSE_FIX === 1}`);
  if (which === 'context' && !closing) {
    closing = true;
    setImmediate(() => closeAll('context'));
  }
  reader.on('status', () => {
    if (which !== 'reader' || closing) return;
    closing = true;
    // never inside the binding's callback: it holds the reader's mutex there (source/card/pcsc.ts, closeLater)
    setImmediate(() => closeAll('reader'));
  });
});
