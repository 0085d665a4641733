// Discovery (SDD §6.2, admin; auditors watch): scan a CIDR range for agents, watch the scan's
// progress, cancel it, and register the agents it found, into groups if wanted.

import { useState, type FormEvent } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { Link } from "../router";
import { useGroups } from "../lib/groups";
import { useInterval, useLoad, useTitle } from "../lib/hooks";
import { READ_ONLY, useAccess } from "../lib/access";
import { ago, plural, when } from "../lib/format";
import { DataState, Empty, ErrorNotice, Field, PageHead, Progress, StatusBadge, toast } from "../ui/components";

type Run = Schemas["DiscoveryView"];
const ACTIVE = ["queued", "running"];

export function DiscoveryPage() {
  useTitle("Discovery");
  const runs = useLoad(() => unwrap(api.GET("/api/v1/discovery", { params: { query: { per_page: 10 } } })), []);
  const [selected, setSelected] = useState<number | null>(null);
  const current = selected ?? runs.data?.items[0]?.id ?? null;
  const anyActive = (runs.data?.items ?? []).some((r) => ACTIVE.includes(r.state));
  useInterval(runs.reload, 1000, anyActive);
  const { changes } = useAccess();

  return (
    <>
      <PageHead title="Discovery" lead={changes ? "Find agents on a network range (TLS probe of the agent port) and register the ones you choose." : READ_ONLY} />
      <div className={changes ? "grid grid-2" : undefined}>
        {changes && <NewScan onStarted={(run) => { setSelected(run.id); runs.reload(); }} />}
        <section className="card" aria-labelledby="runs-title">
          <h2 id="runs-title">Recent scans</h2>
          <DataState state={runs} what="Loading scans" isEmpty={(d) => d.total === 0} empty={<Empty title="No scans yet." />}>
            {(d) => (
              <ul className="list-plain">
                {d.items.map((r) => (
                  <li key={r.id} className="spread">
                    <button type="button" className="link" aria-current={r.id === current ? "true" : undefined} onClick={() => setSelected(r.id)}>
                      {r.cidr}:{r.port}
                    </button>
                    <span><StatusBadge value={r.state} /> <span className="small muted">{plural(r.found, "agent")} · {ago(r.created_at)}</span></span>
                  </li>
                ))}
              </ul>
            )}
          </DataState>
        </section>
      </div>
      {current !== null && <RunDetail key={current} id={current} onChange={runs.reload} />}
    </>
  );
}

function NewScan({ onStarted }: { onStarted: (run: Run) => void }) {
  const [cidr, setCidr] = useState("");
  const [port, setPort] = useState("12443");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const run = await unwrap(api.POST("/api/v1/discovery/cidr", { body: { cidr: cidr.trim(), port: Number(port) } }));
      toast(`Scan of ${run.cidr} queued.`);
      onStarted(run);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" aria-labelledby="scan-title">
      <h2 id="scan-title">New scan</h2>
      <form onSubmit={(e) => void submit(e)}>
        {error !== undefined && <ErrorNotice error={error} />}
        <Field label="Network (CIDR)" hint="For example 10.20.0.0/22; at most a /16.">
          {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} required value={cidr} onChange={(e) => setCidr(e.target.value)} placeholder="10.20.0.0/22" />}
        </Field>
        <Field label="Agent port">{({ id }) => <input id={id} type="number" min={1} max={65535} required value={port} onChange={(e) => setPort(e.target.value)} />}</Field>
        <button type="submit" className="primary" disabled={busy}>Start scan</button>
      </form>
    </section>
  );
}

