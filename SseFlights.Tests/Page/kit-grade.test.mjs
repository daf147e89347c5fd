// Unit tests for the kit page's grading and its fetch client's parser, run by `node --test` (from PageModelTests in the suite).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientOf, differences, expectedOutcome, grade, summarize } from '../../wwwroot/kit/grade.js';
import { createParser } from '../../wwwroot/kit/play.js';

const event = (type, data, lastEventId) => ({ type, data, lastEventId });
const testCase = {
  expect: { events: [event('note', 'a', '1')], requests: 2 },
  deviations: { firefox: { reason: 'R', events: [event('note', 'a', '1')], requests: 4 } },
};
const observed = (events, requests, extra = {}) => ({ events, requests: Array.from({ length: requests }, () => ({ method: 'GET', headers: {}, body: null, sincePreviousMs: null })), delays: [], timedOut: false, ...extra });

test('clientOf names Chromium and Firefox by their user agents, and nothing else', () => {
  assert.equal(clientOf('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36'), 'chromium');
  assert.equal(clientOf('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0'), 'firefox');
  assert.equal(clientOf('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1'), null);
});

test('grade: exactly the expect is as-spec, for any client', () => {
  assert.deepEqual(grade(testCase, 'firefox', observed([event('note', 'a', '1')], 2)), { outcome: 'as-spec', differences: [] });
});

test('grade: exactly the recorded deviation is known-deviation with its reason, for that client only', () => {
  const run = observed([event('note', 'a', '1')], 4);
  assert.deepEqual(grade(testCase, 'firefox', run), { outcome: 'known-deviation', differences: ['4 requests, expected 2'], reason: 'R' });
  assert.deepEqual(grade(testCase, 'chromium', run), { outcome: 'fail', differences: ['4 requests, expected 2'] });
});

test('grade: a client that departs from its recorded deviation fails against the deviation', () => {
  assert.deepEqual(grade(testCase, 'firefox', observed([event('note', 'b', '1')], 4)).differences, ['event 1: note "b" id "1", expected note "a" id "1"']);
});

test('differences: request matchers check method, headers (null for absent), body and the delay bounds', () => {
  const wanted = { events: [], requests: 2, requestLog: [{ method: 'POST', headers: { 'Last-Event-ID': null }, body: 'x' }, { headers: { 'Last-Event-ID': '1' }, minSincePreviousMs: 1500, maxSincePreviousMs: 3000 }] };
  const run = { events: [], delays: [], timedOut: false, requests: [
    { method: 'POST', headers: { 'last-event-id': '0' }, body: 'x', sincePreviousMs: null },
    { method: 'POST', headers: { 'Last-Event-ID': '1' }, body: 'x', sincePreviousMs: 900 },
  ] };
  assert.deepEqual(differences(wanted, run), ['request 1: Last-Event-ID "0", expected (absent)', 'request 2: 900 ms after the previous, expected at least 1500']);
});

test('differences: a measured retry must be at least retry less 50 ms and under the 3000 ms default', () => {
  const wanted = { events: [], requests: 0, retry: 1500 };
  assert.deepEqual(differences(wanted, observed([], 0, { delays: [1480] })), []);
  assert.deepEqual(differences(wanted, observed([], 0, { delays: [3010] })), ['waited 3010 ms to reconnect, expected from 1450 to 2999']);
  assert.deepEqual(differences(wanted, observed([], 0, { timedOut: true, delays: [1500] })), ['had not stopped by the deadline']);
});

test('expectedOutcome and summarize count as the report does', () => {
  assert.equal(expectedOutcome(testCase, 'firefox'), 'known-deviation');
  assert.equal(expectedOutcome(testCase, null), 'as-spec');
  assert.equal(summarize(['as-spec', 'as-spec', 'known-deviation']), '2 of 3 as the spec says; 1 known deviation');
  assert.equal(summarize(['as-spec', 'fail', 'skipped']), '1 of 3 as the spec says; 1 failed; 1 not run');
});

test('createParser: an id becomes the last event ID only when a blank line ends its event, empty data or not (§9.2.6)', () => {
  const seen = [];
  const parser = createParser((e) => seen.push(e), () => {});
  parser.push('id: 1\ndata: a\n\nid: 2\n');
  assert.equal(parser.lastEventId, '1', 'id 2 is buffered, not yet the last event ID');
  parser.end();
  assert.equal(parser.lastEventId, '1', 'the body ended before the blank line: a reconnect sends 1');
  parser.push('data: b\n\n');
  assert.equal(parser.lastEventId, '1', 'the cut event\'s id went with it');
  parser.push('id: 3\n\n');
  assert.equal(parser.lastEventId, '3', 'a blank line sets it even with no data to dispatch');
  assert.deepEqual(seen, [event('message', 'a', '1'), event('message', 'b', '1')]);
});

test('createParser follows WHATWG HTML §9.2.6: CRLF split across pieces, data lines joined, empty type is message, NUL id ignored, digits-only retry', () => {
  const seen = [];
  let retry = null;
  const parser = createParser((e) => seen.push(e), (ms) => { retry = ms; });
  for (const piece of ['id: 7\r', '\ndata: a\r\ndata:b\r\n\r\n', 'event:\ndata: c\nid: x\0y\n\n', 'retry: 15x\nretry: 20\n', 'data: partial']) parser.push(piece);
  parser.end();
  assert.deepEqual(seen, [event('message', 'a\nb', '7'), event('message', 'c', '7')]);
  assert.equal(retry, 20);
});
