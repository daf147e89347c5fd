// Kiosk mode (/?kiosk), for a screen on a wall: no buttons and no protocol log (CSS does that),
// the board scaled to the screen, and when the rows do not fit, pages of rows that turn every
// PAGE_MS with a "Page 2 of 3" indicator. DOM only: it shows or hides the renderer's rows.

export const PAGE_MS = 8000;

export class Kiosk {
  #doc;
  #tbody;
  #indicator;
  #page = 0;
  #pages = 1;

  constructor(doc, tbody) {
    this.#doc = doc;
    this.#tbody = tbody;
    doc.documentElement.classList.add('kiosk');
    this.#indicator = doc.getElementById('kiosk-page');
  }

  start() {
    setInterval(() => this.#turn(), PAGE_MS);
    addEventListener('resize', () => this.refresh());
    this.refresh();
  }

  #turn() {
    this.#page = (this.#page + 1) % this.#pages;
    this.refresh();
  }

  /** Lays the current page out again; called after every board change. */
  refresh() {
    const rows = [...this.#tbody.rows].filter((tr) => !tr.classList.contains('removing'));
    const perPage = this.#rowsPerPage(rows);
    this.#pages = Math.max(1, Math.ceil(rows.length / perPage));
    this.#page %= this.#pages;
    rows.forEach((tr, i) => {
      tr.hidden = Math.floor(i / perPage) !== this.#page;
    });
    this.#indicator.hidden = this.#pages === 1;
    this.#indicator.textContent = `Page ${this.#page + 1} of ${this.#pages}`;
    this.#indicator.dataset.page = String(this.#page + 1);
    this.#indicator.dataset.pages = String(this.#pages);
  }

  // How many rows fit between the top of the table body and the bottom of the screen.
  #rowsPerPage(rows) {
    if (rows.length === 0) return 1;
    const sample = rows[0];
    const wasHidden = sample.hidden;
    sample.hidden = false;
    const rowHeight = sample.getBoundingClientRect().height;
    const top = this.#tbody.getBoundingClientRect().top + scrollY;
    sample.hidden = wasHidden;
    const reserve = this.#indicator.getBoundingClientRect().height + 16;
    const room = this.#doc.documentElement.clientHeight - top - reserve;
    return rowHeight > 0 ? Math.max(1, Math.floor(room / rowHeight)) : rows.length;
  }
}
