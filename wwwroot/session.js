// The session: everything the page keeps between frames (the board, the newest event id, the
// last MAX_FRAMES frames for the test hooks, the status) and the rules for what a frame, an
// answer from api/flights, or a press of Stop or Resume changes: which frames were resent after a
// reconnect, the Resume catch-up count, a restarted server's new run, and the final board when
// the server refuses the stream. Pure: no DOM, no fetch, no EventSource, no timers, so
// `node --test` checks it. Every input returns the updates it causes, in order, for app.js to
// carry out:
//   {kind: 'status', state, message, canStop, canResume}    {kind: 'board', board, change}
//   {kind: 'lastEventId', id}    {kind: 'frame', frame}    {kind: 'resent', seq}
//   {kind: 'catchUp', count}    {kind: 'log', lifecycle, message}    {kind: 'scenario', name}
//   {kind: 'stream', action}: open, stop or finish the stream.
//   {kind: 'fetchFlights', ticket}: fetch api/flights, then pass the answer (or null) with the
//     ticket to answered(); an answer to a request made before a later Stop or Resume is ignored.
// Everything it keeps is bounded: a board on a wall runs for weeks.

import { applyFrame, BOARD_EVENTS, customEventNames, emptyBoard, fromSnapshot, parseEventId } from './board-model.js';

export const MAX_FRAMES = 200;

/** The statuses in which the stream is wanted, so Stop is offered. */
export const RUNNING = Object.freeze(['connecting', 'live', 'reconnecting', 'full', 'retrying']);

/** Why api/flights was asked: which frames a reconnect resent, where a Resume catches up to, or the final board. */
export const ASKED = Object.freeze({ resent: 'resent', resume: 'resume', closed: 'closed' });

const log = (lifecycle, message) => ({ kind: 'log', lifecycle, message });
const stream = (action) => ({ kind: 'stream', action });
const replaced = (board) => ({ kind: 'board', board, change: { kind: 'replaced' } });

/** The newest event id in an api/flights answer, or null. */
const newestIdOf = (answer) => (answer && Number.isInteger(answer.lastEventId) ? answer.lastEventId : null);

export class Session {
  #board = emptyBoard();
  #status = 'connecting';
  #lastEventId = null;
  #customEvents = [];
  /** The newest frames, oldest first: {seq, id, event, data, resent, custom}. */
  #frames = [];
  #seq = 0;
  // Frames whose id is at or below this were already sent on an earlier stream.
  #resentUpTo = null;
  // During a Resume: the newest id when it began and how many of those events came back.
  #catchUp = null;
  // The sequence number of the last snapshot whose id went back (a restarted server's new run).
  #newRunSeq = 0;
  // Bumped by Stop and Resume so an answer to an older request is ignored.
  #generation = 0;

  get board() {
    return this.#board;
  }

  get status() {
    return this.#status;
  }

  get lastEventId() {
    return this.#lastEventId;
  }

  /** Copies of the newest frames, oldest first. */
  frames() {
    return this.#frames.map((frame) => ({ ...frame }));
  }

