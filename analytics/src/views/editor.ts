import { EditorView, basicSetup } from 'codemirror'
import { sql, StandardSQL, type SQLNamespace } from '@codemirror/lang-sql'
import { keymap } from '@codemirror/view'
import { Prec } from '@codemirror/state'

/** The tables and views and their columns, for completion (see views/schema-panel.ts). */
export type SqlSchema = SQLNamespace

/** A SQL editor (CodeMirror 6, highlighting) that runs on Ctrl/Cmd-Enter. */
export function createSqlEditor(options: {
  parent: HTMLElement
  doc: string
  schema: SqlSchema
  onRun: () => void
  onChange: (text: string) => void
}): EditorView {
  const run = keymap.of([
    {
      key: 'Mod-Enter',
      run: () => {
        options.onRun()
        return true
      },
    },
  ])
  return new EditorView({
    doc: options.doc,
    parent: options.parent,
    extensions: [
      Prec.highest(run),
      basicSetup,
      sql({ dialect: StandardSQL, schema: options.schema, upperCaseKeywords: true }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) options.onChange(update.state.doc.toString())
      }),
    ],
  })
}
