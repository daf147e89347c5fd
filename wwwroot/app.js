// The arrivals board: wires the board model, the renderer and the stream controller together,
// with Stop/Resume and the test hooks. Everything it keeps is bounded: the board, the last
// MAX_FRAMES frames for the test hooks, and the renderer's 50 log items.

import { applyFrame, customEventNames, emptyBoard, fromSnapshot, inOrder, parseEventId, BOARD_EVENTS } from './board-model.js';
import { Renderer } from './render.js';
import { StreamController } from './stream.js';
import { Kiosk } from './kiosk.js';

const MAX_FRAMES = 200;

const view = new Renderer(document);
const kiosk = new URLSearchParams(location.search).has('kiosk') ? new Kiosk(document, view.tbody) : null;

let board = emptyBoard();
let status = 'connecting';
let lastEventId = null;
let customEvents = [];
/** The newest frames, oldest first, for window.sseflights.frames(). */
let frames = [];
let seq = 0;
// Frames whose id is at or below this were already sent on an earlier stream.
let resentUpTo = null;
// During a Resume: the newest id when it began and how many of those events came back.
let catchUp = null;
// The sequence number of the last snapshot whose id went back (a restarted server's new run).
let newRunSeq = 0;
// Bumped by Stop and Resume so an answer to an older request is ignored.
let generation = 0;

const RUNNING = new Set(['connecting', 'live', 'reconnecting', 'full', 'retrying']);

function setStatus(next, message) {
  status = next;
  view.showStatus(next, message, { canStop: RUNNING.has(next), canResume: next === 'stopped' });
}

function show(next, change) {
  board = next;
  view.showBoard(board, change);
  kiosk?.refresh();
}

async function fetchJson(url) {
  try {
    const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
    return response.ok ? await response.json() : null;
  } catch (error) {
    // A network failure or a body that is not JSON: the caller carries on without it.
    if (error instanceof TypeError || error instanceof SyntaxError) return null;
    throw error;
  }
}

async function newestEventId() {
  const answer = await fetchJson('api/flights');
  return answer && Number.isInteger(answer.lastEventId) ? answer.lastEventId : null;
}

const stream = new StreamController({
  names: () => [...BOARD_EVENTS, ...customEvents],
  lastEventId: () => lastEventId,
  frame: onFrame,
  opened: onOpened,
  state: (next, message) => setStatus(next, message),
  log: (kind, message) => view.logLifecycle(kind, message),
  closed: onRefusedAsClosed,
});

function onOpened(reconnected) {
  setStatus('live');
  view.logLifecycle('open', `Stream open${lastEventId === null ? '' : ` after event ${lastEventId}`}`);
  if (reconnected) markResentSince(seq + 1);
}

// After a reconnect the server first resends what it published while we were away. The newest id
// it knows once the stream is open tells those frames from live ones; the frames that arrive
// before the answer are marked when it comes. Approximate: an event published in between also
// counts as resent.
async function markResentSince(firstSeq) {
  const mine = generation;
  const newest = await newestEventId();
  // A new run's snapshot came on this stream: nothing on it was sent before.
  if (mine !== generation || newest === null || newRunSeq >= firstSeq) return;
  resentUpTo = Math.max(resentUpTo ?? -1, newest);
  for (const frame of frames) {
    if (frame.seq >= firstSeq && !frame.resent && frame.id !== null && frame.id <= newest) {
      frame.resent = true;
      view.markResent(frame.seq);
    }
  }
}

// The server answered 204: the board has closed. Events missed meanwhile are not resent after
// the close; the final board is.
async function onRefusedAsClosed() {
  const mine = generation;
  const answer = await fetchJson('api/flights');
  if (mine !== generation) return;
  if (answer && Number.isInteger(answer.lastEventId) && answer.lastEventId > (lastEventId ?? -1)) {
    show(fromSnapshot(answer.flights), { kind: 'replaced' });
    lastEventId = answer.lastEventId;
    view.showLastEventId(lastEventId);
  }
  view.logLifecycle('closed', 'The server refused the stream: the board has ended');
  setStatus('closed');
}

function onFrame({ type, data, lastEventId: rawId }) {
  const id = parseEventId(rawId);
  if (type === 'snapshot' && id !== null && lastEventId !== null && id < lastEventId) {
    // Ids went back: the server was restarted with a new run, and nothing before it was resent.
    resentUpTo = null;
    catchUp = null;
    newRunSeq = seq + 1;
  }
  const resent = id !== null && resentUpTo !== null && id <= resentUpTo;
  const frame = { seq: ++seq, id, event: type, data, resent, custom: !BOARD_EVENTS.includes(type) };
  frames.push(frame);
  if (frames.length > MAX_FRAMES) frames = frames.slice(-MAX_FRAMES);
  view.logFrame(frame);
  if (id !== null) {
    lastEventId = id;
    view.showLastEventId(id);
  }
  if (catchUp && id !== null && id <= catchUp.upTo) {
    catchUp.count += 1;
    view.showCatchUp(catchUp.count);
  }
  const { board: next, change } = applyFrame(board, type, data);
  if (change.kind === 'closed') {
    // The server answers 204 to any reconnect now, so stop the browser from trying.
    stream.finish();
    view.logLifecycle('closed', 'The server closed the board');
    setStatus('closed');
  } else if (change.kind === 'ignored') {
    view.logLifecycle('info', `Ignored ${type} ${id ?? ''}: ${change.reason}`);
  } else if (change.kind !== 'custom') {
    show(next, change);
  }
}

function stop() {
  if (status === 'stopped' || status === 'closed') return;
  generation += 1;
  stream.stop();
  catchUp = null;
  view.logLifecycle('stopped', 'Stopped by you: stream closed');
  setStatus('stopped');
}

async function resume() {
  if (status !== 'stopped') return;
  const mine = ++generation;
  const from = lastEventId;
  setStatus('connecting', from === null ? 'Resuming…' : `Resuming after event ${from}…`);
  // The newest id now tells which of the coming events are the ones missed while stopped.
  const newest = await newestEventId();
  if (mine !== generation) return;
  const upTo = newest ?? from ?? -1;
  resentUpTo = upTo;
  catchUp = { upTo, count: 0 };
  view.showCatchUp(0);
  stream.open();
}

async function start() {
  const scenario = await fetchJson('api/scenario');
  const named = scenario && typeof scenario.name === 'string';
  view.showScenario(named ? scenario.name : null);
  if (!named) view.logLifecycle('info', 'Could not load api/scenario; custom events will not be shown');
  customEvents = customEventNames(scenario);
  // Stop may have been pressed while the scenario was loading.
  if (status === 'connecting') stream.open();
}

function tick() {
  const now = new Date();
  view.showClock(now);
  // Aligned to the next whole second so the display never skips one.
  setTimeout(tick, 1000 - now.getMilliseconds());
}

Object.defineProperty(window, 'sseflights', {
  enumerable: true,
  value: Object.freeze({
    board: () => inOrder(board).map((flight) => ({ ...flight })),
    get lastEventId() { return lastEventId; },
    get status() { return status; },
    frames: () => frames.map(({ id, event, data, resent }) => ({ id, event, data, resent })),
    get eventsRequests() { return stream.requests; },
  }),
});

view.onStop(stop);
view.onResume(resume);
tick();
setStatus('connecting');
view.showLastEventId(null);
show(board, { kind: 'replaced' });
kiosk?.start();
start();