  /** The event names to listen for: the board's and the scenario's custom ones. */
  eventNames() {
    return [...BOARD_EVENTS, ...this.#customEvents];
  }

  /** What the page shows before anything has arrived. */
  begin() {
    return [this.#setStatus('connecting'), { kind: 'lastEventId', id: this.#lastEventId }, replaced(this.#board)];
  }

  /** api/scenario answered (null when it could not be loaded). */
  scenarioLoaded(scenario) {
    const named = Boolean(scenario) && typeof scenario.name === 'string';
    this.#customEvents = customEventNames(scenario);
    const updates = [{ kind: 'scenario', name: named ? scenario.name : null }];
    if (!named) updates.push(log('info', 'Could not load api/scenario; custom events will not be shown'));
    // Stop may have been pressed while the scenario was loading.
    if (this.#status === 'connecting') updates.push(stream('open'));
    return updates;
  }

  /** A frame from the stream: {type, data, lastEventId} as the stream controller gives it. */
  frame({ type, data, lastEventId: rawId }) {
    const id = parseEventId(rawId);
    if (type === 'snapshot' && id !== null && this.#lastEventId !== null && id < this.#lastEventId) {
      // Ids went back: the server was restarted with a new run, and nothing before it was resent.
      this.#resentUpTo = null;
      this.#catchUp = null;
      this.#newRunSeq = this.#seq + 1;
    }
    const resent = id !== null && this.#resentUpTo !== null && id <= this.#resentUpTo;
    const frame = { seq: ++this.#seq, id, event: type, data, resent, custom: !BOARD_EVENTS.includes(type) };
    this.#frames.push(frame);
    if (this.#frames.length > MAX_FRAMES) this.#frames.shift();
    const updates = [{ kind: 'frame', frame: { ...frame } }];
    if (id !== null) {
      this.#lastEventId = id;
      updates.push({ kind: 'lastEventId', id });
    }
    if (this.#catchUp && id !== null && id <= this.#catchUp.upTo) {
      this.#catchUp.count += 1;
      updates.push({ kind: 'catchUp', count: this.#catchUp.count });
    }
    const { board, change } = applyFrame(this.#board, type, data);
    if (change.kind === 'closed') {
      // The server answers 204 to any reconnect now, so stop the browser from trying.
      updates.push(stream('finish'), log('closed', 'The server closed the board'), this.#setStatus('closed'));
    } else if (change.kind === 'ignored') {
      updates.push(log('info', `Ignored ${type} ${id ?? ''}: ${change.reason}`));
    } else if (change.kind !== 'custom') {
      this.#board = board;
      updates.push({ kind: 'board', board, change });
    }
    return updates;
  }

  /** The stream opened; `reconnected` when it follows a lost or failed one. */
  opened(reconnected) {
    const after = this.#lastEventId === null ? '' : ` after event ${this.#lastEventId}`;
    const updates = [this.#setStatus('live'), log('open', `Stream open${after}`)];
    // After a reconnect the server first resends what it published while we were away. The newest
    // id it knows once the stream is open tells those frames from live ones; the frames that
    // arrive before the answer are marked when it comes. Approximate: an event published in
    // between also counts as resent.
    if (reconnected) updates.push(this.#ask(ASKED.resent, { firstSeq: this.#seq + 1 }));
    return updates;
  }

  /** The stream controller's own status: connecting, reconnecting, full or retrying, with its message. */
  streamState(state, message) {
    return [this.#setStatus(state, message)];
  }

  /** The server answered 204: the board has closed. The final board is fetched, not the missed events. */
  refused() {
    return [this.#ask(ASKED.closed)];
  }

  /** The user pressed Stop. */
  stop() {
    if (this.#status === 'stopped' || this.#status === 'closed') return [];
    this.#generation += 1;
    this.#catchUp = null;
    return [stream('stop'), log('stopped', 'Stopped by you: stream closed'), this.#setStatus('stopped')];
  }

  /** The user pressed Resume: the newest id now tells which coming events were missed while stopped. */
  resume() {
    if (this.#status !== 'stopped') return [];
    this.#generation += 1;
    const from = this.#lastEventId;
    const message = from === null ? 'Resuming…' : `Resuming after event ${from}…`;
    return [this.#setStatus('connecting', message), this.#ask(ASKED.resume, { from })];
  }

  /** api/flights answered `answer` (null when it failed) to the request `ticket` came with. */
  answered(ticket, answer) {
    if (ticket.generation !== this.#generation) return [];
    switch (ticket.asked) {
      case ASKED.resent:
        return this.#markResent(ticket.firstSeq, newestIdOf(answer));
      case ASKED.resume:
        return this.#catchUpTo(newestIdOf(answer) ?? ticket.from ?? -1);
      case ASKED.closed:
        return this.#close(answer);
      default:
        throw new RangeError(`No request asked ${ticket.asked}`);
    }
  }

  #ask(asked, details = {}) {
    return { kind: 'fetchFlights', ticket: Object.freeze({ asked, generation: this.#generation, ...details }) };
  }

  #setStatus(state, message) {
    this.#status = state;
    return { kind: 'status', state, message: message ?? null, canStop: RUNNING.includes(state), canResume: state === 'stopped' };
  }

  // Marks the frames since the stream opened whose id is at or below the newest one the server knew.
  #markResent(firstSeq, newest) {
    // A new run's snapshot came on this stream: nothing on it was sent before.
    if (newest === null || this.#newRunSeq >= firstSeq) return [];
    this.#resentUpTo = Math.max(this.#resentUpTo ?? -1, newest);
    const updates = [];
    for (const frame of this.#frames) {
      if (frame.seq >= firstSeq && !frame.resent && frame.id !== null && frame.id <= newest) {
        frame.resent = true;
        updates.push({ kind: 'resent', seq: frame.seq });
      }
    }
    return updates;
  }

  #catchUpTo(upTo) {
    this.#resentUpTo = upTo;
    this.#catchUp = { upTo, count: 0 };
    return [{ kind: 'catchUp', count: 0 }, stream('open')];
  }

  // Events missed meanwhile are not resent after the close; the final board is, if it is newer.
  #close(answer) {
    const updates = [];
    const newest = newestIdOf(answer);
    if (newest !== null && newest > (this.#lastEventId ?? -1)) {
      this.#board = fromSnapshot(answer.flights);
      this.#lastEventId = newest;
      updates.push(replaced(this.#board), { kind: 'lastEventId', id: newest });
    }
    updates.push(log('closed', 'The server refused the stream: the board has ended'), this.#setStatus('closed'));
    return updates;
  }
}
