// Unit tests for the page's session (what the page keeps between frames, and what each frame,
// answer and press of Stop or Resume changes), run by `node --test`: inputs in, exact updates out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOARD_EVENTS } from '../../wwwroot/board-model.js';
import { MAX_FRAMES, RUNNING, Session } from '../../wwwroot/session.js';

const flight = (code, state = '') => ({ flight: code, origin: '', arrival: '', state });
const snapshot = (id, ...codes) => ({ type: 'snapshot', data: JSON.stringify({ flights: codes.map((c) => flight(c)) }), lastEventId: String(id) });
const update = (id, code, state) => ({ type: 'flightStateUpdate', data: JSON.stringify({ flight: code, state }), lastEventId: String(id) });
const board = (...flights) => new Map(flights.map((f) => [f.flight, f]));

const status = (state, message = null) => ({ kind: 'status', state, message, canStop: RUNNING.includes(state), canResume: state === 'stopped' });
const log = (lifecycle, message) => ({ kind: 'log', lifecycle, message });
const stream = (action) => ({ kind: 'stream', action });
const fetchFlights = (ticket) => ({ kind: 'fetchFlights', ticket });
const ticketIn = (updates) => updates.find((u) => u.kind === 'fetchFlights').ticket;
const of = (updates, kind) => updates.filter((u) => u.kind === kind);
const closing = [log('closed', 'The server refused the stream: the board has ended'), status('closed')];

/** A live session: scenario loaded, stream open, a snapshot (id 1) with A1, then updates up to `lastId`. */
function live(lastId = 1) {
  const session = new Session();
  session.begin();
  session.scenarioLoaded({ name: 'Demo' });
  session.opened(false);
  session.frame(snapshot(1, 'A1'));
  for (let id = 2; id <= lastId; id += 1) session.frame(update(id, 'A1', `s${id}`));
  return session;
}

/** A live session stopped and resumed; the Resume's ticket is answered with `answer`. */
function resumed(lastId, answer) {
  const session = live(lastId);
  session.stop();
  session.answered(ticketIn(session.resume()), answer);
  return session;
}

test('begin shows connecting, no event id and an empty board', () => {
  const session = new Session();
  assert.deepEqual(session.begin(), [status('connecting'), { kind: 'lastEventId', id: null }, { kind: 'board', board: board(), change: { kind: 'replaced' } }]);
  assert.equal(session.status, 'connecting');
  assert.equal(session.lastEventId, null);
  assert.deepEqual(session.frames(), []);
});

test('the scenario names the board and its custom events, and the stream opens unless Stop came first', () => {
  const session = new Session();
  assert.deepEqual(session.scenarioLoaded({ name: 'Demo', customEvents: ['gateChange', 'open', 'gateChange'] }), [{ kind: 'scenario', name: 'Demo' }, stream('open')]);
  assert.deepEqual(session.eventNames(), [...BOARD_EVENTS, 'gateChange']);

  const unnamed = new Session();
  assert.deepEqual(unnamed.scenarioLoaded(null), [
    { kind: 'scenario', name: null },
    log('info', 'Could not load api/scenario; custom events will not be shown'),
    stream('open'),
  ]);
  assert.deepEqual(unnamed.eventNames(), [...BOARD_EVENTS]);

  const stopped = new Session();
  stopped.stop();
  assert.deepEqual(stopped.scenarioLoaded({ name: 'Demo' }), [{ kind: 'scenario', name: 'Demo' }]);
});

test('a frame is logged, moves the newest id and changes the board', () => {
  const session = new Session();
  const first = snapshot(1, 'A1');
  assert.deepEqual(session.frame(first), [
    { kind: 'frame', frame: { seq: 1, id: 1, event: 'snapshot', data: first.data, resent: false, custom: false } },
    { kind: 'lastEventId', id: 1 },
    { kind: 'board', board: board(flight('A1')), change: { kind: 'replaced' } },
  ]);
  const second = update(2, 'A1', 'landed');
  assert.deepEqual(session.frame(second), [
    { kind: 'frame', frame: { seq: 2, id: 2, event: 'flightStateUpdate', data: second.data, resent: false, custom: false } },
    { kind: 'lastEventId', id: 2 },
    { kind: 'board', board: board(flight('A1', 'landed')), change: { kind: 'updated', flight: 'A1' } },
  ]);
  assert.deepEqual(session.board, board(flight('A1', 'landed')));
  assert.equal(session.lastEventId, 2);
});

