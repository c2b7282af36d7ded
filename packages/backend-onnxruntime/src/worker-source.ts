// Source of the worker thread that runs one-op models for the synchronous per-op path. Kept as
// plain CommonJS text (started with `eval: true`) so it works the same from TypeScript sources
// under vitest and from the built dist/ files. Protocol (one request at a time):
//   request  { id, key, model: Uint8Array, feeds: {name: {dtype, shape, data}}, outputNames }
//   reply    { id, ok: true, outputs } | { id, ok: false, stage: 'create' | 'run', message }
// The worker posts the reply on its port, then sets signal[0] = 1 and notifies, waking the main
// thread blocked in Atomics.wait. Sessions are cached per key (least recently used evicted).
export const WORKER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { port, signal, sessionOptions, capacity } = workerData;
const state = new Int32Array(signal);
let ort;
let loadError;
try {
  ort = require(workerData.ortPath);
} catch (error) {
  loadError = error;
}
const sessions = new Map();

async function sessionFor(request) {
  const cached = sessions.get(request.key);
  if (cached) {
    sessions.delete(request.key);
    sessions.set(request.key, cached);
    return cached;
  }
  const session = await ort.InferenceSession.create(request.model, sessionOptions);
  sessions.set(request.key, session);
  while (sessions.size > capacity) {
    const [oldest, old] = sessions.entries().next().value;
    sessions.delete(oldest);
    old.release();
  }
  return session;
}

async function handle(request) {
  let stage = 'create';
  try {
    if (loadError) throw loadError;
    const session = await sessionFor(request);
    stage = 'run';
    const feeds = {};
    for (const name of Object.keys(request.feeds)) {
      const tensor = request.feeds[name];
      feeds[name] = new ort.Tensor(tensor.dtype, tensor.data, tensor.shape);
    }
    const results = await session.run(feeds);
    const outputs = {};
    for (const name of request.outputNames) {
      const tensor = results[name];
      outputs[name] = { dtype: tensor.type, shape: tensor.dims, data: tensor.data };
    }
    return { id: request.id, ok: true, outputs };
  } catch (error) {
    const message = error && error.message ? error.message : String(error);
    return { id: request.id, ok: false, stage, message };
  }
}

function reply(message) {
  port.postMessage(message);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
}

port.on('message', (request) => {
  if (request.type === 'close') {
    for (const session of sessions.values()) session.release();
    sessions.clear();
    reply({ id: request.id, ok: true, outputs: {} });
    port.close();
    return;
  }
  handle(request).then(reply);
});
`;
