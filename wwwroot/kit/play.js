// Plays one case of the pack with this browser: its own EventSource where the case's request is one
// EventSource can make (a GET with no body and no header of the page's own), else its own fetch with
// a small reader that follows WHATWG HTML §9.2 (what a fetch-based client library does). Either way it
// resolves with the events dispatched (of the case's types), each wait before a reconnect, and
// whether the deadline ended it.

/** How long a case may run before the page gives up on it stopping by itself. */
export const DEADLINE_MS = 30000;

/** EventSource hides its reconnection time, so each wait is measured: from an error that leaves it CONNECTING to the open, or to the error that ends the wait's request. */
export function playEventSource(url, types, deadlineMs = DEADLINE_MS) {
  return new Promise((resolve) => {
    const seen = [];
    const delays = [];
    let waitingSince = null;
    const source = new EventSource(url);
    const waited = () => {
      if (waitingSince !== null) {
        delays.push(performance.now() - waitingSince);
        waitingSince = null;
      }
    };
    const deadline = setTimeout(() => { source.close(); resolve({ seen, delays, timedOut: true }); }, deadlineMs);
    source.onopen = waited;
    for (const type of types) source.addEventListener(type, (e) => seen.push({ type: e.type, data: e.data, lastEventId: e.lastEventId }));
    source.onerror = () => {
      if (source.readyState === EventSource.CONNECTING) {
        waitingSince = performance.now();
      } else if (source.readyState === EventSource.CLOSED) {
        waited();
        clearTimeout(deadline);
        resolve({ seen, delays, timedOut: false });
      }
    };
  });
}

/** The event stream interpretation of WHATWG HTML §9.2.6, fed decoded text as it arrives. */
export function createParser(dispatch, setRetry) {
  let buffer = '';
  let data = '';
  let type = '';
  // The id field sets the buffer; only a blank line makes it the last event ID, the one a reconnect sends (§9.2.6).
  let idBuffer = '';
  let lastEventId = '';
  let sawCr = false;
  const line = (text) => {
    if (text === '') {
      // A blank line dispatches; an empty data buffer dispatches nothing, and the type is reset either way.
      lastEventId = idBuffer;
      if (data !== '') dispatch({ type: type || 'message', data: data.endsWith('\n') ? data.slice(0, -1) : data, lastEventId });
      data = '';
      type = '';
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data += value + '\n';
    else if (field === 'event') type = value;
    else if (field === 'id') { if (!value.includes('\0')) idBuffer = value; }
    else if (field === 'retry') { if (/^[0-9]+$/.test(value)) setRetry(Number(value)); }
  };
  return {
    push(text) {
      for (const ch of text) {
        // A CR ends a line; an LF right after it (even in the next piece) belongs to that line ending.
        if (sawCr && ch === '\n') { sawCr = false; continue; }
        sawCr = ch === '\r';
        if (ch === '\r' || ch === '\n') { line(buffer); buffer = ''; } else buffer += ch;
      }
    },
    /** The stream ended: an event not yet ended by a blank line is discarded, its id too. */
    end() { buffer = ''; data = ''; type = ''; sawCr = false; idBuffer = lastEventId; },
    get lastEventId() { return lastEventId; },
  };
}

/**
 * A fetch-based client: sends the case's method, headers and body (again on every reconnect, with
 * Last-Event-ID), reconnects after the stream's retry: when the body ends or the network fails, and
 * stops for good on a status other than 200 or a type other than text/event-stream (§9.2.3).
 */
export async function playFetch(url, request, types, deadlineMs = DEADLINE_MS) {
  const seen = [];
  const delays = [];
  const abort = new AbortController();
  let timedOut = false;
  const deadline = setTimeout(() => { timedOut = true; abort.abort(); }, deadlineMs);
  let retry = 3000;
  let current = url;
  let waitingSince = null;
  const parser = createParser((e) => { if (types.includes(e.type)) seen.push(e); }, (ms) => { retry = ms; });
  const waited = () => {
    if (waitingSince !== null) { delays.push(performance.now() - waitingSince); waitingSince = null; }
  };
  try {
    for (;;) {
      const headers = { ...request.headers, Accept: 'text/event-stream' };
      if (parser.lastEventId !== '') headers['Last-Event-ID'] = parser.lastEventId;
      let response;
      try {
        // A GET asks for no cached answer, as EventSource does (§9.2.2); a POST's answer is never cached anyway, and
        // cache: 'no-store' would also bypass the browser's CORS-preflight cache (Chromium preflights every reconnect).
        response = await fetch(current, { method: request.method, headers, body: request.body ?? undefined, cache: request.method === 'GET' ? 'no-store' : 'default', signal: abort.signal });
      } catch (error) {
        if (timedOut) break;
        waited();
        waitingSince = performance.now();
        await sleep(retry, abort.signal);
        continue;
      }
      waited();
      const contentType = (response.headers.get('Content-Type') ?? '').split(';')[0].trim().toLowerCase();
      if (response.status !== 200 || contentType !== 'text/event-stream') {
        await response.body?.cancel().catch(() => {});
        break;
      }
      // Reconnects go to where a redirect led (the request keeps its redirected URL, whatwg/html#503).
      current = response.url || current;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(value);
        }
      } catch (error) {
        if (timedOut) break;
      }
      parser.end();
      if (timedOut) break;
      waitingSince = performance.now();
      await sleep(retry, abort.signal);
    }
  } catch (error) {
    if (!timedOut) throw error;
  } finally {
    clearTimeout(deadline);
  }
  return { seen, delays, timedOut };
}

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
});
