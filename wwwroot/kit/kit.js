// The kit page's controller: loads the pack, plays its cases side by side with this browser (a few at
// a time: a browser opens at most six HTTP/1.1 connections to one host), grades each as it ends, and
// renders the table, the summary and the report. ?case=NAME plays that case alone.
import { clientOf, grade, summarize } from './grade.js';
import { DEADLINE_MS, playEventSource, playFetch } from './play.js';

/** Cases played at once per host: one of the browser's six connections stays free for the page's own requests. */
const AT_ONCE = 5;

const client = clientOf(navigator.userAgent);
const table = document.getElementById('cases');
const summary = document.getElementById('summary');
const download = document.getElementById('download');
const runId = () => Math.random().toString(36).slice(2, 10) + Date.now().toString(36);

/** The stream's URL for a case in run `run`; a cross-origin case goes to this server's other loopback name. */
function streamUrl(testCase, run) {
  const url = new URL(testCase.stream, location.href);
  url.searchParams.set('run', run);
  if (testCase.request.crossOrigin) {
    const other = { '127.0.0.1': 'localhost', localhost: '127.0.0.1' }[url.hostname];
    if (other === undefined) return null;
    url.hostname = other;
  }
  return url;
}

async function requestsOf(testCase, run) {
  const url = new URL(testCase.stream.replace(/\/events$/, '/requests'), location.href);
  url.searchParams.set('run', run);
  const response = await fetch(url, { cache: 'no-store' });
  return response.ok ? response.json() : [];
}

/** Plays one case and grades it: a row of the report. */
async function playCase(testCase, run) {
  const url = streamUrl(testCase, run);
  if (url === null) {
    return { name: testCase.name, outcome: 'skipped', ms: 0, differences: ['needs a second origin: open the kit at 127.0.0.1 or localhost'] };
  }
  const started = performance.now();
  const played = testCase.request.eventSource
    ? await playEventSource(url.href, testCase.types, DEADLINE_MS)
    : await playFetch(url.href, testCase.request, testCase.types, DEADLINE_MS);
  const requests = await requestsOf(testCase, run);
  const observed = { events: played.seen, delays: played.delays, timedOut: played.timedOut, requests };
  const graded = grade(testCase, client, observed);
  return {
    name: testCase.name,
    client: testCase.request.eventSource ? 'EventSource' : 'fetch',
    outcome: graded.outcome,
    ms: Math.round(performance.now() - started),
    differences: graded.differences,
    reason: graded.reason ?? null,
    observed: { events: played.seen, delays: played.delays.map(Math.round), timedOut: played.timedOut, requests: requests.map(({ method, headers, body, sincePreviousMs }) => ({ method, headers, body, sincePreviousMs })) },
  };
}

const OUTCOME_TEXT = { 'as-spec': 'pass', 'known-deviation': 'known deviation', fail: 'fail', skipped: 'not run', running: 'running…', waiting: 'waiting' };

function renderRow(testCase, result) {
  let row = table.querySelector(`tr[data-case="${testCase.name}"]`);
  if (row === null) {
    row = document.createElement('tr');
    row.dataset.case = testCase.name;
    row.innerHTML = '<th scope="row"><a></a></th><td class="spec"></td><td class="did"></td><td class="outcome"></td><td class="ms"></td>';
    row.querySelector('a').textContent = testCase.name;
    row.querySelector('a').href = `?case=${encodeURIComponent(testCase.name)}`;
    const spec = row.querySelector('.spec');
    spec.textContent = testCase.description;
    const events = document.createElement('small');
    events.textContent = `${testCase.expect.events.length} events, ${testCase.expect.requests} requests`;
    spec.append(document.createElement('br'), events);
    table.append(row);
  }
  row.dataset.outcome = result.outcome;
  row.querySelector('.outcome').textContent = OUTCOME_TEXT[result.outcome];
  row.querySelector('.ms').textContent = result.ms === undefined ? '' : `${(result.ms / 1000).toFixed(1)} s`;
  const did = row.querySelector('.did');
  did.replaceChildren();
  if (result.observed !== undefined) {
    did.append(`${result.client}: ${result.observed.events.length} events, ${result.observed.requests.length} requests`);
    const lines = result.outcome === 'as-spec' ? [] : [...(result.reason ? [`recorded: ${result.reason}`] : []), ...result.differences];
    if (lines.length > 0) {
      const list = document.createElement('ul');
      for (const text of lines.slice(0, 8)) {
        const item = document.createElement('li');
        item.textContent = text;
        list.append(item);
      }
      did.append(list);
    }
  } else if (result.differences?.length) {
    did.append(result.differences.join('; '));
  }
}

async function run(cases) {
  const run = runId();
  const started = new Date();
  const t0 = performance.now();
  document.body.dataset.state = 'running';
  summary.textContent = `Playing ${cases.length} cases…`;
  for (const testCase of cases) renderRow(testCase, { outcome: 'waiting' });
  const results = new Map();
  // One queue per host, each AT_ONCE wide: cross-origin cases use the other loopback name's connections.
  const lanes = [cases.filter((c) => !c.request.crossOrigin), cases.filter((c) => c.request.crossOrigin)];
  await Promise.all(lanes.map(async (lane) => {
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(AT_ONCE, lane.length) }, async () => {
      while (next < lane.length) {
        const testCase = lane[next++];
        renderRow(testCase, { outcome: 'running' });
        let result;
        try {
          result = await playCase(testCase, run);
        } catch (error) {
          result = { name: testCase.name, outcome: 'fail', ms: 0, differences: [`the page failed: ${error}`] };
        }
        results.set(testCase.name, result);
        renderRow(testCase, result);
      }
    }));
  }));
  const rows = cases.map((c) => results.get(c.name));
  const line = summarize(rows.map((r) => r.outcome));
  const report = {
    userAgent: navigator.userAgent,
    client,
    startedAt: started.toISOString(),
    ms: Math.round(performance.now() - t0),
    summary: line,
    cases: rows,
  };
  summary.textContent = `${line} (${(report.ms / 1000).toFixed(0)} s)`;
  download.href = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }));
  download.hidden = false;
  window.kitReport = report;
  document.body.dataset.state = 'done';
}

async function main() {
  document.getElementById('browser').textContent = client === null
    ? `${navigator.userAgent} (no deviations recorded: graded against the spec alone)`
    : `${navigator.userAgent} (graded as ${client})`;
  const response = await fetch('pack.json', { cache: 'no-store' });
  if (!response.ok) {
    summary.textContent = 'This server is not serving the kit: run `sseflights kit` and open its /kit/.';
    document.body.dataset.state = 'error';
    return;
  }
  const { cases } = await response.json();
  const only = new URLSearchParams(location.search).get('case');
  const chosen = only === null ? cases : cases.filter((c) => c.name === only);
  if (chosen.length === 0) {
    summary.textContent = `The pack has no case '${only}'.`;
    document.body.dataset.state = 'error';
    return;
  }
  document.getElementById('again').addEventListener('click', () => { if (document.body.dataset.state !== 'running') run(chosen); });
  await run(chosen);
}

main();
