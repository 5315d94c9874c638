import { h } from './dom';
import { t } from './i18n';
import type { SearchResponse } from './schema';
import { withCross, type SearchState } from './url-state';
import type { Navigate } from './render-facets';

/**
 * What the search also looked for in the other language ("也搜索了：冰岛 火山"), with the switch to search the query as
 * typed only, or back. Shown only for a query; nothing when nothing crossed.
 */
export function renderCrossing(slot: HTMLElement, state: SearchState, response: SearchResponse, navigate: Navigate): void {
  const crossing = response.crossLanguage;
  const ui = state.ui;
  if (!crossing || state.q.trim() === '' || (crossing.enabled && crossing.terms.length === 0)) {
    slot.hidden = true;
    slot.replaceChildren();
    return;
  }
  const toggle = (on: boolean, label: string) => {
    const button = h('button', { type: 'button', class: 'link-button', 'data-focus-key': 'cross-toggle' }, label);
    button.addEventListener('click', () => navigate(withCross(state, on)));
    return button;
  };
  if (!crossing.enabled) {
    slot.replaceChildren(h('span', {}, t(ui, 'crossIsOff')), ' ', toggle(true, t(ui, 'crossTurnOn')));
  } else {
    // Each term in its own language, so it is read and rendered with the right voice and glyphs.
    const terms = crossing.terms.map((term) =>
      h('span', { class: term.excluded ? 'cross-term is-excluded' : 'cross-term', lang: /\p{Script=Han}/u.test(term.to) ? 'zh-CN' : 'en', title: term.from }, term.excluded ? `−${term.to}` : term.to),
    );
    slot.replaceChildren(h('span', {}, t(ui, 'crossAlso')), ...terms.flatMap((term, i) => (i === 0 ? [term] : [' ', term])), ' · ', toggle(false, t(ui, 'crossTurnOff')));
  }
  slot.hidden = false;
}
