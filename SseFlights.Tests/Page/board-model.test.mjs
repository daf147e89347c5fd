// Unit tests for the page's board model, run by `node --test` (from PageModelTests in the suite).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFrame, customEventNames, emptyBoard, fromSnapshot, inOrder, parseEventId } from '../../wwwroot/board-model.js';

const snapshot = JSON.stringify({
  flights: [
    { flight: 'B2', origin: 'Berlin', arrival: '08:45', state: '' },
    { flight: 'A1', origin: 'London', arrival: '08:15', state: 'landed' },
    { flight: 'C3', origin: 'Rome', arrival: '08:45', state: '' },
  ],
});

const codes = (board) => inOrder(board).map((f) => f.flight);
const start = () => applyFrame(emptyBoard(), 'snapshot', snapshot).board;

test('snapshot replaces the board, in arrival order with the flight code breaking ties', () => {
  const { board, change } = applyFrame(fromSnapshot([{ flight: 'Z9', arrival: '01:00' }]), 'snapshot', snapshot);
  assert.deepEqual(change, { kind: 'replaced' });
  assert.deepEqual(codes(board), ['A1', 'B2', 'C3']);
  assert.deepEqual(board.get('A1'), { flight: 'A1', origin: 'London', arrival: '08:15', state: 'landed' });
});

test('snapshot skips entries that are not flights and fields that are not strings', () => {
  const data = JSON.stringify({ flights: [null, 7, [], { flight: '' }, { flight: 'D4', origin: 5, arrival: '09:00' }] });
  const { board } = applyFrame(emptyBoard(), 'snapshot', data);
  assert.deepEqual([...board.values()], [{ flight: 'D4', origin: '', arrival: '09:00', state: '' }]);
});

test('an update changes only the fields it carries and returns a new board', () => {
  const before = start();
  const { board, change } = applyFrame(before, 'flightStateUpdate', '{"flight":"B2","state":"delayed","arrival":"09:30"}');
  assert.deepEqual(change, { kind: 'updated', flight: 'B2' });
  assert.deepEqual(board.get('B2'), { flight: 'B2', origin: 'Berlin', arrival: '09:30', state: 'delayed' });
  assert.deepEqual(codes(board), ['A1', 'C3', 'B2']);
  assert.deepEqual(before.get('B2'), { flight: 'B2', origin: 'Berlin', arrival: '08:45', state: '' }, 'the old board is untouched');
  assert.notEqual(board, before);
});

test('an addition adds; an update for an unknown flight adds it too', () => {
  const added = applyFrame(start(), 'flightAddition', '{"flight":"E5","origin":"Oslo","arrival":"08:05","state":"scheduled"}');
  assert.deepEqual(added.change, { kind: 'added', flight: 'E5' });
  assert.deepEqual(codes(added.board), ['E5', 'A1', 'B2', 'C3']);
  const unknown = applyFrame(start(), 'flightStateUpdate', '{"flight":"X1","state":"landing"}');
  assert.deepEqual(unknown.change, { kind: 'added', flight: 'X1' });
  assert.deepEqual(unknown.board.get('X1'), { flight: 'X1', origin: '', arrival: '', state: 'landing' });
});

test('a removal removes; removing an unknown flight changes nothing', () => {
  const before = start();
  const removed = applyFrame(before, 'flightRemoval', '{"flight":"A1"}');
  assert.deepEqual(removed.change, { kind: 'removed', flight: 'A1' });
  assert.deepEqual(codes(removed.board), ['B2', 'C3']);
  assert.equal(before.size, 3);
  const unknown = applyFrame(before, 'flightRemoval', '{"flight":"Q7"}');
  assert.equal(unknown.change.kind, 'ignored');
  assert.equal(unknown.board, before);
});

test('data that is not JSON, not an object, or names no flight is ignored with a reason', () => {
  const before = start();
  for (const [data, reason] of [['{nope', 'its data is not JSON'], ['42', 'its data is not an object'], ['[]', 'its data is not an object'], ['{"state":"x"}', 'it names no flight']]) {
    const { board, change } = applyFrame(before, 'flightStateUpdate', data);
    assert.deepEqual(change, { kind: 'ignored', reason }, data);
    assert.equal(board, before);
  }
});

test('the close and custom events leave the board as it is', () => {
  const before = start();
  assert.deepEqual(applyFrame(before, 'closedConnection', ''), { board: before, change: { kind: 'closed' } });
  assert.deepEqual(applyFrame(before, 'gateChange', '{"flight":"A1","state":"gone"}'), { board: before, change: { kind: 'custom' } });
});

test('markup in the data stays text in the model', () => {
  const { board } = applyFrame(emptyBoard(), 'flightAddition', '{"flight":"<img src=x onerror=alert(1)>","origin":"<script>x()</script>","arrival":"08:00","state":""}');
  assert.deepEqual(codes(board), ['<img src=x onerror=alert(1)>']);
  assert.equal(board.get('<img src=x onerror=alert(1)>').origin, '<script>x()</script>');
});

test('event ids are plain non-negative integers, anything else is null', () => {
  assert.equal(parseEventId('0'), 0);
  assert.equal(parseEventId('1234'), 1234);
  for (const raw of ['', '-1', '1.5', ' 3', 'abc', '1e3', null, undefined, '9999999999999999']) assert.equal(parseEventId(raw), null, String(raw));
});

test('custom event names leave out EventSource and board names, blanks and repeats', () => {
  const scenario = { customEvents: ['gateChange', 'message', 'error', 'open', 'snapshot', '', 7, 'gateChange', 'baggage'] };
  assert.deepEqual(customEventNames(scenario), ['gateChange', 'baggage']);
  assert.deepEqual(customEventNames(null), []);
  assert.deepEqual(customEventNames({ customEvents: 'gateChange' }), []);
});
