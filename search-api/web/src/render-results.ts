import { ApiError, getArticle, isAbort } from './api';
import { h, replaceChildrenKeepingFocus, safeHref } from './dom';
import { appendHighlight } from './highlight';
import { formatNumber, formatPublished, labelOf, t, textLang, tn } from './i18n';
import type { Article, Hit, SearchResponse } from './schema';
import { clearFilters, hasFilters, withDateRange, withPage, type SearchState, type UiLang } from './url-state';
import type { Navigate } from './render-facets';

/** Longest plain-text body excerpt shown when the API sends no snippet. */
const FALLBACK_SNIPPET_CHARS = 240;

function published(state: SearchState, iso: string | null): HTMLElement {
  const text = formatPublished(state.ui, iso);
  if (!text || !iso) return h('span', { class: 'meta-date' }, t(state.ui, 'dateUnknown'));
  return h('time', { class: 'meta-date', datetime: iso }, t(state.ui, 'publishedAt', { date: text }));
}

function themeChips(state: SearchState, themes: Article['themes']): HTMLElement | null {
  if (themes.length === 0) return null;
  return h(
    'ul',
    { class: 'theme-list', 'aria-label': t(state.ui, 'themes') },
    themes.map((th) => h('li', { class: 'theme-chip' }, labelOf(state.ui, th))),
  );
}

function titleContent(hit: Hit): DocumentFragment {
  const frag = document.createDocumentFragment();
  if (hit.highlight?.title) appendHighlight(frag, hit.highlight.title);
  else frag.append(hit.title);
  return frag;
}

function snippetContent(hit: Hit): DocumentFragment {
  const frag = document.createDocumentFragment();
  if (hit.highlight?.snippet) appendHighlight(frag, hit.highlight.snippet);
  else {
    const chars = [...hit.body];
    frag.append(chars.length > FALLBACK_SNIPPET_CHARS ? `${chars.slice(0, FALLBACK_SNIPPET_CHARS).join('')}…` : hit.body);
  }
  return frag;
}

/** Articles fetched for "n similar reports", kept for the page's life: an expanded group reopens instantly. */
const articleCache = new Map<string, Promise<Article>>();

function loadArticle(id: string): Promise<Article> {
  let p = articleCache.get(id);
  if (!p) {
    p = getArticle(id);
    p.catch(() => articleCache.delete(id)); // a failure may be retried later
    articleCache.set(id, p);
  }
  return p;
}

function similarItem(state: SearchState, a: Article): HTMLElement {
  const href = safeHref(a.url);
  return h(
    'li',
    { class: 'similar-item' },
    h('p', { class: 'similar-title', lang: textLang(a.title) }, href ? h('a', { href, rel: 'noopener noreferrer', target: '_blank' }, a.title) : a.title),
    h('p', { class: 'meta' }, h('span', { class: 'meta-outlet' }, labelOf(state.ui, { label: a.outlet.name, labelEn: a.outlet.nameEn })), published(state, a.published)),
  );
}

function duplicatesBlock(state: SearchState, hit: Hit, index: number): HTMLElement | null {
  const dup = hit.duplicates;
  if (!dup || dup.count === 0 || dup.ids.length === 0) return null;
  const ui = state.ui;
  const listId = `similar-${index}`;
  const list = h('ul', { class: 'similar-list', id: listId, hidden: true });
  const label = (): string => tn(ui, dup.count, 'similarOne', 'similarReports', { n: formatNumber(ui, dup.count) });
  const button = h(
    'button',
    { type: 'button', class: 'similar-toggle', 'aria-expanded': 'false', 'aria-controls': listId, 'data-focus-key': `similar:${hit.id}` },
    label(),
  );
  let loaded = false;
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? t(ui, 'hideSimilar') : label();
    list.hidden = !open;
    if (!open || loaded) return;
    loaded = true;
    list.replaceChildren(h('li', { class: 'similar-status' }, t(ui, 'similarLoading')));
    list.setAttribute('aria-busy', 'true');
    Promise.all(dup.ids.map(loadArticle))
      .then((articles) => list.replaceChildren(...articles.map((a) => similarItem(state, a))))
      .catch((err: unknown) => {
        loaded = false;
        if (!isAbort(err)) list.replaceChildren(h('li', { class: 'similar-status is-error' }, t(ui, 'similarFailed')));
      })
      .finally(() => list.removeAttribute('aria-busy'));
  });
  return h('div', { class: 'similar' }, button, list);
}

