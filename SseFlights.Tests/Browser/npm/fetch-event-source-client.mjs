// Plays one case of the client pack with npm @microsoft/fetch-event-source (Azure/fetch-event-source),
// a client written by others, under node. It lives next to package.json so that the import finds
// ./node_modules from this file's own folder, whatever the working directory.
//
// It speaks the protocol of every pack script (Support/NodePackClient.cs): prints "ready", reads the
// request as one JSON line on stdin ({ "url", "method", "headers", "body" }: the case's clientRequest,
// which this client sends as it is, on every reconnect too), plays the case, and once the client has
// stopped (or the deadline in ms, argv[2], has passed) prints one JSON line:
//   { "events": [{ "type", "data", "lastEventId" }], "reconnectDelays": [ms, ...], "errors": [text, ...], "timedOut": bool }
import { fetchEventSource } from '@microsoft/fetch-event-source';
import { createInterface } from 'node:readline';

const deadlineMs = Number(process.argv[2] ?? 30000);

// The package is written for a browser, and node 20 has fetch and timers but no window or document.
// It fetches with window.fetch and waits out each reconnect with window.setTimeout(create, interval),
// so the shim's setTimeout reads every interval it schedules there. We pass openWhenHidden: true (no
// page to hide), so it never listens for visibilitychange; its dispose() still removes the listener
// from document, hence a document that is never hidden and whose listener calls do nothing.
const reconnectDelays = [];
globalThis.window = {
  fetch: globalThis.fetch,
  setTimeout(callback, ms) {
    if (callback.name === 'create') {
      reconnectDelays.push(ms);
    }
    return setTimeout(callback, ms);
  },
  clearTimeout: (timer) => clearTimeout(timer),
};
globalThis.document = { hidden: false, addEventListener() {}, removeEventListener() {} };

// As its README tells a client to: an onopen that throws a FatalError for a response it must not
// read, an onclose that throws a RetriableError (the package resolves and stops when the stream ends,
// unless told otherwise), and an onerror that rethrows a FatalError (which stops it) and returns
// nothing for the rest (which retries after the retry: interval it parsed).
class FatalError extends Error {}
class RetriableError extends Error {}

// Node loads its fetch lazily, which takes a while on a loaded machine: done before "ready", not after the clock started.
await (await fetch('data:,')).text();
const lines = createInterface({ input: process.stdin });
const line = new Promise(resolve => lines.once('line', resolve));
process.stdout.write('ready\n');
const { url, method, headers, body } = JSON.parse(await line);
lines.close();

const events = [];
const errors = [];
const deadline = new AbortController();
let timedOut = false;
const timer = setTimeout(() => { timedOut = true; deadline.abort(); }, deadlineMs);

try {
  await fetchEventSource(url, {
    method,
    headers,
    body: body ?? undefined,
    signal: deadline.signal,
    openWhenHidden: true,
    async onopen(response) {
      // WHATWG HTML §9.2.3: only a 200 whose type is text/event-stream (parameters allowed: this server
      // adds charset=utf-8, which the README's exact comparison would refuse) opens the stream; any
      // other status (204 and 5xx included) or type fails the connection for good.
      const type = response.headers.get('content-type') ?? '';
      if (response.status !== 200 || type.split(';')[0].trim().toLowerCase() !== 'text/event-stream') {
        throw new FatalError(`${response.status} ${type}`);
      }
    },
    onmessage(message) {
      // Every message the package hands over, as it hands it: its type is '' when the block had no
      // event: line, which EventSource dispatches as 'message' (as would an app); its id is the
      // block's own id: field ('' without one), the only id the package gives a message.
      events.push({ type: message.event || 'message', data: message.data, lastEventId: message.id });
    },
    onclose() {
      throw new RetriableError('the stream ended');
    },
    onerror(error) {
      errors.push(`${error?.constructor?.name}: ${error?.message}`);
      if (error instanceof FatalError) {
        throw error;
      }
    },
  });
} catch (error) {
  if (!(error instanceof FatalError)) {
    throw error;
  }
}

clearTimeout(timer);
process.stdout.write(JSON.stringify({ events, reconnectDelays, errors, timedOut }) + '\n');
