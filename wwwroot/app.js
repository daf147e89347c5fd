// The arrivals board's wiring: creates the renderer, the kiosk, the session and the stream
// controller, does the fetches, and carries out the updates the session returns. It keeps no state
// of its own: the session holds what the page knows, the renderer what it shows.

import { inOrder } from './board-model.js';
import { Renderer } from './render.js';
import { Session } from './session.js';
import { StreamController } from './stream.js';
import { Kiosk } from './kiosk.js';

const view = new Renderer(document);
const kiosk = new URLSearchParams(location.search).has('kiosk') ? new Kiosk(document, view.tbody) : null;
const session = new Session();
const stream = new StreamController({
  names: () => session.eventNames(),
  lastEventId: () => session.lastEventId,
  frame: (frame) => apply(session.frame(frame)),
  opened: (reconnected) => apply(session.opened(reconnected)),
  state: (next, message) => apply(session.streamState(next, message)),
  log: (kind, message) => view.logLifecycle(kind, message),
  closed: () => apply(session.refused()),
});

async function fetchJson(url) {
  try {
    const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
    return response.ok ? await response.json() : null;
  } catch (error) {
    // A network failure or a body that is not JSON: the session carries on without it.
    if (error instanceof TypeError || error instanceof SyntaxError) return null;
    throw error;
  }
}

/** Carries out the session's updates, in order. */
function apply(updates) {
  for (const update of updates) {
    switch (update.kind) {
      case 'status':
        view.showStatus(update.state, update.message, { canStop: update.canStop, canResume: update.canResume });
        break;
      case 'board':
        view.showBoard(update.board, update.change);
        kiosk?.refresh();
        break;
      case 'lastEventId':
        view.showLastEventId(update.id);
        break;
      case 'frame':
        view.logFrame(update.frame);
        break;
      case 'resent':
        view.markResent(update.seq);
        break;
      case 'catchUp':
        view.showCatchUp(update.count);
        break;
      case 'log':
        view.logLifecycle(update.lifecycle, update.message);
        break;
      case 'scenario':
        view.showScenario(update.name);
        break;
      case 'stream':
        stream[update.action]();
        break;
      case 'fetchFlights':
        fetchJson('api/flights').then((answer) => apply(session.answered(update.ticket, answer)));
        break;
      default:
        throw new RangeError(`Unknown update ${update.kind}`);
    }
  }
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
    board: () => inOrder(session.board).map((flight) => ({ ...flight })),
    get lastEventId() { return session.lastEventId; },
    get status() { return session.status; },
    frames: () => session.frames().map(({ id, event, data, resent }) => ({ id, event, data, resent })),
    get eventsRequests() { return stream.requests; },
  }),
});

view.onStop(() => apply(session.stop()));
view.onResume(() => apply(session.resume()));
tick();
apply(session.begin());
kiosk?.start();
fetchJson('api/scenario').then((scenario) => apply(session.scenarioLoaded(scenario)));
