// The dashboard (SDD §5.4): fleet compliance, health at a glance, hosts that need attention
// (red: unreachable, yellow: unhealthy or degraded), the next maintenance windows, active jobs,
// and the root CA certificate for manual distribution.

import { api, download, unwrap, type Schemas } from "../api/client";
import { Link } from "../router";
import { useLoad, useTitle } from "../lib/hooks";
import { ago, hostName, plural, when } from "../lib/format";
import { DataState, Empty, PageHead, Progress, StatusBadge, toast } from "../ui/components";
import { openUntil } from "../lib/windows";

const STATUSES: Schemas["HostStatus"][] = ["healthy", "degraded", "unhealthy", "unreachable", "pending"];

async function countHosts(status?: Schemas["HostStatus"]): Promise<number> {
  return (await unwrap(api.GET("/api/v1/hosts", { params: { query: { per_page: 1, status } } }))).total;
}

export function DashboardPage() {
  useTitle("Dashboard");
  const health = useLoad(async () => {
    const [total, ...counts] = await Promise.all([countHosts(), ...STATUSES.map((s) => countHosts(s))]);
    return { total, counts: new Map(STATUSES.map((s, i) => [s, counts[i] ?? 0])) };
  }, []);
  const compliance = useLoad(async () => {
    const report = await unwrap(api.GET("/api/v1/reports/compliance", { params: { query: { format: "json" } } }));
    // The operation also answers CSV and PDF (as text); JSON was asked for.
    if (typeof report === "string") throw new Error("The compliance report did not come as JSON.");
    return report;
  }, []);
  const attention = useLoad(async () => {
    const lists = await Promise.all(
      (["unreachable", "unhealthy", "degraded"] as const).map((status) =>
        unwrap(api.GET("/api/v1/hosts", { params: { query: { status, per_page: 10, sort: "-last_seen" } } })),
      ),
    );
    return { items: lists.flatMap((l) => l.items), total: lists.reduce((n, l) => n + l.total, 0) };
  }, []);
  const windows = useLoad(async () => {
    const page = await unwrap(api.GET("/api/v1/windows", { params: { query: { per_page: 500 } } }));
    const open = page.items
      .filter((w) => w.open_now)
      .map((w) => ({ window: w, openNow: true, opens_at: "", closes_at: openUntil(w) }));
    const coming = page.items
      .flatMap((w) => w.next_openings.map((o) => ({ window: w, openNow: false, opens_at: o.opens_at, closes_at: o.closes_at as string | null })))
      .sort((a, b) => a.opens_at.localeCompare(b.opens_at));
    return [...open, ...coming].slice(0, 8);
  }, []);

  async function rootCa() {
    try {
      await download("/api/v1/ca/root.crt", "lpm-root-ca.crt");
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), "error");
    }
  }

  return (
    <>
      <PageHead title="Dashboard" lead="The fleet at a glance.">
        <button type="button" onClick={() => { health.reload(); compliance.reload(); attention.reload(); windows.reload(); }}>Refresh</button>
        <button type="button" onClick={() => void rootCa()}>Download root CA</button>
      </PageHead>
      <div className="grid grid-4" style={{ marginBottom: 16 }}>
        <section className="card" aria-labelledby="compliance-title">
          <h2 id="compliance-title">Compliance</h2>
          <DataState state={compliance} what="Computing">
            {(r) => (
              <div className="stat">
                <span className="value">{r.fleet.percent_fully_patched === null || r.fleet.percent_fully_patched === undefined ? "—" : `${Math.round(r.fleet.percent_fully_patched)}%`}</span>
                <span className="label">{r.fleet.fully_patched} of {plural(r.fleet.hosts, "host")} fully patched</span>
                <Progress value={r.fleet.percent_fully_patched ?? 0} label="Hosts fully patched" tone="ok" />
              </div>
            )}
          </DataState>
        </section>
        <section className="card" aria-labelledby="hosts-title">
          <h2 id="hosts-title">Hosts</h2>
          <DataState state={health} what="Counting">
            {(h) => (
              <div className="stat">
                <span className="value">{h.total}</span>
                <span className="label"><Link to="/hosts">registered</Link>, {h.counts.get("healthy")} healthy</span>
              </div>
            )}
          </DataState>
        </section>
        <section className="card" aria-labelledby="attention-title">
          <h2 id="attention-title">Need attention</h2>
          <DataState state={attention} what="Checking">
            {(a) => (
              <div className="stat">
                <span className="value" style={{ color: a.total ? "var(--bad)" : "var(--ok)" }}>{a.total}</span>
                <span className="label">unreachable, unhealthy or degraded</span>
              </div>
            )}
          </DataState>
        </section>
        <section className="card" aria-labelledby="updates-title">
          <h2 id="updates-title">Updates pending</h2>
          <DataState state={compliance} what="Computing">
            {(r) => {
              const pending = r.hosts.reduce((n, h) => n + h.pending.critical + h.pending.important + h.pending.moderate + h.pending.low + h.pending.unknown, 0);
              const critical = r.hosts.reduce((n, h) => n + h.pending.critical, 0);
              return (
                <div className="stat">
                  <span className="value">{pending}</span>
                  <span className="label">{critical ? <StatusBadge value={`${critical} critical`} tone="bad" /> : "none critical"}</span>
                </div>
              );
            }}
          </DataState>
        </section>
      </div>
      <div className="grid grid-2">
        <section className="card" aria-labelledby="summary-title">
          <h2 id="summary-title">Health</h2>
          <DataState state={health} what="Counting">
            {(h) => (
              <table aria-label="Hosts by status">
                <tbody>
                  {STATUSES.map((s) => (
                    <tr key={s}>
                      <td><StatusBadge value={s} /></td>
                      <td className="num"><Link to={`/hosts?status=${s}`}>{h.counts.get(s) ?? 0}</Link></td>
                      <td style={{ width: "50%" }}><Progress value={h.total ? ((h.counts.get(s) ?? 0) / h.total) * 100 : 0} label={`${s} hosts`} tone={s === "healthy" ? "ok" : s === "unreachable" ? "bad" : undefined} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </DataState>
        </section>
        <section className="card" aria-labelledby="unhealthy-title">
          <h2 id="unhealthy-title">Unhealthy agents</h2>
          <DataState state={attention} what="Checking" isEmpty={(a) => a.items.length === 0}
            empty={<Empty title="Every agent answers.">No host is unreachable, unhealthy or degraded.</Empty>}>
            {(a) => (
              <ul className="list-plain">
                {a.items.map((h) => (
                  <li key={h.id} className="spread">
                    <Link to={`/hosts/${h.id}`}>{hostName(h)}</Link>
                    <span><StatusBadge value={h.status} /> <span className="small muted">seen {ago(h.last_seen_at)}</span></span>
                  </li>
                ))}
                {a.total > a.items.length && <li className="muted small">and {a.total - a.items.length} more</li>}
              </ul>
            )}
          </DataState>
        </section>
      </div>
      <section className="card" aria-labelledby="windows-title" style={{ marginTop: 16 }}>
        <h2 id="windows-title">Upcoming maintenance windows</h2>
        <DataState state={windows} what="Loading windows" isEmpty={(w) => w.length === 0}
          empty={<Empty title="No window opens soon."><p><Link to="/windows">Add maintenance windows</Link> so queued jobs can run.</p></Empty>}>
          {(list) => (
            <table aria-label="Upcoming windows">
              <thead><tr><th scope="col">Host</th><th scope="col">Window</th><th scope="col">Opens</th><th scope="col">Closes</th></tr></thead>
              <tbody>
                {list.map((o) => (
                  <tr key={`${o.window.id}-${o.opens_at || "now"}`}>
                    <td><Link to={`/hosts/${o.window.host_id}`}>{o.window.host_name}</Link></td>
                    <td>{o.window.name}</td>
                    <td>{o.openNow ? <StatusBadge value="open now" tone="ok" /> : `${when(o.opens_at)} (${ago(o.opens_at)})`}</td>
                    <td>{o.closes_at ? when(o.closes_at) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </DataState>
      </section>
    </>
  );
}
