import { ApiError, isAbort, search } from './api';
import { byId } from './dom';
import { htmlLang, t, type MessageKey } from './i18n';
import { renderDates } from './render-dates';
import { renderCrossing } from './render-crossing';
import { renderChips, renderFacet } from './render-facets';
import { hideStatus, renderHits, renderPager, renderStatus, summaryText } from './render-results';
import type { SearchResponse } from './schema';
import {
  filterCount,
  parseState,
  sameSearch,
  sameState,
  serializeState,
  withCollapse,
  withPage,
  withQuery,
  withSort,
  withUi,
  SORTS,
  type SearchState,
  type Sort,
  type UiLang,
} from './url-state';

/**
 * The controller: the URL is the state, every change goes through navigate() (which writes history) and every
 * render reads only `state` plus the last answer. One search is in flight at a time; a newer one aborts it, and an
 * answer that arrives for a superseded search is dropped.
 */

const TYPING_DEBOUNCE_MS = 200;
/** Answers faster than this show no loading indicator, so fast typing does not flicker. */
const LOADING_DELAY_MS = 150;

const el = {
  form: byId<HTMLFormElement>('search-form'),
  q: byId<HTMLInputElement>('q'),
  summary: byId('summary'),
  results: byId<HTMLOListElement>('results'),
  resultsTitle: byId('results-title'),
  pager: byId('pager'),
  status: byId('status'),
  chips: byId('chips'),
  crossing: byId('crossing'),
  outlet: byId('facet-outlet'),
  theme: byId('facet-theme'),
  lang: byId('facet-lang'),
  dates: byId('facet-date'),
  sort: byId<HTMLSelectElement>('sort'),
  collapse: byId<HTMLInputElement>('collapse'),
  progress: byId('progress'),
  main: byId('main'),
  drawer: byId('filters'),
  drawerOpen: byId<HTMLButtonElement>('filters-open'),
  drawerClose: byId<HTMLButtonElement>('filters-close'),
  drawerDone: byId<HTMLButtonElement>('filters-done'),
  backdrop: byId('backdrop'),
  behindDrawer: Array.from(document.querySelectorAll<HTMLElement>('body > header, #main, body > footer')),
  uiButtons: Array.from(document.querySelectorAll<HTMLButtonElement>('[data-ui]')),
};

let state: SearchState = parseState(location.search);
let response: SearchResponse | null = null;
let error: ApiError | null = null;
let inflight: AbortController | null = null;
let typingTimer: ReturnType<typeof setTimeout> | null = null;
/** Whether the current history entry was made by typing: further keystrokes replace it instead of piling up. */
let typingEntry = false;

function hrefFor(s: SearchState): string {
  const qs = serializeState(s);
  return `${location.pathname}${qs ? `?${qs}` : ''}`;
}

interface NavigateOptions {
  typing?: boolean;
  replace?: boolean;
  scrollToResults?: boolean;
}

function navigate(next: SearchState, opts: NavigateOptions = {}): void {
  if (!opts.typing && typingTimer !== null) {
    // A click while a keystroke is still being debounced must not drop what was typed.
    clearTimeout(typingTimer);
    typingTimer = null;
    if (el.q.value !== state.q && next.q === state.q) next = withQuery(next, el.q.value);
  }
  if (sameState(next, state)) return;
  if (opts.replace || (opts.typing && typingEntry)) history.replaceState(null, '', hrefFor(next));
  else history.pushState(null, '', hrefFor(next));
  typingEntry = Boolean(opts.typing);
  apply(next, { fromTyping: Boolean(opts.typing) });
  if (opts.scrollToResults) el.resultsTitle.scrollIntoView({ block: 'start' });
}

function apply(next: SearchState, { fromTyping = false } = {}): void {
  const searchChanged = !sameSearch(state, next) || (response === null && error === null && inflight === null);
  state = next;
  if (!fromTyping && el.q.value !== state.q) el.q.value = state.q;
  if (searchChanged) void runSearch();
  render();
}

async function runSearch(): Promise<void> {
  inflight?.abort();
  const ctrl = new AbortController();
  inflight = ctrl;
  const slow = setTimeout(() => setLoading(true), LOADING_DELAY_MS);
  el.results.setAttribute('aria-busy', 'true');
  try {
    const answer = await search(state, ctrl.signal);
    if (inflight !== ctrl) return;
    const last = Math.max(1, Math.ceil(answer.total / Math.max(1, answer.limit)));
    if (answer.hits.length === 0 && answer.total > 0 && state.page > last) {
      // A link to a page past the end (the results shrank since): show the last page instead of "nothing found".
      inflight = null;
      navigate(withPage(state, last), { replace: true });
      return;
    }
    response = answer;
    error = null;
  } catch (err) {
    if (isAbort(err) || inflight !== ctrl) return;
    error = err instanceof ApiError ? err : new ApiError('unexpected', String(err));
  } finally {
    clearTimeout(slow);
    if (inflight === ctrl) {
      inflight = null;
      setLoading(false);
      el.results.removeAttribute('aria-busy');
    }
  }
  render();
}

function setLoading(on: boolean): void {
  el.progress.hidden = !on;
  el.main.classList.toggle('is-loading', on);
}

function retry(): void {
  error = null;
  void runSearch();
}

