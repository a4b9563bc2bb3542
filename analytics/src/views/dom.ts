/** A tiny element builder: `h('p', { class: 'x' }, 'text', child)`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value)
  el.append(...children)
  return el
}

/** A status line: `kind` is loading, empty, error or ok (a class and `data-state`). */
export function statusLine(kind: 'loading' | 'empty' | 'error' | 'ok', text: string): HTMLElement {
  return h('p', { class: `status ${kind}`, 'data-state': kind, role: 'status' }, text)
}

/** Error message of anything thrown (DuckDB's own message for query errors). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
