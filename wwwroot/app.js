'use strict';

// The arrivals board: keeps a model of the flights in step with the server's
// Server-Sent Events stream and renders it, with Stop/Resume controls and a
// protocol log. Server data only ever reaches the page through textContent.
(() => {
  const MAX_LOGGED = 50;
  const REMOVE_FADE_MS = 800;
  const BOARD_EVENTS = ['snapshot', 'flightStateUpdate', 'flightAddition', 'flightRemoval', 'closedConnection'];
  // A custom event with one of these names would be handled twice (or mistaken
  // for a connection event), so such names are not listened to separately.
  const RESERVED_EVENTS = new Set([...BOARD_EVENTS, 'message', 'open', 'error']);
  const COLUMNS = ['origin', 'flight', 'arrival', 'state'];

  const STATUS_TEXT = {
    connecting: 'Connecting…',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    closed: 'Closed by the server: the board has ended',
    stopped: 'Stopped by you',
  };

  const $ = (id) => document.getElementById(id);
  const view = {
    scenario: $('scenario-name'),
    clock: $('clock'),
    status: $('status'),
    lastEventId: $('last-event-id'),
    caughtUp: $('caught-up'),
    stop: $('stop'),
    resume: $('resume'),
    caption: $('board-caption'),
    tbody: document.querySelector('#board tbody'),
    empty: $('board-empty'),
    frames: $('frames'),
  };

  /** Flight code → {flight, origin, arrival, state}. A removed flight leaves at once, while its row still fades. */
  const flights = new Map();
  /** Flight code → the <tr> showing it, for the flights in the model only. */
  const rows = new Map();
  /** Every frame since the page loaded, for window.sseflights.frames(). */
  const frames = [];
  /** Frame → its protocol log item, to mark it resent once that is known. */
  const logItems = new WeakMap();

  let source = null;
  let status = 'connecting';
  let lastEventId = null;
  let eventsRequests = 0;
  let reconnectAttempt = 0;
  let customEvents = [];
  // Frames whose id is at or below this were already sent on an earlier stream.
  let resentUpTo = null;
  // During a Resume: the newest id when it began and how many of those events came back.
  let catchUp = null;
  // Bumped by Stop and Resume so an answer to an older request is ignored.
  let generation = 0;

  // ---- Model -------------------------------------------------------------

  const text = (value) => (typeof value === 'string' ? value : '');

  function toFlight(raw) {
    return { flight: text(raw.flight), origin: text(raw.origin), arrival: text(raw.arrival), state: text(raw.state) };
  }

  // "HH:MM" strings sort lexically; ordinal comparison matches the server's order.
  function byArrival(a, b) {
    if (a.arrival !== b.arrival) return a.arrival < b.arrival ? -1 : 1;
    if (a.flight !== b.flight) return a.flight < b.flight ? -1 : 1;
    return 0;
  }

  const boardInOrder = () => [...flights.values()].sort(byArrival);

  function replaceBoard(list) {
    flights.clear();
    rows.clear();
    view.tbody.replaceChildren();
    for (const raw of list) {
      const flight = toFlight(raw);
      if (flight.flight === '') continue;
      flights.set(flight.flight, flight);
      rows.set(flight.flight, createRow(flight));
    }
    for (const tr of rows.values()) tr.classList.add('added');
    renderOrder();
  }

  function upsertFlight(raw) {
    const code = text(raw.flight);
    if (code === '') return;
    const known = flights.get(code);
    // An update carries only the fields that changed.
    const flight = known ? { ...known } : { flight: code, origin: '', arrival: '', state: '' };
    for (const key of ['origin', 'arrival', 'state']) {
      if (key in raw) flight[key] = text(raw[key]);
    }
    flights.set(code, flight);
    let tr = rows.get(code);
    if (tr) {
      fillRow(tr, flight);
    } else {
      tr = createRow(flight);
      rows.set(code, tr);
    }
    flash(tr, known ? 'updated' : 'added');
    renderOrder();
  }

  function removeFlight(raw) {
    const code = text(raw.flight);
    const tr = rows.get(code);
    flights.delete(code);
    rows.delete(code);
    if (tr) {
      tr.classList.add('removing');
      tr.setAttribute('aria-hidden', 'true');
      // A timer rather than animationend: with reduced motion there is no animation to end.
      setTimeout(() => tr.remove(), REMOVE_FADE_MS);
    }
    renderOrder();
  }

  // ---- Board view --------------------------------------------------------

  // "On time" → "state-on-time"; anything unexpected still gets a safe class name.
  function stateClass(state) {
    const slug = state.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    return `state-${slug || 'none'}`;
  }

  function createRow(flight) {
    const tr = document.createElement('tr');
    tr.dataset.flight = flight.flight;
    for (const column of COLUMNS) {
      const td = document.createElement('td');
      td.className = column;
      const flap = document.createElement('span');
      flap.className = 'flap';
      td.append(flap);
      tr.append(td);
    }
    // Cleared when done so that moving the row in the DOM does not replay it.
    tr.addEventListener('animationend', (event) => {
      if (event.animationName === 'flip-in') tr.classList.remove('added');
      if (event.animationName === 'row-highlight') tr.classList.remove('updated');
    });
    fillRow(tr, flight);
    return tr;
  }

  function fillRow(tr, flight) {
    COLUMNS.forEach((column, i) => {
      const td = tr.cells[i];
      td.firstChild.textContent = flight[column];
      if (column === 'state') td.className = `state ${stateClass(flight.state)}`;
    });
  }

  // Restarts the row's animation even when the previous one is still running.
  function flash(tr, className) {
    tr.classList.remove('added', 'updated');
    void tr.offsetWidth;
    tr.classList.add(className);
  }

  // Moves rows into arrival order, leaving fading rows where they are.
  function renderOrder() {
    let cursor = view.tbody.firstElementChild;
    for (const flight of boardInOrder()) {
      const tr = rows.get(flight.flight);
      while (cursor && cursor.classList.contains('removing')) cursor = cursor.nextElementSibling;
      if (cursor === tr) cursor = tr.nextElementSibling;
      else view.tbody.insertBefore(tr, cursor);
    }
    const count = flights.size;
    view.caption.textContent = `${count} ${count === 1 ? 'flight' : 'flights'}, in order of arrival`;
    view.empty.hidden = count > 0;
  }

  // ---- Status and controls ----------------------------------------------

  function setStatus(next, message) {
    status = next;
    view.status.dataset.state = next;
    view.status.textContent = message ?? STATUS_TEXT[next];
    const focused = document.activeElement;
    const running = next === 'connecting' || next === 'live' || next === 'reconnecting';
    view.stop.disabled = !running;
    view.resume.disabled = next !== 'stopped';
    // A button that disables itself under the keyboard would otherwise drop focus to the page.
    if (focused === view.stop && view.stop.disabled && !view.resume.disabled) view.resume.focus();
    if (focused === view.resume && view.resume.disabled && !view.stop.disabled) view.stop.focus();
  }

  function showLastEventId() {
    view.lastEventId.textContent = lastEventId === null ? '' : String(lastEventId);
  }

  function showCatchUp() {
    const count = catchUp.count;
    view.caughtUp.hidden = false;
    view.caughtUp.dataset.count = String(count);
    view.caughtUp.textContent = `Caught up on ${count} ${count === 1 ? 'event' : 'events'}`;
  }

  // ---- Protocol log -----------------------------------------------------

  const pad = (n, width = 2) => String(n).padStart(width, '0');
  const clockTime = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const logTime = (d) => `${clockTime(d)}.${pad(d.getMilliseconds(), 3)}`;

  function span(className, content) {
    const el = document.createElement('span');
    el.className = className;
    el.textContent = content;
    return el;
  }

  function logItem(className) {
    const li = document.createElement('li');
    li.className = className;
    const time = document.createElement('time');
    time.textContent = logTime(new Date());
    li.append(time);
    return li;
  }

  function logFrame(frame) {
    const li = logItem('frame');
    li.dataset.id = frame.id === null ? '' : String(frame.id);
    li.dataset.event = frame.event;
    li.dataset.resent = 'false';
    if (!BOARD_EVENTS.includes(frame.event)) li.classList.add('custom');
    const code = document.createElement('code');
    code.textContent = frame.data;
    li.append(span('frame-id', li.dataset.id), span('frame-event', frame.event), code);
    logItems.set(frame, li);
    if (frame.resent) showResent(frame);
    addToLog(li, 'frame');
  }

  function showResent(frame) {
    const li = logItems.get(frame);
    if (!li || li.dataset.resent === 'true') return;
    li.dataset.resent = 'true';
    li.classList.add('resent');
    li.querySelector('code').before(span('badge-resent', 'resent'));
  }

  /** kind is open, error, closed, stopped or info. */
  function logLifecycle(kind, message) {
    const li = logItem(`lifecycle lifecycle-${kind}`);
    li.dataset.lifecycle = kind;
    li.append(span('lifecycle-kind', kind), span('lifecycle-text', message));
    addToLog(li, 'lifecycle');
  }

  function addToLog(li, kind) {
    view.frames.prepend(li);
    const items = view.frames.querySelectorAll(`:scope > li.${kind}`);
    for (let i = MAX_LOGGED; i < items.length; i++) items[i].remove();
  }

  // ---- Stream ------------------------------------------------------------

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

  function openStream(url) {
    const es = new EventSource(url);
    source = es;
    eventsRequests += 1;
    reconnectAttempt = 0;
    es.addEventListener('open', () => onOpen(es));
    es.addEventListener('error', () => onError(es));
    // EventSource dispatches a named event only to listeners added for that name.
    for (const name of [...BOARD_EVENTS, ...customEvents, 'message']) es.addEventListener(name, onFrame);
  }

  function onOpen(es) {
    if (es !== source) return;
    const reconnected = reconnectAttempt > 0;
    reconnectAttempt = 0;
    setStatus('live');
    const url = new URL(es.url);
    logLifecycle('open', `Stream open: ${url.pathname}${url.search}`);
    if (reconnected) markResentSince(frames.length, es);
  }

  // After a reconnect the server first resends what it published while we were away.
  // The newest id it knows once the stream is open tells those frames from live ones;
  // the frames that arrive before the answer are marked when it comes. Approximate:
  // an event published in between also counts as resent.
  async function markResentSince(firstIndex, es) {
    const newest = await newestEventId();
    if (es !== source || newest === null) return;
    resentUpTo = Math.max(resentUpTo ?? -1, newest);
    for (const frame of frames.slice(firstIndex)) {
      if (!frame.resent && frame.id !== null && frame.id <= newest) {
        frame.resent = true;
        showResent(frame);
      }
    }
  }

  async function onError(es) {
    if (es !== source) return;
    if (es.readyState === EventSource.CONNECTING) {
      eventsRequests += 1;
      reconnectAttempt += 1;
      setStatus('reconnecting', `${STATUS_TEXT.reconnecting} (attempt ${reconnectAttempt})`);
      logLifecycle('error', `Stream lost; the browser reconnects with Last-Event-ID ${lastEventId ?? '(none)'} (attempt ${reconnectAttempt})`);
      return;
    }
    // The browser gave up: the server answered 204 (board closed) or something that is not a stream.
    source = null;
    const mine = generation;
    const answer = await fetchJson('api/flights');
    if (mine !== generation) return;
    if (answer && answer.closed === true) {
      // Events missed while stopped are not resent once the board has closed; its final state is.
      if (Number.isInteger(answer.lastEventId) && answer.lastEventId > (lastEventId ?? -1) && Array.isArray(answer.flights)) {
        replaceBoard(answer.flights);
        lastEventId = answer.lastEventId;
        showLastEventId();
      }
      logLifecycle('closed', 'The server refused the stream: the board has ended');
      setStatus('closed');
    } else {
      logLifecycle('error', 'The server refused the stream');
      setStatus('stopped', 'Disconnected: the server refused the stream. Resume to try again');
    }
  }

  function onFrame(event) {
    if (event.target !== source) return;
    const parsedId = event.lastEventId === '' ? NaN : Number(event.lastEventId);
    const id = Number.isFinite(parsedId) ? parsedId : null;
    const resent = id !== null && resentUpTo !== null && id <= resentUpTo;
    const frame = { id, event: event.type, data: event.data, resent };
    frames.push(frame);
    logFrame(frame);
    if (id !== null) {
      lastEventId = id;
      showLastEventId();
    }
    if (catchUp && id !== null && id <= catchUp.upTo) {
      catchUp.count += 1;
      showCatchUp();
    }
    applyFrame(frame);
  }

  function applyFrame(frame) {
    if (frame.event === 'closedConnection') {
      // The server answers 204 to any reconnect now, so stop the browser from trying.
      source.close();
      source = null;
      logLifecycle('closed', 'The server closed the board');
      setStatus('closed');
      return;
    }
    if (!BOARD_EVENTS.includes(frame.event)) return;
    let data;
    try {
      data = JSON.parse(frame.data);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      logLifecycle('info', `Ignored ${frame.event} ${frame.id ?? ''}: its data is not JSON`);
      return;
    }
    if (data === null || typeof data !== 'object') return;
    switch (frame.event) {
      case 'snapshot': replaceBoard(Array.isArray(data.flights) ? data.flights.filter(isObject) : []); break;
      case 'flightStateUpdate':
      case 'flightAddition': upsertFlight(data); break;
      case 'flightRemoval': removeFlight(data); break;
    }
  }

  const isObject = (value) => value !== null && typeof value === 'object';

  function stop() {
    if (status === 'stopped' || status === 'closed') return;
    generation += 1;
    if (source) source.close();
    source = null;
    catchUp = null;
    logLifecycle('stopped', 'Stopped by you: stream closed');
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
    showCatchUp();
    openStream(from === null ? 'events' : `events?lastEventId=${encodeURIComponent(from)}`);
  }

  async function start() {
    const scenario = await fetchJson('api/scenario');
    if (scenario && typeof scenario.name === 'string') {
      view.scenario.textContent = scenario.name;
      document.title = `Arrivals · ${scenario.name}`;
    } else {
      view.scenario.textContent = 'Scenario unavailable';
      logLifecycle('info', 'Could not load api/scenario; custom events will not be shown');
    }
    const names = scenario && Array.isArray(scenario.customEvents) ? scenario.customEvents : [];
    customEvents = names.filter((name) => typeof name === 'string' && name !== '' && !RESERVED_EVENTS.has(name));
    // Stop may have been pressed while the scenario was loading.
    if (status === 'connecting') openStream('events');
  }

  // ---- Clock -------------------------------------------------------------

  function tick() {
    const now = new Date();
    view.clock.textContent = clockTime(now);
    view.clock.dateTime = now.toISOString();
    // Aligned to the next whole second so the display never skips one.
    setTimeout(tick, 1000 - now.getMilliseconds());
  }

  // ---- Test hooks --------------------------------------------------------

  Object.defineProperty(window, 'sseflights', {
    enumerable: true,
    value: Object.freeze({
      board: () => boardInOrder().map((flight) => ({ ...flight })),
      get lastEventId() { return lastEventId; },
      get status() { return status; },
      frames: () => frames.map((frame) => ({ ...frame })),
      get eventsRequests() { return eventsRequests; },
    }),
  });

  view.stop.addEventListener('click', stop);
  view.resume.addEventListener('click', resume);
  tick();
  setStatus('connecting');
  showLastEventId();
  renderOrder();
  start();
})();