function resultCard(state: SearchState, hit: Hit, index: number): HTMLElement {
  const href = safeHref(hit.url);
  const titleId = `hit-${index}-title`;
  // Title and body are marked with their own language (they often differ: a Chinese title over an English summary),
  // so screen readers switch voice and the right CJK glyphs are used whatever the interface language.
  return h(
    'li',
    { class: 'hit' },
    h(
      'article',
      { 'aria-labelledby': titleId },
      h('h3', { class: 'hit-title', id: titleId, lang: textLang(hit.title) }, href ? h('a', { href, rel: 'noopener noreferrer', target: '_blank' }, titleContent(hit)) : titleContent(hit)),
      h(
        'p',
        { class: 'meta' },
        h('span', { class: 'meta-outlet' }, labelOf(state.ui, { label: hit.outlet.name, labelEn: hit.outlet.nameEn })),
        published(state, hit.published),
      ),
      h('p', { class: 'hit-snippet', lang: textLang(hit.highlight?.snippet ?? hit.body) }, snippetContent(hit)),
      themeChips(state, hit.themes),
      duplicatesBlock(state, hit, index),
    ),
  );
}

export function renderHits(list: HTMLElement, response: SearchResponse, state: SearchState): void {
  replaceChildrenKeepingFocus(list, response.hits.map((hit, i) => resultCard(state, hit, i)));
}

export function summaryText(state: SearchState, response: SearchResponse): string {
  const ui = state.ui;
  const took = t(ui, 'summaryTook', { ms: formatNumber(ui, response.tookMs) });
  return `${countText(ui, response.total, response.totalIsLowerBound ?? false)}${took}`;
}

/** "n results", or "at least n results" where the API could only say the result set is at least that large. */
export function countText(ui: UiLang, total: number, lowerBound: boolean): string {
  const params = { total: formatNumber(ui, total) };
  return lowerBound ? t(ui, 'summaryAtLeast', params) : tn(ui, total, 'summaryOne', 'summary', params);
}

/** Page numbers to offer: first, last, and two either side of the current one, with null for a gap. */
export function pageWindow(current: number, last: number): Array<number | null> {
  const pages: Array<number | null> = [];
  for (let p = 1; p <= last; p++) {
    if (p === 1 || p === last || Math.abs(p - current) <= 2) pages.push(p);
    else if (pages[pages.length - 1] !== null) pages.push(null);
  }
  return pages;
}

export function renderPager(nav: HTMLElement, response: SearchResponse, state: SearchState, navigate: Navigate, hrefFor: (s: SearchState) => string): void {
  const ui = state.ui;
  const last = Math.max(1, Math.ceil(response.total / Math.max(1, response.limit)));
  nav.setAttribute('aria-label', t(ui, 'pagination'));
  if (last <= 1 && state.page <= 1) {
    nav.hidden = true;
    nav.replaceChildren();
    return;
  }
  nav.hidden = false;
  // Real links, so a page opens in a new tab with a middle click; a plain click stays in the page.
  const link = (page: number, text: string, focusKey: string, rel: string | null = null): HTMLElement => {
    const target = withPage(state, page);
    const a = h('a', { href: hrefFor(target), class: 'page-link', rel, 'data-focus-key': `page:${focusKey}` }, text);
    a.addEventListener('click', (e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      navigate(target);
    });
    return a;
  };
  const items: HTMLElement[] = [];
  if (state.page > 1) items.push(link(state.page - 1, t(ui, 'prevPage'), 'prev', 'prev'));
  for (const p of pageWindow(state.page, last)) {
    if (p === null) items.push(h('span', { class: 'page-gap', 'aria-hidden': 'true' }, '…'));
    else if (p === state.page) items.push(h('span', { class: 'page-link is-current', 'aria-current': 'page', 'aria-label': t(ui, 'pageN', { n: p }) }, String(p)));
    else {
      const a = link(p, String(p), String(p));
      a.setAttribute('aria-label', t(ui, 'pageN', { n: p }));
      items.push(a);
    }
  }
  if (state.page < last) items.push(link(state.page + 1, t(ui, 'nextPage'), 'next', 'next'));
  replaceChildrenKeepingFocus(nav, h('ul', { class: 'pager' }, items.map((i) => h('li', {}, i))));
}