/** Static labels in index.html carry `data-i18n` (text) or `data-i18n-<attribute>` keys. */
function renderStaticText(ui: UiLang): void {
  document.documentElement.lang = htmlLang(ui);
  document.title = state.q.trim() ? `${state.q.trim()} · ${t(ui, 'appName')}` : t(ui, 'appName');
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    node.textContent = t(ui, node.dataset['i18n'] as MessageKey);
  }
  for (const attr of ['placeholder', 'aria-label', 'title'] as const) {
    for (const node of document.querySelectorAll<HTMLElement>(`[data-i18n-${attr}]`)) {
      node.setAttribute(attr, t(ui, node.getAttribute(`data-i18n-${attr}`) as MessageKey));
    }
  }
  for (const b of el.uiButtons) b.setAttribute('aria-pressed', String(b.dataset['ui'] === ui));
  const n = filterCount(state);
  el.drawerOpen.textContent = n > 0 ? t(ui, 'filtersWithCount', { n }) : t(ui, 'filters');
}

function renderControls(): void {
  el.sort.value = state.sort ?? (state.q.trim() ? 'relevance' : 'newest');
  el.collapse.checked = state.collapse;
}

function render(): void {
  renderView();
  // What is on screen answers this URL: end-to-end tests (and anyone scripting the page) wait on this.
  if (inflight === null && (response || error)) el.main.dataset['settled'] = hrefFor(state);
}

function renderView(): void {
  renderStaticText(state.ui);
  renderControls();
  renderChips(el.chips, state, response, navigate);
  if (error) {
    el.summary.textContent = '';
    el.crossing.hidden = true;
    el.results.replaceChildren();
    el.pager.hidden = true;
    renderStatus(el.status, state, { kind: 'error', error }, navigate, retry);
    return;
  }
  if (!response) return; // first search still running
  el.summary.textContent = summaryText(state, response);
  renderCrossing(el.crossing, state, response, navigate);
  renderHits(el.results, response, state);
  renderPager(el.pager, response, state, (s) => navigate(s, { scrollToResults: true }), hrefFor);
  if (response.hits.length === 0) renderStatus(el.status, state, { kind: 'empty' }, navigate, retry);
  else hideStatus(el.status);
  renderFacet(el.outlet, 'outlet', response, state, navigate);
  renderFacet(el.theme, 'theme', response, state, navigate);
  renderFacet(el.lang, 'lang', response, state, navigate);
  renderDates(el.dates, response, state, navigate);
}

// --- wiring -------------------------------------------------------------------------------------------------------

function scheduleTypingSearch(): void {
  if (typingTimer !== null) clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    typingTimer = null;
    navigate(withQuery(state, el.q.value), { typing: true });
  }, TYPING_DEBOUNCE_MS);
}

el.q.addEventListener('input', (e) => {
  // Chinese is typed through an input method: searching each pinyin keystroke would search for "shang hai".
  if ((e as InputEvent).isComposing) return;
  scheduleTypingSearch();
});
el.q.addEventListener('compositionend', scheduleTypingSearch);

el.form.addEventListener('submit', (e) => {
  e.preventDefault();
  if (typingTimer !== null) clearTimeout(typingTimer);
  typingTimer = null;
  typingEntry = false;
  const next = withQuery(state, el.q.value);
  if (sameState(next, state)) retry();
  else navigate(next);
});

el.sort.addEventListener('change', () => {
  const v = el.sort.value;
  navigate(withSort(state, SORTS.includes(v as Sort) ? (v as Sort) : null));
});
el.collapse.addEventListener('change', () => navigate(withCollapse(state, el.collapse.checked)));
for (const b of el.uiButtons) {
  b.addEventListener('click', () => navigate(withUi(state, b.dataset['ui'] === 'en' ? 'en' : 'zh')));
}

window.addEventListener('popstate', () => {
  if (typingTimer !== null) clearTimeout(typingTimer);
  typingTimer = null;
  typingEntry = false;
  apply(parseState(location.search));
});

// "/" focuses the search box, as on most search sites, unless the person is typing somewhere.
document.addEventListener('keydown', (e) => {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target as HTMLElement;
  if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
  e.preventDefault();
  el.q.focus();
  el.q.select();
});

// The filter drawer on narrow screens. On wide screens the same panel is a sidebar and these controls are hidden.
function setDrawer(open: boolean): void {
  el.drawer.classList.toggle('is-open', open);
  // Everything behind the open drawer is out of reach for Tab and screen readers, as with a modal dialog.
  for (const behind of el.behindDrawer) behind.inert = open;
  el.backdrop.hidden = !open;
  document.body.classList.toggle('drawer-open', open);
  el.drawerOpen.setAttribute('aria-expanded', String(open));
  if (open) el.drawerClose.focus();
  else el.drawerOpen.focus();
}
el.drawerOpen.addEventListener('click', () => setDrawer(true));
el.drawerClose.addEventListener('click', () => setDrawer(false));
el.drawerDone.addEventListener('click', () => setDrawer(false));
el.backdrop.addEventListener('click', () => setDrawer(false));
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && el.drawer.classList.contains('is-open')) setDrawer(false);
});
// Widening the window turns the drawer back into a sidebar: nothing may stay inert behind a drawer no longer shown.
const narrow = matchMedia('(max-width: 860px)');
narrow.addEventListener('change', () => {
  if (!narrow.matches && el.drawer.classList.contains('is-open')) setDrawer(false);
});

// Start: normalise the URL (drops unknown or default parameters) without adding a history entry.
history.replaceState(null, '', hrefFor(state));
el.q.value = state.q;
void runSearch();
render();
