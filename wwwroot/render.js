// The renderer: the only module that touches the board's DOM, and only in the document it is given
// (never the global one). Server data reaches the page only through textContent. It keeps no
// history: the protocol log holds at most MAX_LOGGED items in all, and a log item is found again by
// its sequence number, never through a reference kept elsewhere.

import { inOrder } from './board-model.js';

export const MAX_LOGGED = 50;
const REMOVE_FADE_MS = 800;
const COLUMNS = ['origin', 'flight', 'arrival', 'state'];

const STATUS_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  full: 'Server full, retrying',
  retrying: 'Connection failed, retrying',
  closed: 'Closed by the server: the board has ended',
  stopped: 'Stopped by you',
};

const pad = (n, width = 2) => String(n).padStart(width, '0');
export const clockTime = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
const logTime = (d) => `${clockTime(d)}.${pad(d.getMilliseconds(), 3)}`;

// "On time" → "state-on-time"; anything unexpected still gets a safe class name.
function stateClass(state) {
  const slug = state.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `state-${slug || 'none'}`;
}

export class Renderer {
  /** The document it draws in: the only one it touches. */
  #doc;
  #view;
  /** Flight code → the <tr> showing it, for the flights on the board only. */
  #rows = new Map();

  constructor(doc) {
    this.#doc = doc;
    const $ = (id) => doc.getElementById(id);
    this.#view = {
      scenario: $('scenario-name'),
      clock: $('clock'),
      status: $('status'),
      lastEventId: $('last-event-id'),
      caughtUp: $('caught-up'),
      stop: $('stop'),
      resume: $('resume'),
      caption: $('board-caption'),
      tbody: doc.querySelector('#board tbody'),
      empty: $('board-empty'),
      frames: $('frames'),
    };
  }

  get tbody() {
    return this.#view.tbody;
  }

  onStop(handler) {
    this.#view.stop.addEventListener('click', handler);
  }

  onResume(handler) {
    this.#view.resume.addEventListener('click', handler);
  }

  showScenario(name) {
    this.#view.scenario.textContent = name ?? 'Scenario unavailable';
    if (name) this.#doc.title = `Arrivals · ${name}`;
  }

  showClock(now) {
    this.#view.clock.textContent = clockTime(now);
    this.#view.clock.dateTime = now.toISOString();
  }

  /** Shows `board` after `change` (from the model): rows flash when added or updated and fade when removed. */
  showBoard(board, change) {
    if (change.kind === 'replaced') {
      this.#rows.clear();
      this.#view.tbody.replaceChildren();
      for (const flight of board.values()) {
        const tr = this.#createRow(flight);
        tr.classList.add('added');
        this.#rows.set(flight.flight, tr);
      }
    } else if (change.kind === 'added' || change.kind === 'updated') {
      const flight = board.get(change.flight);
      let tr = this.#rows.get(change.flight);
      if (tr) this.#fillRow(tr, flight);
      else this.#rows.set(change.flight, (tr = this.#createRow(flight)));
      this.#flash(tr, change.kind);
    } else if (change.kind === 'removed') {
      const tr = this.#rows.get(change.flight);
      this.#rows.delete(change.flight);
      if (tr) {
        tr.classList.add('removing');
        tr.setAttribute('aria-hidden', 'true');
        // A timer rather than animationend: with reduced motion there is no animation to end.
        setTimeout(() => tr.remove(), REMOVE_FADE_MS);
      }
    }
    this.#renderOrder(board);
  }

  #createRow(flight) {
    const tr = this.#doc.createElement('tr');
    tr.dataset.flight = flight.flight;
    for (const column of COLUMNS) {
      const td = this.#doc.createElement('td');
      td.className = column;
      td.append(this.#span('flap', ''));
      tr.append(td);
    }
    // Cleared when done so that moving the row in the DOM does not replay it.
    tr.addEventListener('animationend', (event) => {
      if (event.animationName === 'flip-in') tr.classList.remove('added');
      if (event.animationName === 'row-highlight') tr.classList.remove('updated');
    });
    this.#fillRow(tr, flight);
    return tr;
  }

  #fillRow(tr, flight) {
    COLUMNS.forEach((column, i) => {
      const td = tr.cells[i];
      td.firstChild.textContent = flight[column];
      if (column === 'state') td.className = `state ${stateClass(flight.state)}`;
    });
  }

  // Restarts the row's animation even when the previous one is still running.
  #flash(tr, className) {
    tr.classList.remove('added', 'updated');
    void tr.offsetWidth;
    tr.classList.add(className);
  }

  // Moves rows into arrival order, leaving fading rows where they are.
  #renderOrder(board) {
    const tbody = this.#view.tbody;
    let cursor = tbody.firstElementChild;
    for (const flight of inOrder(board)) {
      const tr = this.#rows.get(flight.flight);
      while (cursor && cursor.classList.contains('removing')) cursor = cursor.nextElementSibling;
      if (cursor === tr) cursor = tr.nextElementSibling;
      else tbody.insertBefore(tr, cursor);
    }
    const count = board.size;
    this.#view.caption.textContent = `${count} ${count === 1 ? 'flight' : 'flights'}, in order of arrival`;
    this.#view.empty.hidden = count > 0;
  }

  showStatus(state, message, { canStop, canResume }) {
    const view = this.#view;
    view.status.dataset.state = state;
    view.status.textContent = message ?? STATUS_TEXT[state];
    const focused = this.#doc.activeElement;
    view.stop.disabled = !canStop;
    view.resume.disabled = !canResume;
    // A button that disables itself under the keyboard would otherwise drop focus to the page.
    if (focused === view.stop && view.stop.disabled && !view.resume.disabled) view.resume.focus();
    if (focused === view.resume && view.resume.disabled && !view.stop.disabled) view.stop.focus();
  }

  showLastEventId(id) {
    this.#view.lastEventId.textContent = id === null ? '' : String(id);
  }

  showCatchUp(count) {
    const el = this.#view.caughtUp;
    el.hidden = false;
    el.dataset.count = String(count);
    el.textContent = `Caught up on ${count} ${count === 1 ? 'event' : 'events'}`;
  }

  /** frame: {seq, id, event, data, resent, custom}. */
  logFrame(frame) {
    const li = this.#logItem('frame');
    li.dataset.seq = String(frame.seq);
    li.dataset.id = frame.id === null ? '' : String(frame.id);
    li.dataset.event = frame.event;
    li.dataset.resent = 'false';
    if (frame.custom) li.classList.add('custom');
    const code = this.#doc.createElement('code');
    code.textContent = frame.data;
    li.append(this.#span('frame-id', li.dataset.id), this.#span('frame-event', frame.event), code);
    this.#addToLog(li);
    if (frame.resent) this.markResent(frame.seq);
  }

  /** Marks a logged frame resent, if it is still in the log. */
  markResent(seq) {
    const li = this.#view.frames.querySelector(`:scope > li[data-seq="${seq}"]`);
    if (!li || li.dataset.resent === 'true') return;
    li.dataset.resent = 'true';
    li.classList.add('resent');
    li.querySelector('code').before(this.#span('badge-resent', 'resent'));
  }

  /** kind is open, error, closed, stopped or info. */
  logLifecycle(kind, message) {
    const li = this.#logItem(`lifecycle lifecycle-${kind}`);
    li.dataset.lifecycle = kind;
    li.append(this.#span('lifecycle-kind', kind), this.#span('lifecycle-text', message));
    this.#addToLog(li);
  }

  #span(className, content) {
    const el = this.#doc.createElement('span');
    el.className = className;
    el.textContent = content;
    return el;
  }

  #logItem(className) {
    const li = this.#doc.createElement('li');
    li.className = className;
    const time = this.#doc.createElement('time');
    time.textContent = logTime(new Date());
    li.append(time);
    return li;
  }

  // Newest first; the oldest items go once there are more than MAX_LOGGED of any kind.
  #addToLog(li) {
    const list = this.#view.frames;
    list.prepend(li);
    while (list.childElementCount > MAX_LOGGED) list.lastElementChild.remove();
  }
}
