// One host: system information and health, available patches, installed packages, its jobs,
// its maintenance windows, its agent certificate bundle, an on-demand refresh.

import { useState } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { Link, navigate, setQuery, useLocation } from "../router";
import { groupNames, useGroups } from "../lib/groups";
import { useLoad, useTitle } from "../lib/hooks";
import { READ_ONLY, useAccess } from "../lib/access";
import { ago, hostName, range, when, words } from "../lib/format";
import {
  DataState, DebouncedInput, Empty, ErrorNotice, Modal, PageHead, Pager, Progress, StatusBadge, Tabs, toast,
} from "../ui/components";
import { describeWindow, WindowForm } from "../ui/WindowForm";
import { BundleFiles } from "./Certificates";

const TABS = ["overview", "patches", "packages", "jobs", "windows", "certificate"] as const;
type Tab = (typeof TABS)[number];

export function HostDetailPage({ id }: { id: number }) {
  const host = useLoad(() => unwrap(api.GET("/api/v1/hosts/{id}", { params: { path: { id } } })), [id]);
  const { query } = useLocation();
  const tab = (TABS as readonly string[]).includes(query.get("tab") ?? "") ? (query.get("tab") as Tab) : "overview";
  useTitle(host.data ? hostName(host.data) : "Host");
  const [refreshing, setRefreshing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const { changes } = useAccess();

  async function refresh() {
    setRefreshing(true);
    try {
      await unwrap(api.POST("/api/v1/hosts/{id}/refresh", { params: { path: { id } } }));
      toast("Refresh requested: the worker polls this host now.");
      window.setTimeout(host.reload, 1500);
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), "error");
    } finally {
      setRefreshing(false);
    }
  }

  return (
    <DataState state={host} what="Loading the host">
      {(h) => (
        <>
          <PageHead title={hostName(h)} lead={<>{h.ip && h.fqdn ? `${h.ip} · ` : ""}agent port {h.port} · <StatusBadge value={h.status} /></>}>
            {changes && (
              <>
                <button type="button" onClick={() => void refresh()} disabled={refreshing}>
                  {refreshing ? "Requesting…" : "Refresh now"}
                </button>
                <Link className="button primary" to={`/deploy?hosts=${h.id}`}>Deploy patches</Link>
                <button type="button" className="danger" onClick={() => setDeleting(true)}>Remove</button>
              </>
            )}
          </PageHead>
          {h.health && !h.health.ok && (
            <div className="notice warn" role="status">
              <strong>The last health check failed ({ago(h.health.collected_at)})</strong>
              {h.health.error ?? "The agent reported a problem."}
            </div>
          )}
          <Tabs label="Host sections" panelId="tab-panel" selected={tab}
            onSelect={(t) => setQuery({ tab: t === "overview" ? undefined : t })}
            tabs={TABS.map((t) => ({
              id: t,
              label: `${t[0]?.toUpperCase()}${t.slice(1)}${t === "patches" && h.pending.patches > 0 ? ` (${h.pending.patches})` : ""}`,
            }))} />
          <div id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
            {tab === "overview" && <Overview host={h} />}
            {tab === "patches" && <Patches id={id} />}
            {tab === "packages" && <Packages id={id} />}
            {tab === "jobs" && <Jobs id={id} />}
            {tab === "windows" && <Windows id={id} />}
            {tab === "certificate" && <Certificate host={h} />}
          </div>
          <Modal open={deleting} title={`Remove ${hostName(h)}?`} onClose={() => setDeleting(false)}
            footer={
              <>
                <button type="button" onClick={() => setDeleting(false)}>Keep it</button>
                <button type="button" className="danger solid" onClick={() => {
                  void unwrap(api.DELETE("/api/v1/hosts/{id}", { params: { path: { id } } })).then(
                    () => { toast(`Removed ${hostName(h)}.`); navigate("/hosts"); },
                    (e: unknown) => toast(e instanceof Error ? e.message : String(e), "error"),
                  );
                }}>Remove host</button>
              </>
            }>
            <p>The manager stops polling and patching this host and forgets its windows. The agent keeps running; its
              certificate stays valid until you revoke it.</p>
          </Modal>
        </>
      )}
    </DataState>
  );
}

