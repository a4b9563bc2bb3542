import * as Plot from '@observablehq/plot'
import type { QueryResult } from '../db.ts'
import { isNumericType, isTemporalType } from '../values.ts'
import { platformScale } from '#core/palette.ts'
import { columnUnit, formatInUnit } from '../format.ts'
import { h } from './dom.ts'

/** Points drawn at most, so a large result cannot freeze the page. */
export const MAX_CHART_ROWS = 5_000

/** Beyond this many x categories a bar chart is unreadable: default to dots, hide x tick labels. */
export const MAX_BARS = 60

/** What to plot: column names ('' = none) and a mark. */
export interface ChartChoice {
  x: string
  y: string
  color: string
  mark: 'bar' | 'line' | 'dot'
}

/** A sensible first choice: first text/time column on x, first numeric on y. */
export function defaultChoice(result: QueryResult): ChartChoice {
  // identifiers (run_id, raw_sha256, comparison_key...) make meaningless axes
  const meaningful = result.columns.filter((c) => !/(^|_)(id|key|sha256)$/.test(c.name))
  const numeric = meaningful.filter((c) => isNumericType(c.type))
  const other = meaningful.filter((c) => !isNumericType(c.type))
  const x = other[0]?.name ?? numeric[0]?.name ?? ''
  const counts = /(^|_)(n|repetition|document_index|streams)$/
  const y =
    numeric.find((c) => c.name !== x && !counts.test(c.name))?.name ??
    numeric.find((c) => c.name !== x)?.name ??
    ''
  const temporal = result.columns.find((c) => c.name === x && isTemporalType(c.type))
  const sample = result.rows.slice(0, MAX_BARS + 1).map((r) => r[x])
  const categories = new Set(sample).size
  // a bar per row only when each x occurs once; repeated x values would hide or stack bars
  const mark =
    temporal || numeric.some((c) => c.name === x)
      ? 'line'
      : categories > MAX_BARS || categories < sample.length
        ? 'dot'
        : 'bar'
  return { x, y, color: other[1]?.name ?? '', mark }
}

/** Chart settings as they travel in the URL: `x|y|colour|mark`. */
export function encodeChoice(choice: ChartChoice): string {
  return [choice.x, choice.y, choice.color, choice.mark].join('|')
}

/** Settings from the URL, or null when they do not fit this result's columns. */
export function decodeChoice(encoded: string, result: QueryResult): ChartChoice | null {
  const [x, y, color, mark] = encoded.split('|')
  const names = new Set(['', ...result.columns.map((c) => c.name)])
  if (mark !== 'bar' && mark !== 'line' && mark !== 'dot') return null
  if (!x || !names.has(x) || !names.has(y) || !names.has(color)) return null
  return { x, y, color, mark }
}

/** A chart of a result with pickers for x, y, colour and mark; redraws on change. */
export function resultChart(
  result: QueryResult,
  settings: { initial?: string; onChange?: (encoded: string) => void } = {},
): HTMLElement {
  const choice = decodeChoice(settings.initial ?? '', result) ?? defaultChoice(result)
  const area = h('div', { class: 'chart-area' })
  const select = (label: string, key: keyof ChartChoice, options: string[]) => {
    const el = h(
      'select',
      { 'data-pick': key },
      ...options.map((o) => h('option', { value: o }, o || '(none)')),
    )
    el.value = choice[key]
    el.addEventListener('change', () => {
      ;(choice as unknown as Record<string, string>)[key] = el.value
      settings.onChange?.(encodeChoice(choice))
      draw()
    })
    return h('label', {}, `${label} `, el)
  }
  const names = result.columns.map((c) => c.name)
  const controls = h(
    'div',
    { class: 'chart-controls' },
    select('x', 'x', names),
    select('y', 'y', ['', ...names]),
    select('colour', 'color', ['', ...names]),
    select('mark', 'mark', ['bar', 'line', 'dot']),
  )
  const draw = () => area.replaceChildren(drawChart(result, choice))
  draw()
  return h('div', { class: 'result-chart' }, controls, area)
}

function drawChart(result: QueryResult, choice: ChartChoice): Element {
  if (!choice.x || !choice.y)
    return h('p', { class: 'status empty' }, 'Pick a column for x and y to draw a chart.')
  const rows = result.rows.slice(0, MAX_CHART_ROWS).map((r) => {
    const xType = result.columns.find((c) => c.name === choice.x)?.type ?? ''
    return isTemporalType(xType) && r[choice.x] !== null
      ? { ...r, [choice.x]: new Date(String(r[choice.x])) }
      : r
  })
  const fill = choice.color || undefined
  const yUnit = columnUnit(choice.y)
  const options = { x: choice.x, y: choice.y }
  const mark =
    choice.mark === 'bar'
      ? // y1/y2 rather than y: rows sharing an x are overlaid, never stacked into a sum
        Plot.barY(rows, { x: choice.x, y1: 0, y2: choice.y, fill: fill ?? 'steelblue', tip: true })
      : choice.mark === 'line'
        ? Plot.lineY(rows, { ...options, stroke: fill, marker: 'dot', tip: true })
        : Plot.dot(rows, { ...options, fill: fill ?? 'steelblue', tip: true })
  const shown =
    result.rows.length > MAX_CHART_ROWS
      ? `first ${MAX_CHART_ROWS} of ${result.rows.length} rows`
      : ''
  const plot = Plot.plot({
    width: 720,
    height: 320,
    marginLeft: 70,
    // a platform column takes the shared palette, so the colours match every other page
    color: fill
      ? fill === 'platform'
        ? { ...platformScale(rows.map((r) => String(r.platform))), legend: true }
        : { legend: true }
      : undefined,
    x: isCategorical(result, choice.x)
      ? {
          tickRotate: -30,
          type: 'band',
          axis: distinct(rows, choice.x) > MAX_BARS ? null : 'bottom',
        }
      : {},
    y: {
      grid: true,
      label: `↑ ${choice.y}${yUnit ? ` (${yUnit === 'fraction' ? '%' : yUnit})` : ''}`,
      tickFormat: yUnit ? (v: number) => formatInUnit(yUnit, v) : '~s',
    },
    marks: [mark, Plot.ruleY([0])],
  })
  return shown ? h('div', {}, h('p', { class: 'status' }, `Chart of the ${shown}.`), plot) : plot
}

function isCategorical(result: QueryResult, column: string): boolean {
  const type = result.columns.find((c) => c.name === column)?.type ?? ''
  return !isNumericType(type) && !isTemporalType(type)
}

function distinct(rows: Record<string, unknown>[], column: string): number {
  return new Set(rows.map((r) => r[column])).size
}