function RunDetail({ id, onChange }: { id: number; onChange: () => void }) {
  const run = useLoad(() => unwrap(api.GET("/api/v1/discovery/{id}", { params: { path: { id } } })), [id]);
  const results = useLoad(() => unwrap(api.GET("/api/v1/discovery/{id}/results", { params: { path: { id }, query: { per_page: 500 } } })), [id]);
  const active = run.data ? ACTIVE.includes(run.data.state) : false;
  useInterval(() => { run.reload(); results.reload(); }, 1000, active);
  const groups = useGroups();
  const [chosen, setChosen] = useState<number[]>([]);
  const [group, setGroup] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const { changes } = useAccess();

  async function cancel() {
    try {
      await unwrap(api.POST("/api/v1/discovery/{id}/cancel", { params: { path: { id } } }));
      run.reload();
      onChange();
    } catch (e) {
      setError(e);
    }
  }
  async function register() {
    setError(undefined);
    try {
      const done = await unwrap(api.POST("/api/v1/discovery/{id}/register", {
        params: { path: { id } },
        body: { result_ids: chosen, groups: group ? [Number(group)] : [] },
      }));
      const created = done.results.filter((r) => r.outcome === "registered").length;
      toast(`Registered ${plural(created, "host")}${created < done.results.length ? `; ${done.results.length - created} already were` : ""}.`);
      setChosen([]);
      results.reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="card" aria-labelledby="run-title" style={{ marginTop: 16 }}>
      <DataState state={run} what="Loading the scan">
        {(r) => (
          <>
            <div className="spread">
              <h2 id="run-title">Scan of {r.cidr}, port {r.port}</h2>
              {active && changes && <button type="button" className="danger" onClick={() => void cancel()}>Cancel scan</button>}
            </div>
            {error !== undefined && <ErrorNotice error={error} />}
            <Progress value={r.total ? (r.probed / r.total) * 100 : 0} label={`Scan of ${r.cidr}`} tone={r.state === "failed" ? "bad" : r.state === "succeeded" ? "ok" : undefined} />
            <p className="small" aria-live="polite">
              <StatusBadge value={r.state} /> {r.probed.toLocaleString()} of {plural(r.total, "address", "addresses")} probed, {plural(r.found, "agent")} found
              {r.finished_at ? ` · Finished ${when(r.finished_at)}` : ""}
              {r.error ? ` · ${r.error}` : ""}
            </p>
          </>
        )}
      </DataState>
      <DataState state={results} what="Loading results" isEmpty={(d) => d.items.length === 0}
        empty={<p className="muted">{active ? "No agent found yet." : "No agent answered in this range."}</p>}>
        {(d) => {
          const fresh = d.items.filter((a) => !a.registered_host_id);
          return (
            <>
              <div className="table-wrap">
                <table aria-label="Agents found">
                  <thead><tr><th scope="col"><span className="sr-only">Register</span></th><th scope="col">Address</th><th scope="col">Name</th><th scope="col">Agent</th><th scope="col">Registered</th></tr></thead>
                  <tbody>
                    {d.items.map((a) => (
                      <tr key={a.id}>
                        <td>{changes && (a.registered_host_id === null || a.registered_host_id === undefined) ? (
                          <input type="checkbox" aria-label={`Register ${a.fqdn ?? a.ip}`} checked={chosen.includes(a.id)}
                            onChange={(e) => setChosen(e.target.checked ? [...chosen, a.id] : chosen.filter((x) => x !== a.id))} />
                        ) : null}</td>
                        <td>{a.ip}:{a.port}</td>
                        <td>{a.fqdn ?? "—"}</td>
                        <td>{a.agent_version ?? "—"}</td>
                        <td>{a.registered_host_id ? <>yes, <Link to={`/hosts/${a.registered_host_id}`}>host #{a.registered_host_id}</Link></> : "no"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {fresh.length === 0 && !active && <p className="small muted" style={{ marginTop: 8 }}>Every agent found is a host already.</p>}
              {changes && <div className="row" style={{ marginTop: 12 }}>
                <button type="button" disabled={fresh.length === 0} onClick={() => setChosen(fresh.map((a) => a.id))}>Select all new</button>
                <label className="field" style={{ margin: 0 }}>
                  <span className="sr-only">Group for the new hosts</span>
                  <select value={group} onChange={(e) => setGroup(e.target.value)}>
                    <option value="">No group</option>
                    {(groups.data ?? []).map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
                  </select>
                </label>
                <button type="button" className="primary" disabled={chosen.length === 0} onClick={() => void register()}>
                  Register {chosen.length ? plural(chosen.length, "host") : "selected"}
                </button>
              </div>}
            </>
          );
        }}
      </DataState>
    </section>
  );
}
