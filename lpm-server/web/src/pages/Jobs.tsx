// Jobs: every patch, install, remove, reboot and rollback job in the caller's scope, newest
// first, updated live from the job stream.

import { useMemo } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { Link, setQuery, useLocation } from "../router";
import { useLoad, useTitle } from "../lib/hooks";
import { useAccess } from "../lib/access";
import { ago, when, words } from "../lib/format";
import { throttle, useJobStream } from "../lib/jobStream";
import { DataState, Empty, Field, PageHead, Pager, StatusBadge } from "../ui/components";

const STATES: Schemas["JobState"][] = ["queued", "running", "succeeded", "partially_failed", "failed", "cancelled"];
const KINDS: Schemas["JobKind"][] = ["apply_patches", "install", "update", "remove", "reboot", "rollback", "refresh"];

export function LiveBadge({ status }: { status: string }) {
  return status === "live" ? <StatusBadge value="Live" tone="ok" /> : <StatusBadge value={status === "connecting" ? "Connecting" : "Reconnecting"} tone="warn" />;
}

export function JobsPage() {
  useTitle("Jobs");
  const { query } = useLocation();
  const page = Number(query.get("page") ?? 1) || 1;
  const state = (query.get("state") ?? "") as Schemas["JobState"] | "";
  const kind = (query.get("kind") ?? "") as Schemas["JobKind"] | "";
  const jobs = useLoad(
    () => unwrap(api.GET("/api/v1/jobs", { params: { query: { page, per_page: 25, sort: "-created", state: state || undefined, kind: kind || undefined } } })),
    [page, state, kind],
  );
  const reread = useMemo(() => throttle(jobs.reload, 500), [jobs.reload]);
  const live = useJobStream(() => reread());
  const { changes } = useAccess();

  return (
    <>
      <PageHead title="Jobs" lead={<>Newest first. <LiveBadge status={live} /></>}>
        {changes && <Link className="button primary" to="/deploy">Deploy patches</Link>}
      </PageHead>
      <div className="filters">
        <Field label="State">
          {({ id }) => (
            <select id={id} value={state} onChange={(e) => setQuery({ state: e.target.value, page: undefined })}>
              <option value="">Any state</option>
              {STATES.map((s) => <option key={s} value={s}>{words(s)}</option>)}
            </select>
          )}
        </Field>
        <Field label="Kind">
          {({ id }) => (
            <select id={id} value={kind} onChange={(e) => setQuery({ kind: e.target.value, page: undefined })}>
              <option value="">Any kind</option>
              {KINDS.map((k) => <option key={k} value={k}>{words(k)}</option>)}
            </select>
          )}
        </Field>
      </div>
      <DataState state={jobs} what="Loading jobs" isEmpty={(d) => d.total === 0}
        empty={<div className="card"><Empty title={state || kind ? "No job matches." : "No jobs yet."}>{changes && <p><Link to="/deploy">Deploy patches</Link> to create one.</p>}</Empty></div>}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table aria-label="Jobs">
                <thead><tr><th scope="col">Job</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col" className="num">Hosts</th><th scope="col">Created</th><th scope="col">By</th></tr></thead>
                <tbody>
                  {d.items.map((j) => (
                    <tr key={j.id}>
                      <td><Link to={`/jobs/${j.id}`}>#{j.id}</Link></td>
                      <td>{words(j.kind)}<div className="small muted">{j.mode === "immediate" ? "now" : "next window"}{j.options.dry_run ? ", dry run" : ""}</div></td>
                      <td><StatusBadge value={j.state} /></td>
                      <td className="num">{j.host_count}</td>
                      <td title={when(j.created_at)}>{ago(j.created_at)}</td>
                      <td>{j.created_by_name ?? <span className="muted">system</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={d.page} perPage={d.per_page} total={d.total} noun="jobs" onPage={(p) => setQuery({ page: p })} />
          </>
        )}
      </DataState>
    </>
  );
}
