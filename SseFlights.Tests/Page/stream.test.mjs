// Unit tests for the stream controller's retry arithmetic, run by `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, eventsUrl, retryAfterSeconds } from '../../wwwroot/stream.js';

test('backoff starts at 1 s and doubles up to 30 s', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 50].map(backoffMs), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('Retry-After in seconds is obeyed; a date or garbage falls back to 5 s', () => {
  assert.equal(retryAfterSeconds('5'), 5);
  assert.equal(retryAfterSeconds(' 12 '), 12);
  for (const raw of [null, '', 'soon', '-3', 'Wed, 21 Oct 2015 07:28:00 GMT']) assert.equal(retryAfterSeconds(raw), 5, String(raw));
});

test('the stream URL is relative and carries lastEventId once there is one', () => {
  assert.equal(eventsUrl(null), 'events');
  assert.equal(eventsUrl(0), 'events?lastEventId=0');
  assert.equal(eventsUrl(42), 'events?lastEventId=42');
});
