import { h, replaceChildrenKeepingFocus } from './dom';
import { formatNumber, labelOf, t, type MessageKey } from './i18n';
import type { FacetValue, SearchResponse } from './schema';
import {
  clearFilters,
  hasFilters,
  toggleFacetValue,
  withDateRange,
  type FacetName,
  type SearchState,
} from './url-state';

export type Navigate = (next: SearchState) => void;

const FACET_TITLE: Record<FacetName, MessageKey> = { outlet: 'facetOutlet', theme: 'facetTheme', lang: 'facetLang' };

/** Values shown before "show more": enough for the sample's outlets, short enough for the 50k archive's. */
const VISIBLE_VALUES = 8;

/** Which facet lists a person opened with "show more". Interface-only, so it stays out of the URL. */
const expanded = new Set<FacetName>();

/**
 * The values to list: the API's, plus any selected value it did not return (a linked filter that now matches
 * nothing must stay visible, or it could not be unticked).
 */
export function facetValues(facet: FacetName, values: readonly FacetValue[], state: SearchState): FacetValue[] {
  const listed = new Set(values.map((v) => v.value));
  const missing = state[facet]
    .filter((v) => !listed.has(v))
    .map((v): FacetValue => ({ value: v, label: v, labelEn: v, count: 0, selected: true }));
  return [...values, ...missing];
}

export function renderFacet(
  container: HTMLElement,
  facet: FacetName,
  response: SearchResponse,
  state: SearchState,
  navigate: Navigate,
): void {
  const ui = state.ui;
  const values = facetValues(facet, response.facets[facet], state);
  const selected = new Set(state[facet]);
  const isOpen = expanded.has(facet);
  // Selected values are never hidden behind "show more".
  const shown = isOpen ? values : values.filter((v, i) => i < VISIBLE_VALUES || selected.has(v.value));
  const hiddenCount = values.length - shown.length;
  const titleId = `facet-${facet}-title`;

  const options = shown.map((v, i) => {
    const id = `f-${facet}-${i}`; // values may hold spaces (unknown outlets), which an id may not
    const box = h('input', {
      type: 'checkbox',
      id,
      name: facet,
      value: v.value,
      'data-focus-key': `${facet}:${v.value}`,
    });
    box.checked = selected.has(v.value);
    box.addEventListener('change', () => navigate(toggleFacetValue(state, facet, v.value, box.checked)));
    return h(
      'li',
      { class: v.count === 0 && !box.checked ? 'facet-option is-empty' : 'facet-option' },
      box,
      h('label', { for: id }, h('span', { class: 'facet-name' }, labelOf(ui, v)), h('span', { class: 'facet-count' }, formatNumber(ui, v.count))),
    );
  });

  const more =
    values.length > VISIBLE_VALUES
      ? h(
          'button',
          { type: 'button', class: 'link-button facet-more', 'aria-expanded': String(isOpen), 'data-focus-key': `${facet}:more` },
          isOpen ? t(ui, 'showLess') : t(ui, 'showMore', { n: hiddenCount }),
        )
      : null;
  more?.addEventListener('click', () => {
    if (isOpen) expanded.delete(facet);
    else expanded.add(facet);
    renderFacet(container, facet, response, state, navigate);
  });

  replaceChildrenKeepingFocus(
    container,
    h(
      'fieldset',
      { class: 'facet', 'aria-labelledby': titleId },
      // A heading inside the legend lets screen-reader users jump between facets like between sections.
      h('legend', { id: titleId, class: 'facet-title' }, h('h3', {}, t(ui, FACET_TITLE[facet]))),
      options.length ? h('ul', { class: 'facet-list', role: 'list' }, options) : h('p', { class: 'facet-empty' }, t(ui, 'noValues')),
      more,
    ),
  );
}

interface Chip {
  key: string;
  label: string;
  remove: SearchState;
}

/** Display name of a selected value, from the facet counts the API returned (they carry both languages). */
function chipLabel(state: SearchState, response: SearchResponse | null, facet: FacetName, value: string): string {
  const v = response?.facets[facet].find((f) => f.value === value);
  return v ? labelOf(state.ui, v) : value;
}

export function activeChips(state: SearchState, response: SearchResponse | null): Chip[] {
  const chips: Chip[] = [];
  for (const facet of ['outlet', 'theme', 'lang'] as const) {
    for (const value of state[facet]) {
      chips.push({
        key: `${facet}:${value}`,
        label: `${t(state.ui, FACET_TITLE[facet])}: ${chipLabel(state, response, facet, value)}`,
        remove: toggleFacetValue(state, facet, value, false),
      });
    }
  }
  if (state.from || state.to) {
    const range = state.from === state.to ? (state.from ?? '') : `${state.from ?? '…'} – ${state.to ?? '…'}`;
    chips.push({ key: 'date', label: `${t(state.ui, 'facetDate')}: ${range}`, remove: withDateRange(state, null, null) });
  }
  return chips;
}

export function renderChips(container: HTMLElement, state: SearchState, response: SearchResponse | null, navigate: Navigate): void {
  const ui = state.ui;
  if (!hasFilters(state)) {
    const hadFocus = container.contains(document.activeElement);
    container.hidden = true;
    container.replaceChildren();
    if (hadFocus) document.getElementById('q')?.focus();
    return;
  }
  container.hidden = false;
  const chips = activeChips(state, response).map((chip) => {
    const button = h(
      'button',
      { type: 'button', class: 'chip', 'aria-label': t(ui, 'removeFilter', { label: chip.label }), 'data-focus-key': `chip:${chip.key}` },
      h('span', {}, chip.label),
      h('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×'),
    );
    button.addEventListener('click', () => navigate(chip.remove));
    return h('li', {}, button);
  });
  const clear = h('button', { type: 'button', class: 'link-button', 'data-focus-key': 'chip:clear' }, t(ui, 'clearAll'));
  clear.addEventListener('click', () => navigate(clearFilters(state)));
  replaceChildrenKeepingFocus(
    container,
    h('h2', { class: 'visually-hidden', id: 'chips-title' }, t(ui, 'activeFilters')),
    h('ul', { class: 'chip-list', 'aria-labelledby': 'chips-title' }, chips, h('li', {}, clear)),
  );
}