test('a frame without a usable id keeps the newest id; custom and ignored frames leave the board alone', () => {
  const session = live(2);
  const before = session.board;
  assert.deepEqual(session.frame({ type: 'gateChange', data: 'B12', lastEventId: '' }), [
    { kind: 'frame', frame: { seq: 3, id: null, event: 'gateChange', data: 'B12', resent: false, custom: true } },
  ]);
  assert.deepEqual(session.frame({ type: 'gateChange', data: 'C1', lastEventId: '-4' }), [
    { kind: 'frame', frame: { seq: 4, id: null, event: 'gateChange', data: 'C1', resent: false, custom: true } },
  ]);
  assert.equal(session.lastEventId, 2);
  const removal = { type: 'flightRemoval', data: '{"flight":"Z9"}', lastEventId: '3' };
  assert.deepEqual(session.frame(removal), [
    { kind: 'frame', frame: { seq: 5, id: 3, event: 'flightRemoval', data: removal.data, resent: false, custom: false } },
    { kind: 'lastEventId', id: 3 },
    log('info', 'Ignored flightRemoval 3: Z9 is not on the board'),
  ]);
  assert.deepEqual(of(session.frame({ type: 'flightAddition', data: 'nope', lastEventId: '' }), 'log'), [log('info', 'Ignored flightAddition : its data is not JSON')]);
  assert.equal(session.board, before);
});

test('closedConnection finishes the stream and closes the page; Stop and Resume then do nothing', () => {
  const session = live(3);
  assert.deepEqual(session.frame({ type: 'closedConnection', data: '{}', lastEventId: '4' }), [
    { kind: 'frame', frame: { seq: 4, id: 4, event: 'closedConnection', data: '{}', resent: false, custom: false } },
    { kind: 'lastEventId', id: 4 },
    stream('finish'),
    log('closed', 'The server closed the board'),
    { kind: 'status', state: 'closed', message: null, canStop: false, canResume: false },
  ]);
  assert.equal(session.status, 'closed');
  assert.deepEqual(session.stop(), []);
  assert.deepEqual(session.resume(), []);
});

test('the frame log keeps the newest 200 frames, oldest first, and hands out copies', () => {
  assert.equal(MAX_FRAMES, 200);
  const session = live(250);
  const frames = session.frames();
  assert.equal(frames.length, 200);
  assert.deepEqual([frames[0].seq, frames[0].id, frames[199].seq, frames[199].id], [51, 51, 250, 250]);
  assert.deepEqual(frames.map((f) => f.seq), Array.from({ length: 200 }, (_, i) => 51 + i));
  session.frame(update(251, 'A1', 'x'));
  assert.deepEqual([session.frames()[0].seq, session.frames().length], [52, 200]);
  frames[199].resent = true;
  assert.equal(session.frames()[198].resent, false);
});

test('Stop is offered in every running status, Resume only when stopped, neither when closed', () => {
  assert.deepEqual(RUNNING, ['connecting', 'live', 'reconnecting', 'full', 'retrying']);
  const session = live();
  for (const state of RUNNING) {
    assert.deepEqual(session.streamState(state, `${state}…`), [{ kind: 'status', state, message: `${state}…`, canStop: true, canResume: false }]);
    assert.equal(session.status, state);
  }
  assert.deepEqual(session.streamState('connecting'), [{ kind: 'status', state: 'connecting', message: null, canStop: true, canResume: false }]);
  assert.deepEqual(session.stop().at(-1), { kind: 'status', state: 'stopped', message: null, canStop: false, canResume: true });
  assert.deepEqual(session.opened(false)[0], { kind: 'status', state: 'live', message: null, canStop: true, canResume: false });
});

test('Stop closes the stream once; pressed again it does nothing', () => {
  const session = live(5);
  assert.deepEqual(session.stop(), [stream('stop'), log('stopped', 'Stopped by you: stream closed'), status('stopped')]);
  assert.equal(session.status, 'stopped');
  assert.deepEqual(session.stop(), []);
});

