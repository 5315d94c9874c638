/**
 * A tiny element builder. Text always goes in through text nodes and attributes through setAttribute, so no string
 * from the API or the URL is ever parsed as HTML anywhere in the page.
 */

type Attrs = Record<string, string | number | boolean | null | undefined>;
export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
}

/** Replaces an element's children, keeping keyboard focus on the element with the same `data-focus-key`, if any. */
export function replaceChildrenKeepingFocus(parent: HTMLElement, ...children: Array<Child | Child[]>): void {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && parent.contains(active) ? active.dataset['focusKey'] : undefined;
  parent.replaceChildren();
  append(parent, ...children);
  if (key !== undefined) {
    // The focused control may be gone (a removed chip): the nearest remaining control beats losing focus to <body>.
    const again =
      parent.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`) ??
      parent.querySelector<HTMLElement>('[data-focus-key]');
    again?.focus({ preventScroll: true });
  }
}

/** Only http(s) links are followed: a document's `javascript:` or `data:` URL must never become a clickable link. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
