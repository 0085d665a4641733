// One job, live: its state, each host's progress, waiting reason, errors, package changes and
// log lines as they arrive over the job stream, and its event log; cancel (rows not yet sent to
// an agent) and rollback (a finished job, as a new job).

import { useMemo, useState } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { Link, navigate } from "../router";
import { useLoad, useTitle } from "../lib/hooks";
import { useAccess } from "../lib/access";
import { ago, plural, when, words } from "../lib/format";
import { throttle, useJobStream } from "../lib/jobStream";
import { DataState, ErrorNotice, Modal, PageHead, Progress, StatusBadge, toast } from "../ui/components";
import { LiveBadge } from "./Jobs";

const FINISHED: Schemas["JobState"][] = ["succeeded", "partially_failed", "failed", "cancelled"];
const HOST_DONE: Schemas["JobHostState"][] = ["succeeded", "failed", "cancelled"];

export function JobDetailPage({ id }: { id: number }) {
  useTitle(`Job #${id}`);
  const detail = useLoad(() => unwrap(api.GET("/api/v1/jobs/{id}", { params: { path: { id } } })), [id]);
  const reread = useMemo(() => throttle(detail.reload, 300), [detail.reload]);
  const live = useJobStream((message) => {
    if (message.type === "resync" || message.job_id === id) reread();
  });
  const [confirm, setConfirm] = useState<"cancel" | "rollback" | null>(null);
  const { changes } = useAccess();

  return (
    <DataState state={detail} what="Loading the job">
      {(j) => {
        const { hosts, recent_events: events } = j;
        const done = hosts.filter((h) => HOST_DONE.includes(h.state)).length;
        const finished = FINISHED.includes(j.state);
        return (
          <>
            <PageHead title={`Job #${j.id}: ${words(j.kind)}`}
              lead={<>Created {when(j.created_at)} by {j.created_by_name ?? "the system"} · {j.mode === "immediate" ? "applied now" : "in each host's next window"}
                {j.options.dry_run ? " · dry run" : ""} · <LiveBadge status={live} /></>}>
              {changes && !finished && <button type="button" className="danger" onClick={() => setConfirm("cancel")}>Cancel job</button>}
              {changes && finished && j.kind !== "rollback" && j.kind !== "refresh" && <button type="button" onClick={() => setConfirm("rollback")}>Roll back</button>}
            </PageHead>
            <div className="grid grid-4" style={{ marginBottom: 16 }}>
              <div className="card stat"><span className="label">State</span><span className="value" style={{ fontSize: 20 }}><span data-testid="job-state">{words(j.state)}</span></span></div>
              <div className="card stat"><span className="label">Hosts done</span><span className="value">{done} / {hosts.length}</span></div>
              <div className="card stat"><span className="label">Started</span><span>{when(j.started_at)}</span></div>
              <div className="card stat"><span className="label">Finished</span><span>{when(j.finished_at)}</span></div>
            </div>
            <p className="muted">
              {j.options.packages.length ? `Packages: ${j.options.packages.map((p) => p.version ? `${p.name} ${p.version}` : p.name).join(", ")}` : j.options.security_only ? "Security updates only" : "Every available update"}
              {" · "}reboot: {words(j.options.reboot)}
              {j.parent_id && <> · rolls back <Link to={`/jobs/${j.parent_id}`}>job #{j.parent_id}</Link></>}
            </p>
            <section aria-labelledby="hosts-title">
              <h2 id="hosts-title">Hosts</h2>
              <div className="table-wrap">
                <table aria-label="Progress per host">
                  <thead><tr><th scope="col">Host</th><th scope="col">State</th><th scope="col" style={{ width: 200 }}>Progress</th><th scope="col">Details</th></tr></thead>
                  <tbody>
                    {hosts.map((h) => (
                      <tr key={h.id}>
                        <td><Link to={`/hosts/${h.host_id}`}>{h.host_name ?? `host ${h.host_id}`}</Link>
                          {h.attempts > 1 && <div className="small muted">attempt {h.attempts}</div>}</td>
                        <td><StatusBadge value={h.state} />
                          {h.state === "queued" && h.next_window_at && (
                            <div className="small muted">
                              {new Date(h.next_window_at).getTime() <= Date.now() ? "its window is open" : `window opens ${ago(h.next_window_at)}`}
                            </div>
                          )}
                          {h.waiting_reason && <div className="small muted">{h.waiting_reason}</div>}</td>
                        <td><Progress value={h.progress} label={`Progress on ${h.host_name ?? h.host_id}`} tone={h.state === "failed" ? "bad" : h.state === "succeeded" ? "ok" : undefined} /></td>
                        <td>
                          {h.error && <div className="notice error small" role="status">{h.error}</div>}
                          {h.changes.length > 0 && (
                            <div className="small">{plural(h.changes.length, "package")} changed: {h.changes.slice(0, 6).map((c) => `${c.package} ${c.to ?? words(c.action)}`).join(", ")}{h.changes.length > 6 ? "…" : ""}</div>
                          )}
                          {h.reboot_required && <div className="small"><StatusBadge value="reboot required" tone="warn" /></div>}
                          {h.log_tail.length > 0 && (
                            <details open={!HOST_DONE.includes(h.state)}>
                              <summary className="small">Log ({plural(h.log_tail.length, "line")})</summary>
                              <pre className="log" aria-label={`Log of ${h.host_name ?? h.host_id}`}>{h.log_tail.join("\n")}</pre>
                            </details>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
            {events.length > 0 && (
              <section aria-labelledby="events-title" className="card" style={{ marginTop: 16 }}>
                <h2 id="events-title">Events</h2>
                <ul className="list-plain small">
                  {events.map((e) => (
                    <li key={e.id} className="spread">
                      <span>
                        <StatusBadge value={e.state} />{" "}
                        {e.host_id ? <Link to={`/hosts/${e.host_id}`}>{hosts.find((h) => h.host_id === e.host_id)?.host_name ?? `host ${e.host_id}`}</Link> : "job"}
                        {e.message ? `: ${e.message}` : ""}
                      </span>
                      <span className="muted">{when(e.at)}</span>
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {confirm && <JobAction job={j} action={confirm} onClose={() => setConfirm(null)} onDone={detail.reload} />}
          </>
        );
      }}
    </DataState>
  );
}

function JobAction({ job, action, onClose, onDone }: { job: Schemas["JobView"]; action: "cancel" | "rollback"; onClose: () => void; onDone: () => void }) {
  const [error, setError] = useState<unknown>(undefined);
  async function run() {
    try {
      if (action === "cancel") {
        const result = await unwrap(api.POST("/api/v1/jobs/{id}/cancel", { params: { path: { id: job.id } } }));
        toast(`Cancelled ${plural(result.rows_cancelled, "host")}${result.rows_still_running ? `; ${result.rows_still_running} already running will finish` : ""}.`);
        onClose();
        onDone();
      } else {
        const rollback = await unwrap(api.POST("/api/v1/jobs/{id}/rollback", { params: { path: { id: job.id } } }));
        onClose();
        navigate(`/jobs/${rollback.id}`);
      }
    } catch (e) {
      setError(e);
    }
  }
  return (
    <Modal open title={action === "cancel" ? `Cancel job #${job.id}?` : `Roll back job #${job.id}?`} onClose={onClose}
      footer={<><button type="button" onClick={onClose}>Back</button><button type="button" className="danger solid" onClick={() => void run()}>{action === "cancel" ? "Cancel job" : "Roll back"}</button></>}>
      {error !== undefined && <ErrorNotice error={error} />}
      {action === "cancel" ? (
        <p>Hosts whose part has not been sent to their agent will not run it. A host already running finishes (agents cannot stop
          mid-way) and is reported as such.</p>
      ) : (
        <p>A new rollback job asks the agents on the hosts this job changed to undo its package changes, immediately.</p>
      )}
    </Modal>
  );
}
