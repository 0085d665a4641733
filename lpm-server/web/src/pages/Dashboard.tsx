// The dashboard (SDD §5.4): fleet compliance, health at a glance, hosts that need attention
// (red: unreachable, yellow: unhealthy), the next maintenance windows, jobs under way, and the
// root CA certificate for manual distribution. One call: GET /api/v1/status/fleet.

import { api, download, unwrap, type Schemas } from "../api/client";
import { Link } from "../router";
import { useLoad, useTitle } from "../lib/hooks";
import { ago, hostName, plural, when } from "../lib/format";
import { DataState, Empty, PageHead, Progress, StatusBadge, toast } from "../ui/components";

const STATUSES: (keyof Schemas["StatusCounts"])[] = ["healthy", "degraded", "unhealthy", "unreachable", "pending"];

export function DashboardPage() {
  useTitle("Dashboard");
  const fleet = useLoad(() => unwrap(api.GET("/api/v1/status/fleet", { params: { query: { limit: 10 } } })), []);

  async function rootCa() {
    try {
      await download("/api/v1/ca/root.crt", "lpm-root-ca.crt");
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), "error");
    }
  }

  return (
    <>
      <PageHead title="Dashboard" lead={fleet.data ? `The fleet at a glance, as of ${when(fleet.data.generated_at)}.` : "The fleet at a glance."}>
        <button type="button" onClick={fleet.reload} disabled={fleet.loading}>Refresh</button>
        <button type="button" onClick={() => void rootCa()}>Download root CA</button>
      </PageHead>
      <DataState state={fleet} what="Loading the fleet">
        {(f) => <Overview fleet={f} />}
      </DataState>
    </>
  );
}

function Overview({ fleet: f }: { fleet: Schemas["FleetStatusView"] }) {
  const attention = f.by_status.unreachable + f.by_status.unhealthy;
  return (
    <>
      <div className="grid grid-4" style={{ marginBottom: 16 }}>
        <section className="card" aria-labelledby="compliance-title">
          <h2 id="compliance-title">Compliance</h2>
          <div className="stat">
            <span className="value">{f.compliance.pct === null || f.compliance.pct === undefined ? "—" : `${Math.round(f.compliance.pct)}%`}</span>
            <span className="label">
              {f.compliance.reachable ? `${f.compliance.compliant} of ${plural(f.compliance.reachable, "polled host")} without pending security updates` : "no host polled yet"}
            </span>
            <Progress value={f.compliance.pct ?? 0} label="Hosts without pending security updates" tone="ok" />
          </div>
        </section>
        <section className="card" aria-labelledby="hosts-title">
          <h2 id="hosts-title">Hosts</h2>
          <div className="stat">
            <span className="value">{f.hosts}</span>
            <span className="label"><Link to="/hosts">registered</Link>, {f.by_status.healthy} healthy, {f.fully_patched} fully patched</span>
          </div>
        </section>
        <section className="card" aria-labelledby="attention-title">
          <h2 id="attention-title">Need attention</h2>
          <div className="stat">
            <span className="value" style={{ color: attention ? "var(--bad)" : "var(--ok)" }}>{attention}</span>
            <span className="label">unreachable or unhealthy{f.reboot_required ? `; ${plural(f.reboot_required, "host")} need a reboot` : ""}</span>
          </div>
        </section>
        <section className="card" aria-labelledby="updates-title">
          <h2 id="updates-title">Security updates</h2>
          <div className="stat">
            <span className="value">{f.with_security_updates}</span>
            <span className="label">
              of {plural(f.polled, "polled host")} need them
            </span>
            {f.with_critical_updates > 0 && <span><StatusBadge value={`${f.with_critical_updates} with critical updates`} tone="bad" /></span>}
            <span className="small muted">
              {plural(Object.values(f.pending_patches).reduce((a, b) => a + b, 0), "update")} pending: {f.pending_patches.critical} critical,{" "}
              {f.pending_patches.important} important
            </span>
            <span className="small muted">
              <Link to="/jobs">{plural(f.jobs.running, "job")} running, {f.jobs.queued} queued</Link>
            </span>
          </div>
        </section>
      </div>
      <div className="grid grid-2">
        <section className="card" aria-labelledby="summary-title">
          <h2 id="summary-title">Health</h2>
          <table aria-label="Hosts by status">
            <tbody>
              {STATUSES.map((s) => (
                <tr key={s}>
                  <td><StatusBadge value={s} /></td>
                  <td className="num"><Link to={`/hosts?status=${s}`} aria-label={`${f.by_status[s]} ${s} hosts`}>{f.by_status[s]}</Link></td>
                  <td style={{ width: "50%" }}>
                    <Progress value={f.hosts ? (f.by_status[s] / f.hosts) * 100 : 0} label={`${s} hosts`} tone={s === "healthy" ? "ok" : s === "unreachable" ? "bad" : undefined} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card" aria-labelledby="unhealthy-title">
          <h2 id="unhealthy-title">Unhealthy agents</h2>
          {f.attention.length === 0 ? (
            <Empty title="Every agent answers.">No host is unreachable or unhealthy.</Empty>
          ) : (
            <ul className="list-plain">
              {f.attention.map((h) => (
                <li key={h.id} className="spread">
                  <Link to={`/hosts/${h.id}`}>{hostName(h)}</Link>
                  <span><StatusBadge value={h.status} /> <span className="small muted">seen {ago(h.last_seen_at)}</span></span>
                </li>
              ))}
              {attention > f.attention.length && (
                <li className="muted small"><Link to="/hosts?status=unreachable">and {attention - f.attention.length} more</Link></li>
              )}
            </ul>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="windows-title" style={{ marginTop: 16 }}>
        <h2 id="windows-title">Upcoming maintenance windows</h2>
        {f.upcoming_windows.length === 0 ? (
          <Empty title="No window opens soon."><p><Link to="/windows">Add maintenance windows</Link> so queued jobs can run.</p></Empty>
        ) : (
          <table aria-label="Upcoming windows">
            <thead><tr><th scope="col">Host</th><th scope="col">Window</th><th scope="col">Opens</th><th scope="col">Closes</th></tr></thead>
            <tbody>
              {f.upcoming_windows.map((w) => (
                <tr key={`${w.window_id}-${w.opens_at}`}>
                  <td><Link to={`/hosts/${w.host_id}`}>{w.host_name}</Link></td>
                  <td>{w.window_name}</td>
                  <td>{w.open_now ? <StatusBadge value="open now" tone="ok" /> : `${when(w.opens_at)} (${ago(w.opens_at)})`}</td>
                  <td>{when(w.closes_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
