// Node.js peer for the SseFlights benchmark: the tutorial's plain `http` server, as a tutorial
// reader would deploy it (a broadcast list of responses, one `res.write` per client per event),
// with the tutorial's faults fixed so it plays the same wire contract as sseflights:
// one shared timeline on a shared clock, ids 1, 2, 3... in timeline order, a snapshot for fresh
// clients, Last-Event-ID resend from a history that keeps every event, `drop`, closedConnection
// then 204, and /healthz. No npm dependencies.
//
//   node server.js --port 20001 --scenario scenario.json [--speed 1] [--host 127.0.0.1] [--retry 3000] [--clock start|first-client]
//
// --clock first-client starts the scenario clock when the first /events client connects instead of at
// start-up, so a test's client that starts slowly on a busy machine still gets the whole timeline.
"use strict";

const http = require("http");
const fs = require("fs");
const { performance } = require("perf_hooks");

function parseArgs(argv) {
  const options = { port: 5000, host: "127.0.0.1", scenario: null, speed: 1, retry: 3000, clock: "start" };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`missing value for ${name}`);
    if (name === "--port") options.port = Number.parseInt(value, 10);
    else if (name === "--host") options.host = value;
    else if (name === "--scenario") options.scenario = value;
    else if (name === "--speed") options.speed = Number.parseFloat(value);
    else if (name === "--retry") {
      if (!/^\d+$/.test(value)) throw new Error(`--retry must be a whole number of milliseconds, not '${value}'`);
      options.retry = Number.parseInt(value, 10);
    } else if (name === "--clock") {
      if (value !== "start" && value !== "first-client") throw new Error(`--clock must be start or first-client, not '${value}'`);
      options.clock = value;
    } else throw new Error(`unknown option ${name}`);
  }
  if (!options.scenario) throw new Error("--scenario is required");
  if (!(options.speed > 0)) throw new Error("--speed must be > 0");
  return options;
}

const options = parseArgs(process.argv.slice(2));
const scenario = JSON.parse(fs.readFileSync(options.scenario, "utf8"));

// The scenario clock: entry i is due at startedAt + at / speed. performance.now() is monotonic;
// timeOrigin + now() gives the wall clock with sub-millisecond digits for /healthz.
let startPerf = performance.now();
let startedAt = isoWithMicroseconds(performance.timeOrigin + startPerf);
let clockStarted = false;

function startClock() {
  if (clockStarted) return;
  clockStarted = true;
  startPerf = performance.now();
  startedAt = isoWithMicroseconds(performance.timeOrigin + startPerf);
  tick();
}

const flights = scenario.flights.map((f) => ({ ...f }));
const history = []; // history[id - 1] is the frame of event id: resend needs every one of them.
const clients = new Set(); // the broadcast list of open responses
let lastEventId = 0;
let closed = false;

function isoWithMicroseconds(epochMs) {
  const whole = Math.floor(epochMs);
  const micros = Math.floor((epochMs - whole) * 1000);
  const iso = new Date(whole).toISOString(); // 2026-11-24T02:00:00.123Z
  return `${iso.slice(0, -1)}${String(micros).padStart(3, "0")}0Z`;
}

function frame(name, data, id) {
  return `event: ${name}\ndata: ${data}\nid: ${id}\n\n`;
}

function applyToBoard(entry) {
  const data = entry.data;
  if (entry.event === "flightStateUpdate") {
    const flight = flights.find((f) => f.flight === data.flight);
    if (flight) flight.state = data.state;
  } else if (entry.event === "flightAddition") {
    flights.push({ ...data });
  } else if (entry.event === "flightRemoval") {
    const index = flights.findIndex((f) => f.flight === data.flight);
    if (index >= 0) flights.splice(index, 1);
  }
}

function play(entry) {
  if (entry.action === "drop") {
    // Cut every stream without a word; clients come back with Last-Event-ID.
    for (const res of clients) res.destroy();
    clients.clear();
    return;
  }
  lastEventId += 1;
  applyToBoard(entry);
  const data = entry.event === "closedConnection" ? "" : JSON.stringify(entry.data ?? {});
  const text = frame(entry.event, data, lastEventId);
  history.push(text);
  for (const res of clients) res.write(text);
  if (entry.event === "closedConnection") {
    closed = true;
    for (const res of clients) res.end();
    clients.clear();
  }
}

// One entry per turn of the event loop, in timeline order: a timer for the next one if it is not
// due yet, setImmediate if it is. Playing every due entry in one loop would starve the event loop
// when behind: Node corks chunked responses and uncorks them on process.nextTick, so nothing
// would reach a socket (and /healthz would not answer) until the loop caught up.
let next = 0;
function dueAt(index) {
  return startPerf + (scenario.timeline[index].at * 1000) / options.speed;
}
function tick() {
  if (next >= scenario.timeline.length) return;
  const wait = dueAt(next) - performance.now();
  if (wait > 0) {
    setTimeout(tick, wait);
    return;
  }
  play(scenario.timeline[next]);
  next += 1;
  setImmediate(tick);
}

function requestedLastEventId(req, url) {
  const raw = req.headers["last-event-id"] ?? url.searchParams.get("lastEventId");
  if (raw === undefined || raw === null || !/^\d+$/.test(raw.trim())) return null;
  return Number.parseInt(raw.trim(), 10);
}

function events(req, res, url) {
  if (closed) {
    res.writeHead(204);
    res.end();
    return;
  }
  res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache",
    Connection: "keep-alive",
  });
  res.write(`retry: ${options.retry}\n\n`);
  const resumeAfter = requestedLastEventId(req, url);
  if (resumeAfter === null) {
    res.write(frame("snapshot", JSON.stringify({ flights }), lastEventId));
  } else {
    for (const text of history.slice(resumeAfter)) res.write(text);
  }
  clients.add(res);
  res.on("close", () => clients.delete(res));
  if (options.clock === "first-client") startClock();
}

function healthz(res) {
  const body = JSON.stringify({
    status: "ok",
    clients: clients.size,
    lastEventId,
    startedAt,
    speed: options.speed,
    closed,
  });
  res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  if (req.method === "GET" && url.pathname === "/events") events(req, res, url);
  else if (req.method === "GET" && url.pathname === "/healthz") healthz(res);
  else {
    res.writeHead(404);
    res.end();
  }
});

server.listen(options.port, options.host, () => {
  console.log(`node peer listening on http://${options.host}:${options.port}/ startedAt=${startedAt}`);
  if (options.clock === "start") startClock();
});

function shutdown() {
  for (const res of clients) res.end();
  clients.clear();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
