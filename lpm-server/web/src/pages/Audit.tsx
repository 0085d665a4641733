// The audit log (admins and auditors): who did what and when, newest first, filtered by action
// or actor, and the on-demand check of the hash chain that links every row.

import { useState } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { setQuery, useLocation } from "../router";
import { useLoad, useTitle } from "../lib/hooks";
import { ago, plural, when, words } from "../lib/format";
import { DataState, DebouncedInput, Empty, ErrorNotice, Field, PageHead, Pager, StatusBadge } from "../ui/components";

const BREAKS: Record<Schemas["BreakKindView"], string> = {
  contents_changed: "its contents were changed after it was written",
  link_broken: "it does not link to the row before it",
  rows_missing: "rows before it are missing",
  truncated: "the log ends before the recorded head",
};

/** A row's details in one line: `key: value` pairs, or the JSON as it is. */
function detailsText(details: unknown): string {
  if (details === null || details === undefined) return "";
  if (typeof details !== "object" || Array.isArray(details)) return JSON.stringify(details);
  return Object.entries(details as Record<string, unknown>)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
}

export function AuditPage() {
  useTitle("Audit log");
  const { query } = useLocation();
  const page = Number(query.get("page") ?? 1) || 1;
  const action = query.get("action") ?? "";
  const actor = query.get("actor") ?? "";
  const rows = useLoad(
    () => unwrap(api.GET("/api/v1/audit", {
      params: { query: { page, per_page: 50, sort: "-id", action: action || undefined, actor: actor || undefined } },
    })),
    [page, action, actor],
  );
  return (
    <>
      <PageHead title="Audit log" lead="Every change and sign-in, newest first. Each row is chained to the one before it by a hash." />
      <VerifyChain />
      <div className="filters">
        <Field label="Action starts with">
          {({ id }) => <DebouncedInput id={id} value={action} placeholder="auth. or host.created" onChange={(v) => setQuery({ action: v.trim(), page: undefined })} />}
        </Field>
        <Field label="Actor">
          {({ id }) => <DebouncedInput id={id} value={actor} placeholder="username or system" onChange={(v) => setQuery({ actor: v.trim(), page: undefined })} />}
        </Field>
      </div>
      <DataState state={rows} what="Loading the audit log" isEmpty={(d) => d.total === 0}
        empty={<div className="card"><Empty title={action || actor ? "No row matches." : "Nothing recorded yet."} /></div>}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table aria-label="Audit log">
                <thead><tr><th scope="col" className="num">Row</th><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Details</th></tr></thead>
                <tbody>
                  {d.items.map((r) => (
                    <tr key={r.id}>
                      <td className="num">{r.id}</td>
                      <td className="nowrap" title={when(r.at)}>{ago(r.at)}</td>
                      <td className="nowrap">{r.actor}{r.ip && <div className="small muted">{r.ip}</div>}</td>
                      <td><code>{r.action}</code></td>
                      <td className="nowrap">{words(r.target_type)}{r.target_id ? ` #${r.target_id}` : ""}</td>
                      <td className="small"><div className="truncate" style={{ maxWidth: 220 }} title={detailsText(r.details)}>{detailsText(r.details) || <span className="muted">—</span>}</div></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={d.page} perPage={d.per_page} total={d.total} noun="rows" onPage={(p) => setQuery({ page: p })} />
          </>
        )}
      </DataState>
    </>
  );
}

function VerifyChain() {
  const [result, setResult] = useState<Schemas["VerifyView"] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  async function verify() {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await unwrap(api.POST("/api/v1/audit/verify", { body: {} })));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" aria-labelledby="verify-title" style={{ marginBottom: 16 }}>
      <div className="spread">
        <h2 id="verify-title">Integrity</h2>
        <button type="button" onClick={() => void verify()} disabled={busy}>{busy ? "Checking…" : "Verify the chain"}</button>
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
      {result === null ? (
        <p className="muted small">Recomputes every row's hash and link to show that nothing was changed or removed.</p>
      ) : (
        <p role="status">
          {result.ok ? <StatusBadge value="intact" tone="ok" /> : <StatusBadge value="broken" tone="bad" />}{" "}
          {plural(result.rows_checked, "row")} checked
          {result.pruned_through > 0 ? ` (rows up to #${result.pruned_through} were removed by retention)` : ""}
          {result.first_broken ? `; row #${result.first_broken.id} fails: ${BREAKS[result.first_broken.kind]}.` : "."}
        </p>
      )}
    </section>
  );
}
