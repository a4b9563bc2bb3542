import type { SQLNamespace } from '@codemirror/lang-sql'
import { columnUnit } from '#core/units.ts'
import { FILTER_PARAMS, schemaObjects, type SchemaObject } from '#sql/dataset-views.ts'
import { h } from './dom.ts'

/** The tables and views a cell can read, from schemas/tables.ts via sql/dataset-views.ts. */
export const SCHEMA_OBJECTS: SchemaObject[] = schemaObjects()

function unitOf(column: string): string {
  const unit = columnUnit(column)
  return unit === null ? '' : unit === 'fraction' ? 'fraction (1 = 100 %)' : unit
}

/** The editor's completion: every table and view, each column with its type and unit. */
export function completionSchema(objects: SchemaObject[] = SCHEMA_OBJECTS): SQLNamespace {
  return Object.fromEntries(
    objects.map((o) => [
      o.name,
      {
        self: {
          label: o.name,
          type: o.kind === 'table' ? 'type' : 'class',
          detail: o.kind,
          info: o.about,
        },
        children: o.columns.map((c) => ({
          label: c.name,
          type: 'property',
          detail: [c.type, unitOf(c.name)].filter(Boolean).join(' · '),
          info: c.description,
        })),
      },
    ]),
  )
}

/** A folded panel listing each table and view with its columns, types, units and meanings. */
export function schemaPanel(objects: SchemaObject[] = SCHEMA_OBJECTS): HTMLElement {
  return h(
    'details',
    { class: 'schema-panel' },
    h('summary', {}, `Schema: ${objects.length} tables and views (columns, types, units)`),
    h(
      'p',
      { class: 'muted' },
      `Views leave out the iperf3 server-side copies; each *_runs view also has a table macro *_where(${FILTER_PARAMS.join(', ')}) (NULL = no filter). Source: schemas/tables.ts.`,
    ),
    ...objects.map((o) =>
      h(
        'details',
        { class: 'schema-object', 'data-object': o.name, 'data-kind': o.kind },
        h(
          'summary',
          {},
          h('code', {}, o.name),
          ` ${o.kind} · ${o.columns.length} columns · ${o.about}`,
        ),
        h(
          'table',
          { class: 'schema-columns' },
          h(
            'thead',
            {},
            h('tr', {}, ...['column', 'type', 'unit', 'meaning'].map((t) => h('th', {}, t))),
          ),
          h(
            'tbody',
            {},
            ...o.columns.map((c) =>
              h(
                'tr',
                { 'data-column': c.name },
                h('td', {}, h('code', {}, c.name)),
                h('td', {}, c.type),
                h('td', { class: 'unit' }, unitOf(c.name) || '–'),
                h('td', {}, c.description),
              ),
            ),
          ),
        ),
      ),
    ),
  )
}
