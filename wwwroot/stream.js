// The stream controller: owns the EventSource and every retry. It never gives up while the server
// might come back: when EventSource stops by itself it asks the server (HEAD /events) why, then
// waits out a 503's Retry-After, backs off after any other failure, and stops only for a 204
// (the board has closed). Works with the native EventSource and with polyfills, so it relies on
// no event.target, no static constants and no url property.

// EventSource's readyState values; polyfills do not all put them on the constructor.
const CONNECTING = 0;
const CLOSED = 2;

export const FIRST_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 30000;
const DEFAULT_RETRY_AFTER_S = 5;
const JITTER_MS = 1000;

/** The wait before retry number `attempt` (1, 2, ...): 1 s doubling to 30 s. */
export const backoffMs = (attempt) => Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));

/** Seconds from a Retry-After header given in seconds; anything else falls back to a default. */
export function retryAfterSeconds(header) {
  return typeof header === 'string' && /^[0-9]{1,5}$/.test(header.trim()) ? Number(header.trim()) : DEFAULT_RETRY_AFTER_S;
}

export const eventsUrl = (lastEventId) => (lastEventId === null ? 'events' : `events?lastEventId=${encodeURIComponent(lastEventId)}`);

/**
 * hooks: names() (event names to listen for), lastEventId(), frame(event), opened(reconnected),
 * state(state, message), log(kind, message), closed() (the server said 204).
 */
export class StreamController {
  #hooks;
  #source = null;
  #timer = null;
  #generation = 0;
  #reconnects = 0;
  #failures = 0;

  /** EventSources created plus reconnects the browser made by itself, for the test hooks. */
  requests = 0;

  constructor(hooks) {
    this.#hooks = hooks;
  }

  get running() {
    return this.#source !== null || this.#timer !== null;
  }

  open() {
    this.#cancel();
    this.#connect();
  }

  /** Closes the stream and forgets any scheduled retry. */
  stop() {
    this.#cancel();
  }

  /** The board closed while we were connected: make sure EventSource does not try again. */
  finish() {
    this.#cancel();
  }

  #cancel() {
    this.#generation += 1;
    if (this.#source) this.#source.close();
    this.#source = null;
    clearTimeout(this.#timer);
    this.#timer = null;
  }

  #connect() {
    const url = eventsUrl(this.#hooks.lastEventId());
    // Read at call time, so a polyfill installed as window.EventSource is the one used.
    const es = new window.EventSource(url);
    this.#source = es;
    this.requests += 1;
    es.addEventListener('open', (event) => this.#onOpen(es, event));
    es.addEventListener('error', (event) => this.#onError(es, event));
    // EventSource dispatches a named event only to listeners added for that name.
    for (const name of [...this.#hooks.names(), 'message']) {
      es.addEventListener(name, (event) => this.#onFrame(es, event));
    }
  }

  // A frame named "open" or "error" arrives as a MessageEvent on those listeners; it has an id field.
  static #isFrame = (event) => event !== null && typeof event === 'object' && typeof event.lastEventId === 'string';

  #onFrame(es, event) {
    if (es !== this.#source) return;
    this.#hooks.frame({ type: event.type, data: typeof event.data === 'string' ? event.data : '', lastEventId: event.lastEventId ?? '' });
  }

  #onOpen(es, event) {
    if (es !== this.#source) return;
    if (StreamController.#isFrame(event)) return this.#onFrame(es, event);
    const reconnected = this.#reconnects > 0 || this.#failures > 0;
    this.#reconnects = 0;
    this.#failures = 0;
    this.#hooks.opened(reconnected);
  }

  #onError(es, event) {
    if (es !== this.#source) return;
    if (StreamController.#isFrame(event)) return this.#onFrame(es, event);
    if (es.readyState === CONNECTING) {
      this.requests += 1;
      this.#reconnects += 1;
      const id = this.#hooks.lastEventId();
      this.#hooks.state('reconnecting', `Reconnecting… (attempt ${this.#reconnects})`);
      this.#hooks.log('error', `Stream lost; reconnecting with Last-Event-ID ${id ?? '(none)'} (attempt ${this.#reconnects})`);
      return;
    }
    if (es.readyState === CLOSED || es.readyState === undefined) {
      es.close();
      this.#source = null;
      this.#whyStopped(this.#generation);
    }
  }

  // EventSource stopped by itself and tells no status: HEAD /events answers what a GET would get now.
  async #whyStopped(generation) {
    let status = 0;
    let retryAfter = null;
    try {
      const response = await fetch(eventsUrl(this.#hooks.lastEventId()), { method: 'HEAD', cache: 'no-store' });
      status = response.status;
      retryAfter = response.headers.get('Retry-After');
    } catch (error) {
      // The server is not there at all: status 0, retried with backoff below.
      if (!(error instanceof TypeError)) throw error;
    }
    if (generation !== this.#generation) return;
    if (status === 204) {
      this.#hooks.closed();
      return;
    }
    if (status === 503) {
      const waitMs = retryAfterSeconds(retryAfter) * 1000 + Math.floor(Math.random() * JITTER_MS);
      this.#hooks.log('error', `The server is full (503); retrying in ${Math.ceil(waitMs / 1000)} s`);
      this.#countDown(waitMs, (s) => this.#hooks.state('full', `Server full, retrying in ${s} s`));
      return;
    }
    this.#failures += 1;
    const waitMs = backoffMs(this.#failures);
    const why = status === 0 ? 'the server cannot be reached' : `the server answered ${status}`;
    this.#hooks.log('error', `The stream stopped: ${why}; retrying in ${waitMs / 1000} s (attempt ${this.#failures})`);
    this.#countDown(waitMs, (s) => this.#hooks.state('retrying', `Connection failed, retrying in ${s} s (attempt ${this.#failures})`));
  }

  // Shows the seconds left once a second, then connects again; stop() cancels it.
  #countDown(waitMs, show) {
    const due = performance.now() + waitMs;
    const step = () => {
      const left = due - performance.now();
      if (left <= 0) {
        this.#timer = null;
        this.#hooks.state('connecting');
        this.#connect();
        return;
      }
      const seconds = Math.ceil(left / 1000);
      show(seconds);
      // Wake just after the shown number changes (timers may fire a little early).
      this.#timer = setTimeout(step, left - (seconds - 1) * 1000 + 5);
    };
    step();
  }
}
