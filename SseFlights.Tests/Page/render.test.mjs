// Unit tests for the renderer against a tiny fake document, run by `node --test`. Node has no
// global `document`, so these also pin that the renderer draws only in the document it is given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromSnapshot } from '../../wwwroot/board-model.js';
import { MAX_LOGGED, Renderer } from '../../wwwroot/render.js';

/** Just enough of an element for the renderer: children, classes, dataset, text. */
class FakeElement {
  children = [];
  parent = null;
  dataset = {};
  className = '';
  textContent = '';
  hidden = false;
  disabled = false;
  offsetWidth = 0;

  constructor(doc, tag) {
    this.doc = doc;
    this.tag = tag;
  }

  get classList() {
    const names = () => this.className.split(' ').filter(Boolean);
    return {
      add: (...add) => { this.className = [...new Set([...names(), ...add])].join(' '); },
      remove: (...gone) => { this.className = names().filter((n) => !gone.includes(n)).join(' '); },
      contains: (name) => names().includes(name),
    };
  }

  get firstChild() { return this.children[0] ?? null; }
  get firstElementChild() { return this.firstChild; }
  get lastElementChild() { return this.children.at(-1) ?? null; }
  get childElementCount() { return this.children.length; }
  get cells() { return this.children; }
  get nextElementSibling() { return this.parent?.children[this.parent.children.indexOf(this) + 1] ?? null; }

  insertBefore(node, ref) {
    node.remove();
    node.parent = this;
    this.children.splice(ref ? this.children.indexOf(ref) : this.children.length, 0, node);
  }
  append(...nodes) { for (const node of nodes) this.insertBefore(node, null); }
  prepend(node) { this.insertBefore(node, this.firstChild); }
  before(node) { this.parent.insertBefore(node, this); }
  remove() {
    if (this.parent) this.parent.children.splice(this.parent.children.indexOf(this), 1);
    this.parent = null;
  }
  replaceChildren() { for (const child of [...this.children]) child.remove(); }
  addEventListener() {}
  focus() { this.doc.activeElement = this; }

  // The two selectors the renderer uses: a log item by sequence number, and its <code>.
  querySelector(selector) {
    const seq = /^:scope > li\[data-seq="(\d+)"\]$/.exec(selector);
    if (seq) return this.children.find((li) => li.dataset.seq === seq[1]) ?? null;
    return this.children.find((child) => child.tag === selector) ?? null;
  }
}

function fakeDocument() {
  const doc = { title: '', activeElement: null, createElement: (tag) => new FakeElement(doc, tag) };
  const ids = ['scenario-name', 'clock', 'status', 'last-event-id', 'caught-up', 'stop', 'resume', 'board-caption', 'board-empty', 'frames'];
  const byId = Object.fromEntries(ids.map((id) => [id, new FakeElement(doc, id)]));
  const tbody = new FakeElement(doc, 'tbody');
  doc.getElementById = (id) => byId[id];
  doc.querySelector = (selector) => (selector === '#board tbody' ? tbody : null);
  return { doc, byId, tbody };
}

test('the renderer writes only to the document it is given: title, status, buttons and focus', () => {
  const { doc, byId } = fakeDocument();
  const view = new Renderer(doc);
  view.showScenario('Demo');
  assert.equal(doc.title, 'Arrivals · Demo');
  byId.stop.focus();
  view.showStatus('stopped', null, { canStop: false, canResume: true });
  assert.deepEqual([byId.status.textContent, byId.status.dataset.state, byId.stop.disabled, byId.resume.disabled], ['Stopped by you', 'stopped', true, false]);
  assert.equal(doc.activeElement, byId.resume, 'focus moves to the button still enabled');
});

test('the renderer draws the board in arrival order with rows made in its document', () => {
  const { doc, byId, tbody } = fakeDocument();
  const view = new Renderer(doc);
  const board = fromSnapshot([{ flight: 'B2', origin: 'Berlin', arrival: '09:00', state: 'On time' }, { flight: 'A1', origin: 'Oslo', arrival: '08:00', state: '' }]);
  view.showBoard(board, { kind: 'replaced' });
  const shown = tbody.children.map((tr) => [tr.dataset.flight, ...tr.cells.map((td) => td.firstChild.textContent)]);
  assert.deepEqual(shown, [['A1', 'Oslo', 'A1', '08:00', ''], ['B2', 'Berlin', 'B2', '09:00', 'On time']]);
  assert.equal(tbody.children[1].cells[3].className, 'state state-on-time');
  assert.deepEqual([byId['board-caption'].textContent, byId['board-empty'].hidden], ['2 flights, in order of arrival', true]);
});

test('the renderer logs frames newest first, marks one resent, and keeps at most MAX_LOGGED items', () => {
  const { doc, byId } = fakeDocument();
  const view = new Renderer(doc);
  view.logFrame({ seq: 1, id: 4, event: 'snapshot', data: '{}', resent: false, custom: false });
  view.logLifecycle('open', 'Stream open');
  view.markResent(1);
  const [open, frame] = byId.frames.children;
  assert.deepEqual([open.dataset.lifecycle, open.children.slice(1).map((s) => s.textContent)], ['open', ['open', 'Stream open']]);
  assert.deepEqual([frame.dataset.resent, frame.className, frame.children.slice(1).map((s) => s.textContent)], ['true', 'frame resent', ['4', 'snapshot', 'resent', '{}']]);
  for (let i = 0; i < MAX_LOGGED + 10; i += 1) view.logLifecycle('info', `item ${i}`);
  assert.equal(byId.frames.childElementCount, MAX_LOGGED);
  assert.equal(byId.frames.firstChild.children[2].textContent, `item ${MAX_LOGGED + 9}`);
});
