// One cold invocation, as the Lambda runtime makes it: require the handler file, parse the event,
// call the entrypoint, serialise the answer. argv: <handlers.js> <request.json> [--cpu]
// --cpu (delivery variants only, so the other figures stay as they were) also reads the answer's CPU time.
// --trace (the untimed recorded runs only) also notes when the hook creates each AWS request.
'use strict';
const clock = globalThis.performance;
const start = clock.now(); // milliseconds since the process started: Node's own bootstrap
const requests = process.argv[5] === '--trace' ? traceRequests() : undefined;
const handlers = require(process.argv[2]);
const loaded = clock.now();
const cpuLoaded = process.argv[4] === '--cpu' ? process.cpuUsage() : undefined;
// Whether loading the bundle pulled in node:crypto (a file script's bootstrap does not load it).
const crypto = process.moduleLoadList.some((m) => m === 'NativeModule crypto');
const fs = require('node:fs');
const event = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const answering = handlers.entrypoint(event, { awsRequestId: 'bench-cold' });
// With --trace: when the entrypoint's synchronous part ended (no request can be written before).
const returned = requests && clock.now();
answering.then((answer) => {
  const body = JSON.stringify(answer);
  const answered = clock.now();
  // CPU time of the answer (all threads): with delivery, the rest of the answer is waiting on the endpoint.
  const cpu = cpuLoaded && process.cpuUsage(cpuLoaded);
  // Whether answering created process.stdout (over a pipe, that loads node:net).
  const stdout = process.moduleLoadList.some((m) => m === 'NativeModule net');
  // Whether the answer loaded the runtime's network half (only delivery and payloads should).
  const network = Object.keys(require.cache).some((file) => file.endsWith('network.js'));
  const bench = {
    origin: clock.timeOrigin,
    status: answer.hookStatus,
    bytes: body.length,
    start,
    loaded,
    answered,
    answerCpuMs: cpu ? (cpu.user + cpu.system) / 1000 : undefined,
    crypto,
    stdout,
    network,
    requests,
    returned,
    maxRSS: process.resourceUsage().maxRSS,
  };
  // Straight to fd 1: creating process.stdout would add the bench's own cost to the hook's.
  fs.writeSync(1, `${JSON.stringify({ bench })}\n`);
});

/**
 * When the hook creates each request and when it is written, as `{ service, createdMs, writtenMs }` (service from the SigV4 scope), by wrapping
 * http.request when the hook first requires node:http: the module's first use stays where the hook puts it.
 */
function traceRequests() {
  const seen = [];
  const Module = require('node:module');
  const load = Module._load;
  Module._load = function traced(request, ...rest) {
    const loadedModule = load.call(this, request, ...rest);
    if ((request === 'node:http' || request === 'node:https') && !loadedModule.request.traced) {
      const original = loadedModule.request;
      loadedModule.request = function request(url, options, ...more) {
        // http.request(options[, callback]) or http.request(url[, options][, callback]): the SDK passes options first.
        const opts = typeof url === 'object' && url !== null && !(url instanceof URL) ? url : options;
        const auth = String(opts?.headers?.authorization ?? opts?.headers?.Authorization ?? '');
        const noted = { service: /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(auth)?.[1] ?? 'unknown', createdMs: clock.now() };
        seen.push(noted);
        const req = original.call(this, url, options, ...more);
        req.once('finish', () => (noted.writtenMs = clock.now())); // handed to the socket
        return req;
      };
      loadedModule.request.traced = true;
    }
    return loadedModule;
  };
  return seen;
}