test('Resume asks for the newest id, then reopens and counts and marks the missed events as they come back', () => {
  const session = live(5);
  assert.deepEqual(session.resume(), [], 'Resume does nothing unless stopped');
  session.stop();
  const asked = session.resume();
  assert.deepEqual(asked, [status('connecting', 'Resuming after event 5…'), fetchFlights({ asked: 'resume', generation: 2, from: 5 })]);
  assert.deepEqual(session.resume(), [], 'a second press while resuming does nothing');
  assert.deepEqual(session.answered(ticketIn(asked), { lastEventId: 8, flights: [] }), [{ kind: 'catchUp', count: 0 }, stream('open')]);
  const seen = [6, 7, 8, 9].map((id) => session.frame(update(id, 'A1', `s${id}`)));
  assert.deepEqual(seen.map((u) => of(u, 'catchUp')), [[{ kind: 'catchUp', count: 1 }], [{ kind: 'catchUp', count: 2 }], [{ kind: 'catchUp', count: 3 }], []]);
  assert.deepEqual(seen.map((u) => u[0].frame.resent), [true, true, true, false]);
});

test('Resume without an answer catches up to the id it stopped at; with no id yet, to nothing', () => {
  const session = resumed(5, null);
  assert.deepEqual([5, 6].map((id) => [session.frame(update(id, 'A1', 'x'))[0].frame.resent, session.frames().at(-1).resent]), [[true, true], [false, false]]);

  const fresh = new Session();
  fresh.stop();
  const asked = fresh.resume();
  assert.deepEqual(asked, [status('connecting', 'Resuming…'), fetchFlights({ asked: 'resume', generation: 2, from: null })]);
  assert.deepEqual(fresh.answered(ticketIn(asked), { lastEventId: 'x' }), [{ kind: 'catchUp', count: 0 }, stream('open')]);
  const first = fresh.frame(snapshot(0, 'A1'));
  assert.equal(first[0].frame.resent, false);
  assert.deepEqual(of(first, 'catchUp'), []);
});

test('catch-up is counted only during a Resume: not on a plain stream, not after Stop, not for a reconnect', () => {
  const plain = live(1);
  assert.deepEqual([2, 3].flatMap((id) => of(plain.frame(update(id, 'A1', 'x')), 'catchUp')), []);

  const session = resumed(5, { lastEventId: 8 });
  assert.deepEqual(of(session.frame(update(6, 'A1', 'x')), 'catchUp'), [{ kind: 'catchUp', count: 1 }]);
  session.stop();
  assert.deepEqual(of(session.frame(update(7, 'A1', 'x')), 'catchUp'), []);

  const reconnected = live(5);
  const ticket = ticketIn(reconnected.opened(true));
  reconnected.frame(update(5, 'A1', 'x'));
  assert.deepEqual(of(reconnected.answered(ticket, { lastEventId: 5 }), 'catchUp'), []);
  assert.deepEqual(of(reconnected.frame(update(4, 'A1', 'x')), 'catchUp'), []);
});

test('an answer to a request made before a later Stop or Resume is ignored', () => {
  const session = live(5);
  session.stop();
  const first = ticketIn(session.resume());
  session.stop();
  const second = ticketIn(session.resume());
  assert.deepEqual(session.answered(first, { lastEventId: 9 }), []);
  assert.equal(session.status, 'connecting');
  assert.deepEqual(session.answered(second, { lastEventId: 9 }), [{ kind: 'catchUp', count: 0 }, stream('open')]);

  const reconnect = live(5);
  const resentTicket = ticketIn(reconnect.opened(true));
  reconnect.frame(update(5, 'A1', 'x'));
  reconnect.stop();
  assert.deepEqual(reconnect.answered(resentTicket, { lastEventId: 5 }), []);
  assert.deepEqual(reconnect.frames().map((f) => f.resent), [false, false, false, false, false, false]);

  const refused = live(5);
  const closedTicket = ticketIn(refused.refused());
  refused.stop();
  assert.deepEqual(refused.answered(closedTicket, { lastEventId: 9, flights: [] }), []);
  assert.deepEqual([refused.status, refused.lastEventId, refused.board.size], ['stopped', 5, 1]);
});