function Overview({ host }: { host: Schemas["HostDetailView"] }) {
  const groups = useGroups();
  const names = groupNames(groups.data);
  return (
    <div className="grid grid-2">
      <section className="card" aria-labelledby="sys-title">
        <h2 id="sys-title">System</h2>
        <dl className="facts">
          <dt>Host name</dt><dd>{host.hostname ?? "—"}</dd>
          <dt>Operating system</dt><dd>{host.os_name ?? "—"} {host.os_version ?? ""}</dd>
          <dt>Kernel</dt><dd>{host.kernel ?? "—"}</dd>
          <dt>Architecture</dt><dd>{host.arch ?? "—"}</dd>
          <dt>Package manager</dt><dd>{host.package_manager ?? "—"}</dd>
          <dt>Agent version</dt><dd>{host.agent_version ?? "—"}</dd>
          <dt>Last boot</dt><dd>{when(host.last_boot_at)}</dd>
          <dt>Reboot required</dt><dd>{host.reboot_required ? <StatusBadge value="yes" tone="warn" /> : "no"}</dd>
          <dt>Groups</dt><dd>{host.groups.length ? host.groups.map((g) => names.get(g) ?? `#${g}`).join(", ") : "ungrouped"}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="health-title">
        <h2 id="health-title">Health and updates</h2>
        <dl className="facts">
          <dt>Status</dt><dd><StatusBadge value={host.status} /></dd>
          <dt>Last seen</dt><dd>{ago(host.last_seen_at)}</dd>
          <dt>Last health check</dt><dd>{when(host.last_health_at)}</dd>
          <dt>Last patch poll</dt><dd>{when(host.last_patch_poll_at)}</dd>
          <dt>Updates available</dt><dd>{host.pending.patches}</dd>
          <dt>Security updates</dt><dd>{host.pending.security}</dd>
          <dt>Critical</dt><dd>{host.pending.critical ? <StatusBadge value={String(host.pending.critical)} tone="bad" /> : 0}</dd>
          <dt>Registered</dt><dd>{when(host.created_at)}</dd>
        </dl>
      </section>
    </div>
  );
}

