// One cold invocation, as the Lambda runtime makes it: require the handler file, parse the event,
// call the entrypoint, serialise the answer. argv: <handlers.js> <request.json>
'use strict';
const clock = globalThis.performance;
const start = clock.now(); // milliseconds since the process started: Node's own bootstrap
const handlers = require(process.argv[2]);
const loaded = clock.now();
// Whether loading the bundle pulled in node:crypto (a file script's bootstrap does not load it).
const crypto = process.moduleLoadList.some((m) => m === 'NativeModule crypto');
const fs = require('node:fs');
const event = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
handlers.entrypoint(event, { awsRequestId: 'bench-cold' }).then((answer) => {
  const body = JSON.stringify(answer);
  const answered = clock.now();
  // Whether answering created process.stdout (over a pipe, that loads node:net).
  const stdout = process.moduleLoadList.some((m) => m === 'NativeModule net');
  const bench = { origin: clock.timeOrigin, status: answer.hookStatus, bytes: body.length, start, loaded, answered, crypto, stdout, maxRSS: process.resourceUsage().maxRSS };
  // Straight to fd 1: creating process.stdout would add the bench's own cost to the hook's.
  fs.writeSync(1, `${JSON.stringify({ bench })}\n`);
});
