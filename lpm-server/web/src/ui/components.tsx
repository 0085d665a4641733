// The small set of components every page is built from: loading, empty and error states,
// badges, dialogs, tables with sortable headers, paging, form fields and toasts.

import {
  useEffect,
  useId,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { ApiFailure, messageOf } from "../api/client";
import type { Loaded } from "../lib/hooks";

/** The page's title row: a heading, a line of context and the page's actions. */
export function PageHead(props: { title: string; lead?: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        <h1 id="page-title">{props.title}</h1>
        {props.lead && <p>{props.lead}</p>}
      </div>
      {props.children && <div className="actions">{props.children}</div>}
    </div>
  );
}

/** A spinner with a label screen readers announce. */
export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {what}…
    </div>
  );
}

/** An error in words, with the request id to quote to an admin, and a retry. */
export function ErrorNotice({ error, retry }: { error: unknown; retry?: () => void }) {
  const failure = error instanceof ApiFailure ? error : null;
  return (
    <div className="notice error" role="alert">
      <strong>{failure?.status === 403 ? "Not allowed" : "Something went wrong"}</strong>
      <span>{messageOf(error)}</span>
      {failure?.requestId && (
        <div className="small muted">
          Request id <code>{failure.requestId}</code>
        </div>
      )}
      {retry && (
        <div className="row" style={{ marginTop: 6 }}>
          <button type="button" onClick={retry}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}

/** What an empty list says, and what to do about it. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children}
    </div>
  );
}

/**
 * Shows a loaded value: the spinner the first time, the error (with a retry) when it failed,
 * `empty` when `isEmpty` says so, else the content.
 */
export function DataState<T>(props: {
  state: Loaded<T>;
  what?: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { state } = props;
  if (state.error !== undefined && state.data === undefined)
    return <ErrorNotice error={state.error} retry={state.reload} />;
  if (state.data === undefined) return <Loading what={props.what ?? "Loading"} />;
  return (
    <>
      {state.error !== undefined && <ErrorNotice error={state.error} retry={state.reload} />}
      {props.isEmpty?.(state.data) ? props.empty : props.children(state.data)}
    </>
  );
}

export type Tone = "ok" | "warn" | "bad" | "info" | "neutral";

const TONES: Record<string, Tone> = {
  healthy: "ok",
  succeeded: "ok",
  active: "ok",
  valid: "ok",
  open: "ok",
  completed: "ok",
  degraded: "warn",
  unhealthy: "warn",
  retry_waiting: "warn",
  partially_failed: "warn",
  expiring: "warn",
  pending: "neutral",
  queued: "neutral",
  cancelled: "neutral",
  unreachable: "bad",
  failed: "bad",
  revoked: "bad",
  expired: "bad",
  critical: "bad",
  important: "warn",
  running: "info",
  dispatched: "info",
};

/** A state word as a coloured pill (the colour is never the only signal: the word is there). */
export function StatusBadge({ value, tone }: { value: string; tone?: Tone }) {
  return <span className={`badge ${tone ?? TONES[value] ?? "neutral"}`}>{value.replace(/_/g, " ")}</span>;
}

/** A progress bar with its percentage for screen readers. */
export function Progress({ value, label, tone }: { value: number; label: string; tone?: "ok" | "bad" }) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div className="meter">
      <div
        className={`progress ${tone ?? ""}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        style={{ flex: 1 }}
      >
        <span style={{ width: `${pct}%` }} />
      </div>
      <span className="small muted" aria-hidden="true">
        {pct}%
      </span>
    </div>
  );
}

/**
 * A modal dialog on the native <dialog> element: focus moves in and is trapped, Escape closes
 * it, focus returns to what opened it.
 */
export function Modal(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={props.wide ? "wide" : undefined}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      {props.open && (
        <>
          <div className="dialog-body">
            <h2 id={titleId}>{props.title}</h2>
            {props.children}
          </div>
          {props.footer && <div className="dialog-foot">{props.footer}</div>}
        </>
      )}
    </dialog>
  );
}

/** A labelled form control with an optional hint and error, wired for screen readers. */
export function Field(props: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  children: (ids: { id: string; describedBy: string | undefined }) => ReactNode;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy })}
      {props.hint && (
        <span id={hintId} className="hint">
          {props.hint}
        </span>
      )}
      {props.error && (
        <span id={errorId} className="error" role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}

/** A column header that sorts: aria-sort says the current order. */
export function SortTh(props: {
  field: string;
  sort: string;
  onSort: (sort: string) => void;
  children: ReactNode;
  className?: string;
}) {
  const active = props.sort === props.field || props.sort === `-${props.field}`;
  const descending = props.sort === `-${props.field}`;
  return (
    <th
      className={props.className}
      aria-sort={active ? (descending ? "descending" : "ascending") : "none"}
      scope="col"
    >
      <button
        type="button"
        className="sort"
        onClick={() => props.onSort(active && !descending ? `-${props.field}` : props.field)}
      >
        {props.children}
        <span aria-hidden="true">{active ? (descending ? " ▼" : " ▲") : " ↕"}</span>
      </button>
    </th>
  );
}

/** Previous/next paging for `{page, per_page, total}` lists. */
export function Pager(props: {
  page: number;
  perPage: number;
  total: number;
  onPage: (page: number) => void;
  noun?: string;
}) {
  const pages = Math.max(1, Math.ceil(props.total / props.perPage));
  const first = props.total === 0 ? 0 : (props.page - 1) * props.perPage + 1;
  const last = Math.min(props.total, props.page * props.perPage);
  return (
    <nav className="pager" aria-label="Pages">
      <span className="muted" aria-live="polite">
        {first}–{last} of {props.total.toLocaleString()} {props.noun ?? "items"}
      </span>
      <div className="row">
        <button type="button" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
          ← Previous
        </button>
        <span>
          Page {props.page} of {pages}
        </span>
        <button
          type="button"
          disabled={props.page >= pages}
          onClick={() => props.onPage(props.page + 1)}
        >
          Next →
        </button>
      </div>
    </nav>
  );
}

type ToastTone = "ok" | "error" | "info";
interface Toast {
  id: number;
  text: string;
  tone: ToastTone;
}
let toasts: Toast[] = [];
let nextToast = 1;
const toastListeners = new Set<() => void>();
function setToasts(next: Toast[]) {
  toasts = next;
  for (const l of toastListeners) l();
}

/** Shows a short message in the corner (and to screen readers) for a few seconds. */
export function toast(text: string, tone: ToastTone = "ok"): void {
  const id = nextToast++;
  setToasts([...toasts, { id, text, tone }]);
  window.setTimeout(() => setToasts(toasts.filter((t) => t.id !== id)), tone === "error" ? 9000 : 5000);
}

/** Where toasts appear; mounted once. */
export function Toasts() {
  const list = useSyncExternalStore(
    (l) => {
      toastListeners.add(l);
      return () => toastListeners.delete(l);
    },
    () => toasts,
  );
  return (
    <div className="toasts" role="status" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} className={`toast ${t.tone}`}>
          {t.text}
        </div>
      ))}
    </div>
  );
}

/**
 * Tabs (WAI-ARIA tab pattern): one tab stop, arrow keys, Home and End move between tabs; the
 * panel is the caller's, labelled by `tab-{id}` and identified by `panelId`.
 */
export function Tabs<T extends string>(props: {
  label: string;
  tabs: { id: T; label: ReactNode }[];
  selected: T;
  onSelect: (id: T) => void;
  panelId: string;
}) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  function key(event: KeyboardEvent, index: number) {
    const last = props.tabs.length - 1;
    const target =
      event.key === "ArrowRight" ? (index === last ? 0 : index + 1)
        : event.key === "ArrowLeft" ? (index === 0 ? last : index - 1)
          : event.key === "Home" ? 0
            : event.key === "End" ? last
              : null;
    if (target === null) return;
    event.preventDefault();
    const tab = props.tabs[target];
    if (!tab) return;
    props.onSelect(tab.id);
    refs.current.get(tab.id)?.focus();
  }
  return (
    <div className="tabs" role="tablist" aria-label={props.label}>
      {props.tabs.map((tab, index) => (
        <button
          key={tab.id}
          ref={(el) => {
            if (el) refs.current.set(tab.id, el);
          }}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === props.selected}
          aria-controls={props.panelId}
          tabIndex={tab.id === props.selected ? 0 : -1}
          onClick={() => props.onSelect(tab.id)}
          onKeyDown={(e) => key(e, index)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

/** A text input that reports its value once typing pauses (300 ms), for filters that query. */
export function DebouncedInput(props: {
  id?: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  type?: "search" | "text";
  "aria-label"?: string;
}) {
  const [text, setText] = useState(props.value);
  const timer = useRef<number | undefined>(undefined);
  const report = useRef(props.onChange);
  report.current = props.onChange;
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return (
    <input
      id={props.id}
      type={props.type ?? "search"}
      aria-label={props["aria-label"]}
      placeholder={props.placeholder}
      value={text}
      onChange={(e) => {
        const value = e.target.value;
        setText(value);
        window.clearTimeout(timer.current);
        timer.current = window.setTimeout(() => report.current(value), 300);
      }}
    />
  );
}