function Patches({ id }: { id: number }) {
  const [page, setPage] = useState(1);
  const patches = useLoad(
    () => unwrap(api.GET("/api/v1/hosts/{id}/patches", { params: { path: { id }, query: { page, per_page: 50, sort: "severity" } } })),
    [id, page],
  );
  return (
    <DataState state={patches} what="Loading patches" isEmpty={(d) => d.total === 0}
      empty={<div className="card"><Empty title="No updates available at the last poll." /></div>}>
      {(d) => (
        <>
          <div className="table-wrap">
            <table aria-label="Available patches">
              <thead><tr><th scope="col">Package</th><th scope="col">Installed</th><th scope="col">Available</th><th scope="col">Severity</th><th scope="col">CVEs</th></tr></thead>
              <tbody>
                {d.items.map((p) => (
                  <tr key={`${p.package}/${p.arch}`}>
                    <td>{p.package} <span className="muted small">{p.arch}</span>{p.reboot_required && <span className="badge warn plain" style={{ marginLeft: 6 }}>reboot</span>}</td>
                    <td className="mono">{p.current_version}</td>
                    <td className="mono">{p.available_version}</td>
                    <td className="nowrap"><StatusBadge value={p.severity} tone={p.severity === "critical" ? "bad" : p.severity === "important" ? "warn" : "neutral"} />{p.security && <span className="small muted"> security</span>}</td>
                    <td className="small">{p.cves.join(", ") || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={d.page} perPage={d.per_page} total={d.total} noun="patches" onPage={setPage} />
        </>
      )}
    </DataState>
  );
}

function Packages({ id }: { id: number }) {
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState("");
  const packages = useLoad(
    () => unwrap(api.GET("/api/v1/hosts/{id}/packages", { params: { path: { id }, query: { page, per_page: 50, search: search || undefined } } })),
    [id, page, search],
  );
  return (
    <>
      <div className="filters">
        <label className="field">
          <span className="label">Search packages</span>
          <DebouncedInput value={search} onChange={(v) => { setSearch(v); setPage(1); }} />
        </label>
      </div>
      <DataState state={packages} what="Loading packages" isEmpty={(d) => d.total === 0}
        empty={<div className="card"><Empty title={search ? "No package matches." : "No packages known yet (the host has not been polled)."} /></div>}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table aria-label="Installed packages">
                <thead><tr><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Architecture</th></tr></thead>
                <tbody>
                  {d.items.map((p) => (
                    <tr key={`${p.name}/${p.arch}`}><td>{p.name}</td><td className="mono">{p.version}</td><td>{p.arch}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={d.page} perPage={d.per_page} total={d.total} noun="packages" onPage={setPage} />
          </>
        )}
      </DataState>
    </>
  );
}

function Jobs({ id }: { id: number }) {
  const [page, setPage] = useState(1);
  const { changes } = useAccess();
  const jobs = useLoad(() => unwrap(api.GET("/api/v1/hosts/{id}/jobs", { params: { path: { id }, query: { page, per_page: 25 } } })), [id, page]);
  return (
    <DataState state={jobs} what="Loading jobs" isEmpty={(d) => d.total === 0}
      empty={<div className="card"><Empty title="No jobs have touched this host.">{changes && <p><Link to={`/deploy?hosts=${id}`}>Deploy patches</Link></p>}</Empty></div>}>
      {(d) => (
        <>
          <div className="table-wrap">
            <table aria-label="Jobs on this host">
              <thead><tr><th scope="col">Job</th><th scope="col">Kind</th><th scope="col">On this host</th><th scope="col">Progress</th><th scope="col">Created</th></tr></thead>
              <tbody>
                {d.items.map((j) => (
                  <tr key={j.job_id}>
                    <td><Link to={`/jobs/${j.job_id}`}>#{j.job_id}</Link> <span className="small muted">({j.job_host_count} hosts)</span></td>
                    <td>{words(j.kind)}<div className="small muted">{j.schedule === "immediate" ? "now" : "next window"}</div></td>
                    <td><StatusBadge value={j.state} />{j.waiting_reason && <div className="small muted">{j.waiting_reason}</div>}{j.error && <div className="small">{j.error}</div>}</td>
                    <td style={{ minWidth: 140 }}><Progress value={j.progress} label={`Job ${j.job_id} on this host`} tone={j.state === "failed" ? "bad" : j.state === "succeeded" ? "ok" : undefined} /></td>
                    <td>{when(j.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={d.page} perPage={d.per_page} total={d.total} noun="jobs" onPage={setPage} />
        </>
      )}
    </DataState>
  );
}

function Windows({ id }: { id: number }) {
  const windows = useLoad(() => unwrap(api.GET("/api/v1/hosts/{id}/windows", { params: { path: { id } } })), [id]);
  const [adding, setAdding] = useState(false);
  const { changes } = useAccess();
  return (
    <>
      <div className="row" style={{ marginBottom: 12 }}>
        {changes && <button type="button" className="primary" onClick={() => setAdding(true)}>Add a window</button>}
        <Link to={`/windows?host=${id}`}>{changes ? "Manage on the windows page" : "See on the windows page"}</Link>
      </div>
      <DataState state={windows} what="Loading windows" isEmpty={(d) => d.items.length === 0}
        empty={<div className="card"><Empty title="No maintenance windows.">
          <p>Queued jobs wait for a window; without one, only “apply now” patches this host.</p></Empty></div>}>
        {(d) => (
          <ul className="list-plain card">
            {d.items.map((w) => (
              <li key={w.id}>
                <div className="spread">
                  <strong>{w.name}</strong>
                  {w.open_now ? <StatusBadge value="open now" tone="ok" /> : null}
                </div>
                <div>{describeWindow(w.window)}</div>
                <div className="small muted">
                  Next: {w.next_openings.slice(0, 3).map((o) => range(o.opens_at, o.closes_at)).join(" · ") || "none"}
                </div>
              </li>
            ))}
          </ul>
        )}
      </DataState>
      <Modal open={adding} title="Add a maintenance window" onClose={() => setAdding(false)} wide
        footer={<><button type="button" onClick={() => setAdding(false)}>Cancel</button><button type="submit" form="host-window" className="primary">Save window</button></>}>
        <WindowForm id="host-window" onSubmit={async (input) => {
          await unwrap(api.POST("/api/v1/hosts/{id}/windows", { params: { path: { id } }, body: input }));
          toast(`Window “${input.name}” saved.`);
          setAdding(false);
          windows.reload();
        }} />
      </Modal>
    </>
  );
}

function Certificate({ host }: { host: Schemas["HostDetailView"] }) {
  const [error, setError] = useState<unknown>(undefined);
  const { changes } = useAccess();
  return (
    <section className="card" aria-labelledby="cert-title">
      <h2 id="cert-title">Agent certificate</h2>
      <p>
        The agent on {hostName(host)} needs a server certificate from this manager's CA. Certificates are installed by
        hand (SDD §5.5): download a bundle and copy it to the host.
      </p>
      {error !== undefined && <ErrorNotice error={error} />}
      {changes ? <CertificateBundleButton hostId={host.id} onError={setError} /> : <p className="muted">{READ_ONLY}</p>}
    </section>
  );
}

/** Issues a fresh certificate and key for a host and offers them as files (the key is not kept). */
export function CertificateBundleButton({ hostId, onError }: { hostId: number; onError: (e: unknown) => void }) {
  const [bundle, setBundle] = useState<Schemas["CertificateBundleView"] | null>(null);
  const [busy, setBusy] = useState(false);
  async function issue() {
    setBusy(true);
    try {
      setBundle(await unwrap(api.POST("/api/v1/hosts/{id}/certificate-bundle", { params: { path: { id: hostId } } })));
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="primary" onClick={() => void issue()} disabled={busy}>
        {busy ? "Issuing…" : "Issue a certificate bundle"}
      </button>
      {bundle && (
        <div className="notice ok" role="status" style={{ marginTop: 12 }}>
          <strong>Issued a certificate for this host</strong>
          <BundleFiles bundle={bundle} />
        </div>
      )}
    </>
  );
}
