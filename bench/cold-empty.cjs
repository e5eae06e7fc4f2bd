// Bare node running a file script that only reports its clock (about 0.2 ms): the reference for
// children that are file scripts, and the baseline of the wall-time decomposition.
'use strict';
const clock = globalThis.performance;
const start = clock.now();
require('node:fs').writeSync(1, `${JSON.stringify({ bench: { origin: clock.timeOrigin, start, answered: clock.now() } })}\n`);
