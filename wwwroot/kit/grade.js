// The kit's grading, pure (no DOM, no network) so node --test can check it: what a case's run
// observed, against what the spec says (the case's expect) and, for a browser the pack records a
// deviation for, against that deviation. The same rules as the .NET suite's PackAssert.

/** The pack's name for the browser that runs the page: its key in a case's deviations, or null. */
export function clientOf(userAgent) {
  if (/Firefox\//.test(userAgent)) return 'firefox';
  if (/Chrom(e|ium)\//.test(userAgent)) return 'chromium';
  return null;
}

/** How long a client waits before a reconnect when the stream sets no retry: (the server's retry: and the spec's default). */
export const DEFAULT_RETRY = 3000;

/** One event, as a line a person can compare; long data by its length. */
export function describeEvent(e) {
  const data = e.data.length > 80 ? `${e.data.length} chars` : JSON.stringify(e.data);
  return `${e.type} ${data} id ${JSON.stringify(e.lastEventId)}`;
}

const header = (headers, name) => {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? null : headers[key];
};

/** Where one logged request departs from its matcher (method, headers, body, the delay since the previous request). */
function requestDifferences(expected, seen, i) {
  const out = [];
  const at = `request ${i + 1}`;
  if (expected.method !== undefined && expected.method !== seen.method) out.push(`${at}: method ${seen.method}, expected ${expected.method}`);
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    const got = header(seen.headers, name);
    if (got !== value) out.push(`${at}: ${name} ${got === null ? '(absent)' : JSON.stringify(got)}, expected ${value === null ? '(absent)' : JSON.stringify(value)}`);
  }
  if ('body' in expected && expected.body !== seen.body) out.push(`${at}: body ${JSON.stringify(seen.body)}, expected ${JSON.stringify(expected.body)}`);
  const since = seen.sincePreviousMs;
  if (expected.minSincePreviousMs !== undefined && since !== null && since < expected.minSincePreviousMs) {
    out.push(`${at}: ${Math.round(since)} ms after the previous, expected at least ${expected.minSincePreviousMs}`);
  }
  if (expected.maxSincePreviousMs !== undefined && since !== null && since > expected.maxSincePreviousMs) {
    out.push(`${at}: ${Math.round(since)} ms after the previous, expected at most ${expected.maxSincePreviousMs}`);
  }
  return out;
}

/**
 * Every way the run departs from `wanted` (a case's expect, or a deviation's observed values merged
 * with it): the events, the number of requests, what each request carried, and the reconnection time.
 * Empty when it observed exactly that.
 */
export function differences(wanted, observed) {
  const out = [];
  const seen = observed.events.map(describeEvent);
  const expected = wanted.events.map(describeEvent);
  const length = Math.max(seen.length, expected.length);
  for (let i = 0; i < length; i++) {
    if (seen[i] !== expected[i]) out.push(`event ${i + 1}: ${seen[i] ?? '(none)'}, expected ${expected[i] ?? '(none)'}`);
  }
  if (observed.requests.length !== wanted.requests) out.push(`${observed.requests.length} requests, expected ${wanted.requests}`);
  (wanted.requestLog ?? []).forEach((matcher, i) => {
    if (i < observed.requests.length) out.push(...requestDifferences(matcher, observed.requests[i], i));
  });
  if (wanted.retry !== undefined) {
    // A measured wait runs from the error to the next request's answer: at least retry (less 50 ms,
    // the timer starts a hair before the error event), and below the default it would keep had it ignored retry:.
    const waited = observed.delays.at(-1);
    if (waited === undefined) out.push('never waited to reconnect');
    else if (waited < wanted.retry - 50 || waited >= DEFAULT_RETRY) out.push(`waited ${Math.round(waited)} ms to reconnect, expected from ${wanted.retry - 50} to ${DEFAULT_RETRY - 1}`);
  }
  if (observed.timedOut) out.push('had not stopped by the deadline');
  return out;
}

/**
 * A case's grade for `client`: 'as-spec' when the run observed exactly the case's expect;
 * 'known-deviation' when the pack records a deviation for this client and the run observed exactly
 * that; else 'fail', with what differs from what this client was expected to do.
 */
export function grade(testCase, client, observed) {
  const fromSpec = differences(testCase.expect, observed);
  if (fromSpec.length === 0) return { outcome: 'as-spec', differences: [] };
  const deviation = client === null ? undefined : testCase.deviations[client];
  if (deviation === undefined) return { outcome: 'fail', differences: fromSpec };
  const fromDeviation = differences(deviation, observed);
  return fromDeviation.length === 0
    ? { outcome: 'known-deviation', differences: fromSpec, reason: deviation.reason }
    : { outcome: 'fail', differences: fromDeviation, reason: deviation.reason };
}

/** The outcome the pack expects of `client` in a case: a recorded deviation, or the spec. */
export const expectedOutcome = (testCase, client) => (client !== null && testCase.deviations[client] !== undefined ? 'known-deviation' : 'as-spec');

/** One line for the whole run: "43 of 45 as the spec says; 2 known deviations". */
export function summarize(outcomes) {
  const count = (o) => outcomes.filter((x) => x === o).length;
  const parts = [`${count('as-spec')} of ${outcomes.length} as the spec says`];
  const known = count('known-deviation');
  if (known > 0) parts.push(`${known} known deviation${known === 1 ? '' : 's'}`);
  const failed = count('fail');
  if (failed > 0) parts.push(`${failed} failed`);
  const skipped = count('skipped');
  if (skipped > 0) parts.push(`${skipped} not run`);
  return parts.join('; ');
}
