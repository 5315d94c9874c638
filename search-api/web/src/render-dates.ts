import { barSelected, toBars, type Bar } from './date-buckets';
import { h, replaceChildrenKeepingFocus } from './dom';
import { formatNumber, t, tn } from './i18n';
import type { SearchResponse } from './schema';
import { withDateRange, type SearchState } from './url-state';
import type { Navigate } from './render-facets';

/**
 * The date facet: a histogram of the API's date buckets, where a click picks one day (or month), shift-click or a
 * drag across bars picks a range, and two date inputs give exact control. The bars are buttons with a roving
 * tabindex, so the keyboard reaches the whole chart with one Tab and moves along it with the arrow keys.
 */

interface DayRange {
  from: string;
  to: string;
}

/** The smallest inclusive range covering both. */
function rangeOf(a: DayRange, b: DayRange): DayRange {
  return { from: a.from < b.from ? a.from : b.from, to: a.to > b.to ? a.to : b.to };
}

/** Widest a bar is drawn: with a handful of days, full-width blocks would read as a different kind of chart. */
const MAX_BAR_PX = 36;

function withMaxWidth<T extends HTMLElement>(px: number, el: T): T {
  el.style.maxWidth = `${px}px`;
  return el;
}

export function renderDates(container: HTMLElement, response: SearchResponse, state: SearchState, navigate: Navigate): void {
  const ui = state.ui;
  const date = response.facets.date;
  const bars = toBars(date.buckets, date.interval);
  const peak = Math.max(1, ...bars.map((b) => b.count));
  const titleId = 'facet-date-title';

  const choose = (bar: Bar, extend: boolean): void => {
    if (extend && (state.from || state.to)) {
      const r = rangeOf({ from: state.from ?? bar.from, to: state.to ?? bar.to }, bar);
      navigate(withDateRange(state, r.from, r.to));
    } else if (state.from === bar.from && state.to === bar.to) {
      navigate(withDateRange(state, null, null)); // clicking the chosen bar again lets go of it
    } else {
      navigate(withDateRange(state, bar.from, bar.to));
    }
  };

  const selectedIndex = bars.findIndex((b) => barSelected(b, state.from, state.to));
  const tabIndex = selectedIndex >= 0 ? selectedIndex : bars.length - 1;
  const buttons = bars.map((bar, i) => {
    const selected = barSelected(bar, state.from, state.to);
    const fill = h('span', { class: 'bar-fill' });
    // Set through CSSOM, which a strict Content-Security-Policy allows where style attributes are not.
    fill.style.height = bar.count === 0 ? '0' : `${Math.max(6, (bar.count / peak) * 100)}%`;
    const label = tn(ui, bar.count, 'bucketOne', 'bucketDay', { label: bar.label, count: formatNumber(ui, bar.count) });
    const button = h(
      'button',
      {
        type: 'button',
        class: selected ? 'bar is-selected' : 'bar',
        'aria-pressed': String(selected),
        'aria-label': label,
        title: label,
        tabindex: i === tabIndex ? 0 : -1,
        'data-index': i,
        'data-focus-key': `date:${bar.value}`,
      },
      fill,
    );
    button.addEventListener('click', (e) => {
      if (brushJustEnded) return;
      choose(bar, e.shiftKey);
    });
    return button;
  });

  const barsEl = h('div', { class: 'bars' }, buttons);
  barsEl.addEventListener('keydown', (e) => {
    const i = Number((e.target as HTMLElement).dataset['index']);
    if (Number.isNaN(i)) return;
    const next =
      e.key === 'ArrowLeft' ? i - 1 : e.key === 'ArrowRight' ? i + 1 : e.key === 'Home' ? 0 : e.key === 'End' ? bars.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const target = buttons[Math.min(bars.length - 1, Math.max(0, next))];
    if (!target) return;
    for (const b of buttons) b.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  });

  // Brushing: press on one bar, release on another. The press target decides nothing until release, so a plain
  // click still goes through the button's click handler.
  let anchor: number | null = null;
  let brushJustEnded = false;
  const indexAt = (clientX: number): number => {
    const rect = barsEl.getBoundingClientRect();
    const i = Math.floor(((clientX - rect.left) / Math.max(1, rect.width)) * bars.length);
    return Math.min(bars.length - 1, Math.max(0, i));
  };
  const paintBrush = (a: number, b: number): void => {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    buttons.forEach((btn, i) => btn.classList.toggle('is-brushed', i >= lo && i <= hi));
  };
  barsEl.addEventListener('pointerdown', (e) => {
    if (e.button === 0 && bars.length > 1) anchor = indexAt(e.clientX);
  });
  barsEl.addEventListener('pointermove', (e) => {
    if (anchor === null) return;
    if ((e.buttons & 1) === 0) {
      anchor = null; // released outside the chart
      return;
    }
    const i = indexAt(e.clientX);
    if (i !== anchor && !barsEl.classList.contains('is-brushing')) {
      // Capture only once it is a drag: capturing on press would retarget a plain click away from its bar.
      barsEl.classList.add('is-brushing');
      barsEl.setPointerCapture(e.pointerId);
    }
    if (barsEl.classList.contains('is-brushing')) paintBrush(anchor, i);
  });
  const endBrush = (e: PointerEvent, commit: boolean): void => {
    if (anchor === null) return;
    const start = bars[anchor];
    const end = bars[indexAt(e.clientX)];
    const brushed = barsEl.classList.contains('is-brushing');
    anchor = null;
    barsEl.classList.remove('is-brushing');
    if (!commit) for (const b of buttons) b.classList.remove('is-brushed');
    if (!brushed || !commit || !start || !end) return;
    // The click that follows pointerup belongs to the brush, not to the bar under the pointer.
    brushJustEnded = true;
    setTimeout(() => (brushJustEnded = false), 0);
    const r = rangeOf(start, end);
    navigate(withDateRange(state, r.from, r.to));
  };
  barsEl.addEventListener('pointerup', (e) => endBrush(e, true));
  barsEl.addEventListener('pointercancel', (e) => endBrush(e, false));

  const first = bars[0];
  const last = bars[bars.length - 1];
  const histogram = bars.length
    ? withMaxWidth(bars.length * MAX_BAR_PX, h(
        'div',
        {
          class: 'histogram',
          role: 'group',
          'aria-label': t(ui, 'dateHistogram', { interval: t(ui, date.interval === 'day' ? 'intervalDay' : 'intervalMonth') }),
        },
        barsEl,
        h('div', { class: 'axis', 'aria-hidden': 'true' }, h('span', {}, first?.label ?? ''), last !== first ? h('span', {}, last?.label ?? '') : null),
      ))
    : h('p', { class: 'facet-empty' }, t(ui, 'noValues'));

  const dateInput = (which: 'from' | 'to'): HTMLElement => {
    const id = `date-${which}`;
    const input = h('input', {
      type: 'date',
      id,
      name: which,
      min: date.min ?? first?.from ?? null,
      max: date.max ?? last?.to ?? null,
      'data-focus-key': `date:${which}`,
    });
    input.value = state[which] ?? '';
    input.addEventListener('change', () => {
      const v = input.value || null;
      navigate(which === 'from' ? withDateRange(state, v, state.to) : withDateRange(state, state.from, v));
    });
    return h('div', { class: 'date-field' }, h('label', { for: id }, t(ui, which === 'from' ? 'dateFrom' : 'dateTo')), input);
  };

  const clear =
    state.from || state.to
      ? h('button', { type: 'button', class: 'link-button', 'data-focus-key': 'date:clear' }, t(ui, 'clearDates'))
      : null;
  clear?.addEventListener('click', () => navigate(withDateRange(state, null, null)));

  replaceChildrenKeepingFocus(
    container,
    h(
      'section',
      { class: 'facet facet-date', 'aria-labelledby': titleId },
      h('h3', { id: titleId, class: 'facet-title' }, t(ui, 'facetDate')),
      histogram,
      h('div', { class: 'date-fields' }, dateInput('from'), dateInput('to')),
      clear,
    ),
  );
}
