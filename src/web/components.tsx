/**
 * Small accessible building blocks shared by the pages: labelled fields, error and empty states,
 * badges that carry text (never colour alone), a modal <dialog>, progress and copy buttons.
 */
import type { ComponentChildren, JSX } from 'preact'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { classifyError, errorText } from './api'
import { capitalize } from './format'
import type { PagedList } from './pagination'

/** An error message (role=alert); 403 reads "Your role does not allow this." */
export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }): JSX.Element | null {
  if (!error) return null
  const kind = classifyError(error)
  return (
    <div class={`note note-error${kind === 'forbidden' ? ' note-forbidden' : ''}`} role="alert">
      <span>{errorText(error)}</span>
      {onRetry && kind !== 'forbidden' ? (
        <button type="button" class="btn-link" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  )
}

/** A loading line announced politely to screen readers. */
export function Loading({ label = 'Loading…' }: { label?: string }): JSX.Element {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  )
}

/** An empty state that says what to do next. */
export function Empty({ title, children }: { title: string; children?: ComponentChildren }): JSX.Element {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children ? <div class="empty-body">{children}</div> : null}
    </div>
  )
}

/** A severity as a badge with its name in text. */
export function SeverityBadge({ severity }: { severity: string }): JSX.Element {
  return <span class={`badge sev-${severity}`}>{capitalize(severity)}</span>
}

/** A status (pass/fail/manual/open/…) as a badge with its name in text. */
export function StatusBadge({ status, label }: { status: string; label?: string }): JSX.Element {
  return <span class={`badge status-${status}`}>{label ?? capitalize(status)}</span>
}

/** Whether a resource holds PHI, in words. */
export function PhiBadge({ phi }: { phi: string }): JSX.Element {
  const text = phi === 'yes' ? 'PHI' : phi === 'no' ? 'No PHI' : 'PHI unknown'
  return <span class={`badge phi-${phi}`}>{text}</span>
}

interface FieldProps {
  label: string
  value: string
  onValue: (v: string) => void
  type?: string
  error?: string | undefined
  hint?: string
  required?: boolean
  autoComplete?: string
  inputMode?: 'numeric' | 'text' | 'search'
  name?: string
  min?: string | number
  max?: string | number
  minLength?: number
  maxLength?: number
  pattern?: string
  autoFocus?: boolean
  class?: string
}

/** A labelled input with an optional hint and an error announced with the field (aria-describedby). */
export function Field(p: FieldProps): JSX.Element {
  const id = useId()
  const ref = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (p.autoFocus) ref.current?.focus()
  }, [])
  const describedBy = [p.hint ? `${id}-hint` : '', p.error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div class={`field${p.class ? ` ${p.class}` : ''}`}>
      <label for={id}>{p.label}</label>
      <input
        ref={ref}
        id={id}
        name={p.name}
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        onInput={(e) => p.onValue(e.currentTarget.value)}
        required={p.required}
        autoComplete={p.autoComplete}
        inputMode={p.inputMode}
        min={p.min}
        max={p.max}
        minLength={p.minLength}
        maxLength={p.maxLength}
        pattern={p.pattern}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {p.error ? (
        <p class="field-error" id={`${id}-err`}>
          {p.error}
        </p>
      ) : null}
    </div>
  )
}