/** A message in place of results: nothing found, or an error, with the one action that helps. */
export function renderStatus(
  box: HTMLElement,
  state: SearchState,
  what: { kind: 'empty' } | { kind: 'error'; error: ApiError },
  navigate: Navigate,
  retry: () => void,
): void {
  const ui = state.ui;
  const action = (text: string, onClick: () => void, primary = false): HTMLElement => {
    const b = h('button', { type: 'button', class: primary ? 'button button-primary' : 'button' }, text);
    b.addEventListener('click', onClick);
    return b;
  };
  let title: string;
  let body: string;
  let actions: HTMLElement[] = [];
  let tone = 'info';
  if (what.kind === 'empty') {
    title = t(ui, 'noResultsTitle');
    body = t(ui, hasFilters(state) ? 'noResultsHint' : 'noResultsHintNoFilters');
    if (hasFilters(state)) actions = [action(t(ui, 'clearFiltersAction'), () => navigate(clearFilters(state)))];
  } else {
    const err = what.error;
    tone = 'error';
    switch (err.kind) {
      case 'unavailable':
        title = t(ui, 'unavailableTitle');
        body = t(ui, 'unavailableBody');
        actions = [action(t(ui, 'retry'), retry, true)];
        break;
      case 'network':
        title = t(ui, 'networkTitle');
        body = t(ui, 'networkBody');
        actions = [action(t(ui, 'retry'), retry, true)];
        break;
      case 'bad-input': {
        title = t(ui, 'badInputTitle');
        const field = err.field;
        // The API's message may already start with the parameter's name ("from: is not a real calendar date").
        const message = field && err.message.startsWith(`${field}: `) ? err.message.slice(field.length + 2) : err.message;
        body = field ? t(ui, 'badInputField', { field, message }) : message;
        const fix = fixFor(state, field);
        if (fix) actions = [action(t(ui, 'badInputFix'), () => navigate(fix), true)];
        break;
      }
      default:
        title = t(ui, 'unexpectedTitle');
        body = t(ui, 'unexpectedBody', { message: err.message });
        actions = [action(t(ui, 'retry'), retry, true)];
    }
  }
  box.hidden = false;
  box.className = `status status-${tone}`;
  box.setAttribute('role', tone === 'error' ? 'alert' : 'status');
  replaceChildrenKeepingFocus(
    box,
    h('h2', { class: 'status-title' }, title),
    h('p', { class: 'status-body' }, body),
    actions.length ? h('div', { class: 'status-actions' }, actions) : null,
  );
}

/** The state without the parameter the API rejected, so one click gets a person out of a bad link. */
function fixFor(state: SearchState, field: string | null): SearchState | null {
  switch (field) {
    case 'from':
      return withDateRange(state, null, state.to);
    case 'to':
      return withDateRange(state, state.from, null);
    case 'outlet':
    case 'theme':
    case 'lang':
      return { ...state, [field]: [], page: 1 };
    case 'page':
      return withPage(state, 1);
    case 'sort':
      return { ...state, sort: null };
    case 'q':
      return { ...state, q: '', page: 1 };
    default:
      return hasFilters(state) ? clearFilters(state) : null;
  }
}

export function hideStatus(box: HTMLElement): void {
  box.hidden = true;
  box.removeAttribute('role');
  box.replaceChildren();
}
