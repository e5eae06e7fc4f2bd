// Two costs the hook's cold path pays that bare node does not, measured alone in a fresh process:
// loading node:crypto (the wrapper imports it at top level) and creating process.stdout (the first log line).
'use strict';
const clock = globalThis.performance;
const t0 = clock.now();
require('node:crypto');
const t1 = clock.now();
void process.stdout;
const t2 = clock.now();
process.stdout.write(`${JSON.stringify({ parts: { cryptoMs: t1 - t0, stdoutMs: t2 - t1 } })}\n`);
