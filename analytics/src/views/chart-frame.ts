import { h } from './dom.ts'

/** Wrap a Plot figure with a title; `data-marks` counts the marks drawn, for tests and a11y. */
export function chartFrame(title: string, plot: Element, marks: number): HTMLElement {
  return h(
    'figure',
    { class: 'chart', 'data-marks': String(marks) },
    h('figcaption', {}, title),
    plot,
  )
}
