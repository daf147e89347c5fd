// Plays one case of the client pack with the npm `eventsource` package (EventSource/eventsource),
// a client written by others. It lives next to package.json so that `import 'eventsource'` finds
// ./node_modules from this file's own folder, whatever the working directory (ES modules ignore
// NODE_PATH, and the package is ES-module only).
//
// The protocol every pack script speaks (Support/NodePackClient.cs), so that the package is loaded
// before the server's clock starts: prints "ready", reads the request as one JSON line on stdin
// ({ "url", "method", "headers", "body" }: an EventSource plays only cases whose request is its own
// GET, so only the url is used), connects, and once the source is CLOSED (or the deadline in ms,
// argv[2], has passed) prints one JSON line:
//   { "events": [{ "type", "data", "lastEventId" }], "reconnectDelays": [ms, ...], "errors": [text, ...], "timedOut": bool }
import { EventSource } from 'eventsource';
import { createInterface } from 'node:readline';

const deadlineMs = Number(process.argv[2] ?? 30000);

// The package keeps its reconnection time private; it waits it out with
// setTimeout(this.#reconnect, interval), so each interval it schedules is read there.
const reconnectDelays = [];
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = function (callback, ms, ...args) {
  if (typeof callback === 'function' && callback.name === '#reconnect') {
    reconnectDelays.push(ms);
  }
  return realSetTimeout(callback, ms, ...args);
};

// Node loads its fetch lazily, which takes a while on a loaded machine: done before "ready", not after the clock started.
await (await fetch('data:,')).text();
const lines = createInterface({ input: process.stdin });
const asked = new Promise(resolve => lines.once('line', resolve));
process.stdout.write('ready\n');
const { url } = JSON.parse(await asked);
const source = new EventSource(url);
lines.close();

// Every event the source dispatches, whatever its type (no listener per type needed): the package
// dispatches through its own dispatchEvent, so the instance's is wrapped.
const events = [];
const dispatch = source.dispatchEvent.bind(source);
source.dispatchEvent = event => {
  if (event instanceof MessageEvent) {
    events.push({ type: event.type, data: event.data, lastEventId: event.lastEventId });
  }
  return dispatch(event);
};

// Each error event's own text (the package's ErrorEvent has a message and a code), for a failure message.
const errors = [];
const timedOut = await new Promise(resolve => {
  const deadline = realSetTimeout(() => resolve(true), deadlineMs);
  source.addEventListener('error', error => {
    errors.push([error.code, error.message].filter(part => part !== undefined).join(' '));
    if (source.readyState === EventSource.CLOSED) {
      clearTimeout(deadline);
      resolve(false);
    }
  });
});
source.close();
process.stdout.write(JSON.stringify({ events, reconnectDelays, errors, timedOut }) + '\n');
