// Unit tests for the stream controller (retry arithmetic, and its decisions against a fake
// EventSource and a fake HEAD /events), run by `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, eventsUrl, retryAfterSeconds, StreamController } from '../../wwwroot/stream.js';

test('backoff starts at 1 s and doubles up to 30 s', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 50].map(backoffMs), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('Retry-After in seconds is obeyed; a date or garbage falls back to 5 s', () => {
  assert.equal(retryAfterSeconds('5'), 5);
  assert.equal(retryAfterSeconds(' 12 '), 12);
  for (const raw of [null, '', 'soon', '-3', 'Wed, 21 Oct 2015 07:28:00 GMT']) assert.equal(retryAfterSeconds(raw), 5, String(raw));
});

test('the stream URL is relative and carries lastEventId once there is one', () => {
  assert.equal(eventsUrl(null), 'events');
  assert.equal(eventsUrl(0), 'events?lastEventId=0');
  assert.equal(eventsUrl(42), 'events?lastEventId=42');
});

// ---- The controller against a fake EventSource and a fake HEAD /events -----------------------

/** Shaped like AmvTek's polyfill: no target on events, readyState numbers only, no url. */
class FakeEventSource {
  static last = null;
  constructor(url) {
    this.requested = url;
    this.readyState = 0;
    this.handlers = {};
    this.closed = false;
    FakeEventSource.last = this;
  }
  addEventListener(type, handler) {
    (this.handlers[type] ??= []).push(handler);
  }
  close() {
    this.readyState = 2;
    this.closed = true;
  }
  emit(type, event) {
    for (const handler of this.handlers[type] ?? []) handler(event);
  }
}

function harness(headStatus, retryAfter = null) {
  const seen = { frames: [], states: [], logs: [], closed: 0, opened: [], heads: [] };
  globalThis.window = globalThis;
  globalThis.EventSource = FakeEventSource;
  globalThis.fetch = async (url, options) => {
    seen.heads.push(`${options.method} ${url}`);
    return { status: headStatus, headers: { get: (name) => (name === 'Retry-After' ? retryAfter : null) } };
  };
  const controller = new StreamController({
    names: () => ['snapshot', 'gateChange'],
    lastEventId: () => 7,
    frame: (frame) => seen.frames.push(frame),
    opened: (reconnected) => seen.opened.push(reconnected),
    state: (state, message) => seen.states.push([state, message]),
    log: (kind, message) => seen.logs.push([kind, message]),
    closed: () => { seen.closed += 1; },
  });
  return { controller, seen };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('frames reach the frame hook without event.target; a frame named "error" is a frame, not a failure', () => {
  const { controller, seen } = harness(200);
  controller.open();
  const es = FakeEventSource.last;
  assert.equal(es.requested, 'events?lastEventId=7');
  es.emit('open', { type: 'open' });
  es.emit('snapshot', { type: 'snapshot', data: '{"flights":[]}', lastEventId: '8' });
  es.readyState = 1;
  es.emit('error', { type: 'error', data: 'gate B12', lastEventId: '9' });
  es.emit('snapshot', { type: 'snapshot', data: null, lastEventId: '' });
  assert.deepEqual(seen.opened, [false]);
  assert.deepEqual(seen.frames, [
    { type: 'snapshot', data: '{"flights":[]}', lastEventId: '8' },
    { type: 'error', data: 'gate B12', lastEventId: '9' },
    { type: 'snapshot', data: '', lastEventId: '' },
  ]);
  assert.deepEqual(seen.states, []);
  assert.equal(es.closed, false);
  controller.stop();
});

test('a lost stream the browser retries shows the attempt and asks nothing', async () => {
  const { controller, seen } = harness(200);
  controller.open();
  FakeEventSource.last.emit('error', { type: 'error', data: 'Reconnecting ' });
  await settle();
  assert.deepEqual(seen.states, [['reconnecting', 'Reconnecting… (attempt 1)']]);
  assert.deepEqual(seen.heads, []);
  assert.equal(controller.requests, 2);
  controller.stop();
});

test('EventSource gave up and HEAD says 204: closed, final, no retry', async () => {
  const { controller, seen } = harness(204);
  controller.open();
  const es = FakeEventSource.last;
  es.readyState = 2;
  es.emit('error', { type: 'error' });
  await settle();
  assert.deepEqual(seen.heads, ['HEAD events?lastEventId=7']);
  assert.equal(seen.closed, 1);
  assert.equal(es.closed, true);
  assert.equal(controller.running, false);
});

test('HEAD says 503: waits Retry-After plus jitter, showing "Server full"', async () => {
  const { controller, seen } = harness(503, '5');
  controller.open();
  FakeEventSource.last.readyState = 2;
  FakeEventSource.last.emit('error', { type: 'error' });
  await settle();
  assert.equal(seen.states.length, 1);
  const [state, message] = seen.states[0];
  assert.equal(state, 'full');
  assert.match(message, /^Server full, retrying in [56] s$/);
  assert.equal(controller.running, true, 'a retry is scheduled');
  controller.stop();
  assert.equal(controller.running, false);
});

test('HEAD says 200 (the GET failed some other way): backs off 1 s, showing the attempt', async () => {
  const { controller, seen } = harness(200);
  controller.open();
  FakeEventSource.last.readyState = 2;
  FakeEventSource.last.emit('error', { type: 'error' });
  await settle();
  assert.deepEqual(seen.states, [['retrying', 'Connection failed, retrying in 1 s (attempt 1)']]);
  controller.stop();
});
