// The board model: pure functions from a board and one frame to a new board. No DOM, no timers,
// no globals, so `node --test` checks it without a browser. A board is a frozen Map from flight
// code to a frozen {flight, origin, arrival, state}; nothing here mutates its input.

export const BOARD_EVENTS = Object.freeze(['snapshot', 'flightStateUpdate', 'flightAddition', 'flightRemoval', 'closedConnection']);

// EventSource's own event names: a custom event with one of these names would be mistaken for a
// connection event (or handled twice), so the page never listens for it by name.
export const RESERVED_EVENTS = Object.freeze(new Set([...BOARD_EVENTS, 'message', 'open', 'error']));

const FIELDS = ['origin', 'arrival', 'state'];

export const emptyBoard = () => freezeBoard(new Map());

const text = (value) => (typeof value === 'string' ? value : '');
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

function freezeBoard(map) {
  // A frozen Map still has set(); the model never calls it after this point.
  return Object.freeze(map);
}

function toFlight(raw) {
  return Object.freeze({ flight: text(raw.flight), origin: text(raw.origin), arrival: text(raw.arrival), state: text(raw.state) });
}

/** "HH:MM" strings sort lexically; ordinal comparison matches the server's order, the flight code breaks ties. */
export function byArrival(a, b) {
  if (a.arrival !== b.arrival) return a.arrival < b.arrival ? -1 : 1;
  if (a.flight !== b.flight) return a.flight < b.flight ? -1 : 1;
  return 0;
}

/** The flights in the order the board shows them. */
export const inOrder = (board) => [...board.values()].sort(byArrival);

/** An SSE id as the page counts it: a plain non-negative integer, or null. */
export function parseEventId(raw) {
  if (typeof raw !== 'string' || !/^[0-9]{1,15}$/.test(raw)) return null;
  return Number(raw);
}

/** The scenario's custom event names the page may listen for by name. */
export function customEventNames(scenario) {
  const names = isObject(scenario) && Array.isArray(scenario.customEvents) ? scenario.customEvents : [];
  return [...new Set(names.filter((name) => typeof name === 'string' && name !== '' && !RESERVED_EVENTS.has(name)))];
}

export function fromSnapshot(list) {
  const map = new Map();
  for (const raw of Array.isArray(list) ? list : []) {
    if (!isObject(raw)) continue;
    const flight = toFlight(raw);
    if (flight.flight !== '') map.set(flight.flight, flight);
  }
  return freezeBoard(map);
}

/**
 * Applies one frame. Returns the new board (the same object when nothing changed) and what
 * happened, for the renderer: replaced, added, updated, removed (with the flight code), closed,
 * custom (not a board event), or ignored (with the reason).
 */
export function applyFrame(board, eventName, dataText) {
  if (eventName === 'closedConnection') return { board, change: { kind: 'closed' } };
  if (!BOARD_EVENTS.includes(eventName)) return { board, change: { kind: 'custom' } };
  let data;
  try {
    data = JSON.parse(dataText);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { board, change: { kind: 'ignored', reason: 'its data is not JSON' } };
  }
  if (!isObject(data)) return { board, change: { kind: 'ignored', reason: 'its data is not an object' } };
  switch (eventName) {
    case 'snapshot':
      return { board: fromSnapshot(data.flights), change: { kind: 'replaced' } };
    case 'flightRemoval':
      return remove(board, text(data.flight));
    default:
      return upsert(board, data);
  }
}

function upsert(board, data) {
  const code = text(data.flight);
  if (code === '') return { board, change: { kind: 'ignored', reason: 'it names no flight' } };
  const known = board.get(code);
  // An update carries only the fields that changed.
  const next = { ...(known ?? { flight: code, origin: '', arrival: '', state: '' }) };
  for (const key of FIELDS) {
    if (key in data) next[key] = text(data[key]);
  }
  const map = new Map(board);
  map.set(code, Object.freeze(next));
  return { board: freezeBoard(map), change: { kind: known ? 'updated' : 'added', flight: code } };
}

function remove(board, code) {
  if (!board.has(code)) return { board, change: { kind: 'ignored', reason: `${code || 'the flight'} is not on the board` } };
  const map = new Map(board);
  map.delete(code);
  return { board: freezeBoard(map), change: { kind: 'removed', flight: code } };
}