/** A labelled <select>. `options` are [value, label] pairs. */
export function Select(p: {
  label: string
  value: string
  onValue: (v: string) => void
  options: readonly (readonly [string, string])[]
  error?: string | undefined
  class?: string
  disabled?: boolean
}): JSX.Element {
  const id = useId()
  return (
    <div class={`field${p.class ? ` ${p.class}` : ''}`}>
      <label for={id}>{p.label}</label>
      <select
        id={id}
        value={p.value}
        disabled={p.disabled}
        onChange={(e) => p.onValue(e.currentTarget.value)}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={p.error ? `${id}-err` : undefined}
      >
        {p.options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      {p.error ? (
        <p class="field-error" id={`${id}-err`}>
          {p.error}
        </p>
      ) : null}
    </div>
  )
}

/** A labelled multi-line text box. */
export function TextArea(p: { label: string; value: string; onValue: (v: string) => void; error?: string | undefined; hint?: string; required?: boolean; rows?: number }): JSX.Element {
  const id = useId()
  const describedBy = [p.hint ? `${id}-hint` : '', p.error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <textarea id={id} rows={p.rows ?? 3} value={p.value} required={p.required} onInput={(e) => p.onValue(e.currentTarget.value)} aria-invalid={p.error ? 'true' : undefined} aria-describedby={describedBy} />
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {p.error ? (
        <p class="field-error" id={`${id}-err`}>
          {p.error}
        </p>
      ) : null}
    </div>
  )
}

/**
 * A modal dialog on the native <dialog> element: `showModal()` makes the rest of the page inert
 * (so focus stays inside), Escape closes it, and focus returns to the opener on close.
 */
export function Modal({ title, open, onClose, children }: { title: string; open: boolean; onClose: () => void; children: ComponentChildren }): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null)
  const opener = useRef<Element | null>(null)
  const titleId = useId()
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) {
      opener.current = document.activeElement
      d.showModal()
      const first = d.querySelector<HTMLElement>('input, select, textarea, button:not(.dialog-close)')
      first?.focus()
    } else if (!open && d.open) {
      d.close()
    }
    if (!open && opener.current instanceof HTMLElement) {
      opener.current.focus()
      opener.current = null
    }
  }, [open])
  return (
    <dialog
      ref={ref}
      class="modal"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <div class="modal-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="dialog-close btn-ghost" aria-label="Close dialog" onClick={onClose}>
          ×
        </button>
      </div>
      {open ? children : null}
    </dialog>
  )
}

/**
 * A form the page validates itself (`noValidate`: field errors are shown next to each field, in
 * the page's words) and submits by script: `onSubmit` runs without the browser's navigation.
 */
export function Form({ onSubmit, class: cls = 'stack', children, ...aria }: { onSubmit: () => void; class?: string; children: ComponentChildren; 'aria-label'?: string; 'aria-labelledby'?: string }): JSX.Element {
  return (
    <form
      noValidate
      class={cls}
      {...aria}
      onSubmit={(e) => {
        e.preventDefault()
        onSubmit()
      }}
    >
      {children}
    </form>
  )
}

/**
 * The buttons under a form: submit (its label, and `busyLabel` while the request runs) and, with
 * `onCancel`, Cancel.
 */
export function FormActions({ busy, label, busyLabel, danger = false, onCancel }: { busy: boolean; label: string; busyLabel: string; danger?: boolean; onCancel?: () => void }): JSX.Element {
  return (
    <div class="actions">
      <button type="submit" class={danger ? 'btn-danger' : 'btn-primary'} disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      {onCancel ? (
        <button type="button" class="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  )
}

/** A progress bar (native <progress>) with a visible percentage. */
export function Progress({ value, label }: { value: number; label: string }): JSX.Element {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100)
  return (
    <div class="progress">
      <progress max={100} value={pct} aria-label={label} />
      <span class="progress-text">{pct}%</span>
    </div>
  )
}

/** A button that copies text to the clipboard and says so. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }): JSX.Element {
  const [copied, setCopied] = useState<'idle' | 'ok' | 'failed'>('idle')
  return (
    <span class="copy">
      <button
        type="button"
        class="btn-secondary"
        onClick={() => {
          navigator.clipboard?.writeText(text).then(
            () => setCopied('ok'),
            () => setCopied('failed'),
          ) ?? setCopied('failed')
        }}
      >
        {label}
      </button>
      <span role="status" class="copy-status">
        {copied === 'ok' ? 'Copied.' : copied === 'failed' ? 'Copy failed: select the text and copy it.' : ''}
      </span>
    </span>
  )
}

/** "Load more" below a paged table, with the count shown so far. */
export function LoadMore({ list, onMore, noun }: { list: PagedList<unknown>; onMore: () => void; noun: string }): JSX.Element | null {
  if (!list.loaded) return null
  return (
    <div class="load-more">
      <p class="muted">
        Showing {list.items.length} of {list.total} {noun}
      </p>
      {list.nextCursor !== null ? (
        <button type="button" class="btn-secondary" onClick={onMore} disabled={list.loading} aria-busy={list.loading ? 'true' : undefined}>
          {list.loading ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </div>
  )
}

/** The page heading, focusable so navigation can move focus to it. */
export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }): JSX.Element {
  return (
    <div class="page-header">
      <h1 tabIndex={-1} class="page-title">
        {title}
      </h1>
      {children ? <div class="page-actions">{children}</div> : null}
    </div>
  )
}
