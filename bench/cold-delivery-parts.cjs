// What the delivery path loads and runs for the first time, measured alone in a fresh process, in the
// order the hook meets them: node:crypto and the rest of dist/network.js (which loads it), a phase
// deadline, the first SigV4 signature, node:http, the first request, and (encrypted credentials only)
// the first Encryption SDK message. Signature, deadline, request and message run the runtime's own code
// (src/runtime/aws, bundled alone by the bench: dist/network.js exports none of them).
// argv: <dist/network.js> <runtime helpers bundle> <message.json: { message (base64), dataKey (hex) }>
'use strict';
const clock = globalThis.performance;
const fs = require('node:fs');
const parts = {};
const step = (name, fn) => {
  const t0 = clock.now();
  const value = fn();
  parts[name] = clock.now() - t0;
  return value;
};
step('cryptoMs', () => require('node:crypto'));
step('networkMs', () => require(process.argv[2]));
// Compiled here, outside the steps: in the hook this code is part of dist/network.js, timed above.
const runtime = require(process.argv[3]);
const input = JSON.parse(fs.readFileSync(process.argv[4], 'utf8'));
const phase = step('deadlineMs', () => runtime.deadlineAt(Date.now() + 2000));
const url = new URL('http://127.0.0.1:9/');
const body = JSON.stringify({ logGroupName: 'bench', logStreamName: 'bench', logEvents: [{ timestamp: Date.now(), message: '{}' }] });
const headers = step('firstSignMs', () =>
  runtime.signRequest({
    method: 'POST',
    url,
    service: 'logs',
    region: 'us-east-1',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'Logs_20140328.PutLogEvents' },
    body,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret', sessionToken: 'bench-token' },
  }),
);
step('httpMs', () => require('node:http'));
// Port 9 (discard) on loopback is refused at once: only the synchronous first use of the client is timed.
const sent = step('firstRequestMs', () => runtime.send({ url, method: 'POST', headers, body }, { signal: phase.signal, maxBytes: 1 << 20 }));
const dataKey = Buffer.from(input.dataKey, 'hex');
const t0 = clock.now();
runtime
  .decryptMessage(Buffer.from(input.message, 'base64'), async () => dataKey)
  .then(async (plaintext) => {
    parts.firstMessageMs = clock.now() - t0;
    // The plaintext must be the credentials' JSON; it is checked, never printed.
    const credentials = JSON.parse(plaintext.toString('utf8'));
    if (typeof credentials.accessKeyId !== 'string') throw new Error('the decrypted message is not the credentials');
    await sent.catch(() => undefined);
    phase.dispose();
    fs.writeSync(1, `${JSON.stringify({ parts })}\n`);
    process.exit(0);
  })
  .catch((error) => {
    fs.writeSync(2, `${error?.name}: ${error?.message}\n`);
    process.exit(1);
  });