test('after a reconnect the frames since the open at or below the newest id are marked resent, and later ones as they come', () => {
  const session = live(5);
  const opened = session.opened(true);
  assert.deepEqual(opened, [status('live'), log('open', 'Stream open after event 5'), fetchFlights({ asked: 'resent', generation: 0, firstSeq: 6 })]);
  for (const id of [4, 5, 6]) assert.equal(session.frame(update(id, 'A1', 'x'))[0].frame.resent, false);
  assert.deepEqual(session.answered(ticketIn(opened), { lastEventId: 5 }), [{ kind: 'resent', seq: 6 }, { kind: 'resent', seq: 7 }]);
  assert.deepEqual(session.frames().map((f) => [f.seq, f.resent]), [[1, false], [2, false], [3, false], [4, false], [5, false], [6, true], [7, true], [8, false]]);
  assert.equal(session.frame(update(5, 'A1', 'x'))[0].frame.resent, true);
  assert.equal(session.frame(update(7, 'A1', 'x'))[0].frame.resent, false);
  assert.deepEqual(session.frame({ type: 'gateChange', data: 'B1', lastEventId: '' })[0].frame.resent, false);
});

test('a first open asks nothing, and an unanswered reconnect marks nothing', () => {
  const fresh = new Session();
  assert.deepEqual(fresh.opened(false), [status('live'), log('open', 'Stream open')]);

  const session = live(3);
  const ticket = ticketIn(session.opened(true));
  session.frame(update(3, 'A1', 'x'));
  assert.deepEqual(session.answered(ticket, null), []);
  assert.equal(session.frame(update(2, 'A1', 'x'))[0].frame.resent, false);
});

test('a snapshot whose id went back is a new run: nothing on it is resent, and a Resume before it stops counting', () => {
  const session = live(10);
  const ticket = ticketIn(session.opened(true));
  session.frame(snapshot(2, 'B2'));
  session.frame(update(3, 'B2', 'x'));
  assert.deepEqual(session.answered(ticket, { lastEventId: 3 }), []);
  assert.deepEqual(session.frames().slice(-2).map((f) => f.resent), [false, false]);
  assert.equal(session.lastEventId, 3);

  // The next reconnect, on the new run, marks again.
  const again = ticketIn(session.opened(true));
  session.frame(update(3, 'B2', 'x'));
  assert.deepEqual(session.answered(again, { lastEventId: 3 }), [{ kind: 'resent', seq: 13 }]);

  const resuming = resumed(10, { lastEventId: 12 });
  const before = resuming.frame(update(11, 'A1', 'x'));
  assert.deepEqual([before[0].frame.resent, of(before, 'catchUp')], [true, [{ kind: 'catchUp', count: 1 }]]);
  for (const frame of [snapshot(1, 'B2'), update(2, 'B2', 'x')]) {
    const updates = resuming.frame(frame);
    assert.deepEqual([updates[0].frame.resent, of(updates, 'catchUp')], [false, []]);
  }
});

test('a snapshot with the same or a newer id is not a new run', () => {
  const session = live(5);
  const ticket = ticketIn(session.opened(true));
  session.frame(snapshot(5, 'A1'));
  assert.deepEqual(session.answered(ticket, { lastEventId: 5 }), [{ kind: 'resent', seq: 6 }]);
});

test('the server refused the stream (204) with a newer final board: it is shown, then the page closes', () => {
  const session = live(5);
  assert.deepEqual(session.refused(), [fetchFlights({ asked: 'closed', generation: 0 })]);
  const answer = { lastEventId: 7, flights: [flight('B2', 'landed')] };
  assert.deepEqual(session.answered(ticketIn(session.refused()), answer), [
    { kind: 'board', board: board(flight('B2', 'landed')), change: { kind: 'replaced' } },
    { kind: 'lastEventId', id: 7 },
    ...closing,
  ]);
  assert.deepEqual([session.status, session.lastEventId, session.board], ['closed', 7, board(flight('B2', 'landed'))]);

  const empty = new Session();
  assert.deepEqual(empty.answered(ticketIn(empty.refused()), { lastEventId: 0, flights: [] }).map((u) => u.kind), ['board', 'lastEventId', 'log', 'status']);
});

test('the server refused the stream (204) with no newer board: the page only closes', () => {
  for (const answer of [{ lastEventId: 5, flights: [] }, { lastEventId: 4, flights: [] }, { lastEventId: '9', flights: [] }, {}, null]) {
    const session = live(5);
    const before = session.board;
    assert.deepEqual(session.answered(ticketIn(session.refused()), answer), closing, JSON.stringify(answer));
    assert.deepEqual([session.status, session.lastEventId, session.board], ['closed', 5, before]);
  }
});
