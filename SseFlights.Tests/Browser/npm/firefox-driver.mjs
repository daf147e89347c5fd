// Drives Debian's Firefox ESR for the .NET tests, over WebDriver BiDi with npm puppeteer-core: no
// geckodriver, no downloaded browser. It lives next to package.json so that the import finds
// ./node_modules from this file's own folder, whatever the working directory.
//
// Start: node firefox-driver.mjs '{"acceptInsecureCerts":false}'. It launches Firefox headless with
// a temp profile (puppeteer's, deleted on close) and prints {"event":"ready","version":"firefox/…"}.
// Then one JSON command a line on stdin, {"id":n,"op":"…",…}, each answered (in any order) by one line,
// {"id":n,"ok":true,"value":…} or {"id":n,"ok":false,"error":"…"}. Between answers it prints what
// the pages report: {"event":"console"|"pageerror"|"request","page":p,…}.
//
// Ops: newContext; newPage {context?, width, height, initScripts?, fakeTimers?}; goto {page, url};
// evaluate {page, fn, args?}; waitForFunction {page, fn, args?, timeoutMs?}; click {page, selector};
// setViewport {page, width, height}; screenshot {page, path}; runClock {page, ms}; closePage {page};
// closeContext {context}; quit. fn is a function's source, called with args in the page; its result
// travels as JSON. Each page without a context gets a browser context of its own (as a Playwright
// context), so pages share no cookies, cache or connections.
import puppeteer from 'puppeteer-core';
import { createInterface } from 'node:readline';

const options = JSON.parse(process.argv[2] ?? '{}');

// Only the fake timers a test asks for (kiosk paging): setTimeout/setInterval and their clears run
// when the test says, by runClock; Date, performance.now and the network run as ever.
function installFakeTimers() {
  let now = 0;
  let nextId = 1;
  const timers = new Map();
  const add = (callback, ms, args, repeat) => {
    const id = nextId++;
    const delay = Math.max(0, Number(ms) || 0);
    timers.set(id, { callback, delay, due: now + delay, args, repeat });
    return id;
  };
  window.setTimeout = (callback, ms, ...args) => add(callback, ms, args, false);
  window.setInterval = (callback, ms, ...args) => add(callback, ms, args, true);
  window.clearTimeout = window.clearInterval = (id) => { timers.delete(id); };
  window.__fakeTimers = {
    runFor(ms) {
      const until = now + ms;
      for (;;) {
        const [id, timer] = [...timers].filter(([, t]) => t.due <= until).sort(([a, x], [b, y]) => x.due - y.due || a - b)[0] ?? [];
        if (timer === undefined) break;
        now = timer.due;
        if (timer.repeat) timer.due += Math.max(1, timer.delay); else timers.delete(id);
        if (typeof timer.callback === 'function') timer.callback(...timer.args);
      }
      now = until;
    },
  };
}

const browser = await puppeteer.launch({
  browser: 'firefox',
  protocol: 'webDriverBiDi',
  executablePath: '/usr/bin/firefox-esr',
  headless: true,
  acceptInsecureCerts: options.acceptInsecureCerts === true,
  // Nothing but the test's own loopback servers: no speculative connects, prefetches or lookups.
  extraPrefsFirefox: {
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'network.http.speculative-parallel-limit': 0,
    'browser.search.update': false,
    'app.normandy.enabled': false,
  },
});

const contexts = new Map();
const pages = new Map();
let nextHandle = 1;
const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');

function pageOf(command) {
  const page = pages.get(command.page);
  if (page === undefined) throw new Error(`no page ${command.page}`);
  return page;
}

const call = (fn, args) => `(${fn})(...${JSON.stringify(args ?? [])})`;

// Tabs and contexts are made and closed one at a time: Firefox ESR was seen to answer a
// browsingContext.create with "no such frame" (DiscardedBrowsingContextError) while another
// context was closing.
let lifecycle = Promise.resolve();
function oneAtATime(work) {
  const done = lifecycle.then(work, work);
  lifecycle = done.catch(() => {});
  return done;
}

async function openTab(command) {
  const context = command.context === undefined ? await browser.createBrowserContext() : contexts.get(command.context);
  try {
    return { context, page: await context.newPage() };
  } catch (error) {
    if (command.context === undefined) await context.close().catch(() => {});
    throw error;
  }
}

async function newPage(command) {
  const { context, page } = await oneAtATime(() => openTab(command));
  const handle = nextHandle++;
  pages.set(handle, { page, ownContext: command.context === undefined ? context : null });
  page.on('console', (message) => send({ event: 'console', page: handle, type: message.type(), text: message.text(), location: message.location()?.url ?? '' }));
  page.on('pageerror', (error) => send({ event: 'pageerror', page: handle, text: String(error?.message ?? error) }));
  page.on('request', (request) => send({ event: 'request', page: handle, method: request.method(), url: request.url(), headers: request.headers() }));
  await page.setViewport({ width: command.width ?? 1280, height: command.height ?? 800 });
  if (command.fakeTimers) await page.evaluateOnNewDocument(installFakeTimers);
  for (const script of command.initScripts ?? []) await page.evaluateOnNewDocument(script);
  return handle;
}

async function waitForFunction({ page, fn, args, timeoutMs }) {
  const deadline = Date.now() + (timeoutMs ?? 10000);
  // Polled from here, not in the page: a page on fake timers has no running setTimeout to poll with.
  for (;;) {
    const value = await page.evaluate(call(fn, args)).catch((error) => {
      // A navigation in progress destroys the context the function ran in: ask again.
      if (/context|navigat|destroyed|discarded/i.test(String(error?.message))) return undefined;
      throw error;
    });
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs ?? 10000} ms waiting for ${fn}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ops = {
  newContext: async () => { const handle = nextHandle++; contexts.set(handle, await oneAtATime(() => browser.createBrowserContext())); return handle; },
  newPage,
  goto: async (c) => (await pageOf(c).page.goto(c.url))?.status() ?? null,
  evaluate: async (c) => (await pageOf(c).page.evaluate(call(c.fn, c.args))) ?? null,
  waitForFunction: async (c) => waitForFunction({ ...c, page: pageOf(c).page }),
  click: async (c) => { await pageOf(c).page.click(c.selector); return null; },
  setViewport: async (c) => { await pageOf(c).page.setViewport({ width: c.width, height: c.height }); return null; },
  screenshot: async (c) => { await pageOf(c).page.screenshot({ path: c.path, type: 'png' }); return null; },
  runClock: async (c) => { await pageOf(c).page.evaluate(call('ms => window.__fakeTimers.runFor(ms)', [c.ms])); return null; },
  closePage: async (c) => {
    const { page, ownContext } = pageOf(c);
    pages.delete(c.page);
    await oneAtATime(async () => {
      await page.close();
      await ownContext?.close();
    });
    return null;
  },
  closeContext: async (c) => { await oneAtATime(async () => contexts.get(c.context)?.close()); contexts.delete(c.context); return null; },
};

async function run(command) {
  const op = ops[command.op];
  try {
    if (op === undefined) throw new Error(`unknown op ${command.op}`);
    send({ id: command.id, ok: true, value: await op(command) });
  } catch (error) {
    send({ id: command.id, ok: false, error: String(error?.stack ?? error) });
  }
}

send({ event: 'ready', version: await browser.version() });

// Commands run side by side (a wait for one page does not hold up another's), each answered by its id.
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = JSON.parse(line);
  if (command.op === 'quit') break;
  run(command);
}

// quit, or stdin closed: the browser goes with us (puppeteer deletes its temp profile).
await browser.close();
send({ event: 'closed' });
