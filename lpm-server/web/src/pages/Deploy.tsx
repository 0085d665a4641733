// Patch deployment (SDD §6.3, §6.4): pick hosts, review what they can update, choose all updates,
// security updates only, or named packages, then queue for each host's next maintenance window
// or apply now. The confirmation says what will happen on which host and when.

import { useMemo, useState } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { navigate, useLocation } from "../router";
import { useGroups } from "../lib/groups";
import { useLoad, useTitle } from "../lib/hooks";
import { hostName, plural, when } from "../lib/format";
import { DataState, DebouncedInput, Empty, ErrorNotice, Field, Modal, PageHead, StatusBadge } from "../ui/components";
import { hostSlots } from "../lib/windows";

type Host = Schemas["HostView"];
type Scope = "all" | "security" | "chosen";
type Reboot = "never" | "if_required" | "always";

export function DeployPage() {
  useTitle("Deploy patches");
  const { query } = useLocation();
  const groups = useGroups();
  const [group, setGroup] = useState("");
  const [status, setStatus] = useState("");
  const [search, setSearch] = useState("");
  const [chosen, setChosen] = useState<Map<number, Host>>(new Map());
  const preset = query.get("hosts");
  const hosts = useLoad(async () => {
    const page = await unwrap(api.GET("/api/v1/hosts", {
      params: { query: { per_page: 200, sort: "name", group: group ? Number(group) : undefined, status: (status || undefined) as Schemas["HostStatus"] | undefined, search: search || undefined } },
    }));
    if (preset && chosen.size === 0) {
      const ids = new Set(preset.split(",").map(Number));
      setChosen(new Map(page.items.filter((h) => ids.has(h.id)).map((h) => [h.id, h])));
    }
    return page;
  }, [group, status, search]);

  const [scope, setScope] = useState<Scope>("all");
  const [packages, setPackages] = useState<string[]>([]);
  const [reboot, setReboot] = useState<Reboot>("if_required");
  const [dryRun, setDryRun] = useState(false);
  const [schedule, setSchedule] = useState<Schemas["Schedule"]>("next_window");
  const [reviewing, setReviewing] = useState(false);

  const chosenIds = useMemo(() => [...chosen.keys()].sort((a, b) => a - b), [chosen]);
  const patches = useLoad(async () => {
    const byPackage = new Map<string, { patch: Schemas["PatchView"]; hosts: number }>();
    for (const id of chosenIds.slice(0, 50)) {
      const page = await unwrap(api.GET("/api/v1/hosts/{id}/patches", { params: { path: { id }, query: { per_page: 500 } } }));
      for (const p of page.items) {
        const known = byPackage.get(p.package);
        byPackage.set(p.package, { patch: known?.patch ?? p, hosts: (known?.hosts ?? 0) + 1 });
      }
    }
    return [...byPackage.values()].sort((a, b) => a.patch.package.localeCompare(b.patch.package));
  }, [chosenIds]);

  function toggle(host: Host, on: boolean) {
    const next = new Map(chosen);
    if (on) next.set(host.id, host);
    else next.delete(host.id);
    setChosen(next);
  }

  const ready = chosen.size > 0 && (scope !== "chosen" || packages.length > 0);
  return (
    <>
      <PageHead title="Deploy patches" lead="Choose hosts and updates, then queue them for each host's maintenance window or apply them now." />
      <div className="grid grid-2">
        <section className="card" aria-labelledby="hosts-step">
          <h2 id="hosts-step">1. Hosts</h2>
          <div className="filters">
            <Field label="Group">
              {({ id }) => (
                <select id={id} value={group} onChange={(e) => setGroup(e.target.value)}>
                  <option value="">Any group</option>
                  {(groups.data ?? []).map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
                </select>
              )}
            </Field>
            <Field label="Status">
              {({ id }) => (
                <select id={id} value={status} onChange={(e) => setStatus(e.target.value)}>
                  <option value="">Any status</option>
                  {["healthy", "degraded", "unhealthy", "unreachable", "pending"].map((s) => <option key={s} value={s}>{s}</option>)}
                </select>
              )}
            </Field>
            <Field label="Search">{({ id }) => <DebouncedInput id={id} value={search} onChange={setSearch} />}</Field>
          </div>
          <DataState state={hosts} what="Loading hosts" isEmpty={(d) => d.items.length === 0} empty={<Empty title="No host matches." />}>
            {(d) => (
              <>
                <div className="row" style={{ marginBottom: 8 }}>
                  <button type="button" onClick={() => setChosen(new Map([...chosen, ...d.items.map((h) => [h.id, h] as const)]))}>Select all {d.items.length} shown</button>
                  <button type="button" onClick={() => setChosen(new Map())} disabled={chosen.size === 0}>Clear</button>
                  <span className="muted" aria-live="polite">{plural(chosen.size, "host")} chosen</span>
                </div>
                <div className="table-wrap" style={{ maxHeight: 380, overflowY: "auto" }}>
                  <table aria-label="Hosts to patch">
                    <thead><tr><th scope="col"><span className="sr-only">Chosen</span></th><th scope="col">Host</th><th scope="col">Status</th><th scope="col">OS</th></tr></thead>
                    <tbody>
                      {d.items.map((h) => (
                        <tr key={h.id}>
                          <td><input type="checkbox" aria-label={`Patch ${hostName(h)}`} checked={chosen.has(h.id)} onChange={(e) => toggle(h, e.target.checked)} /></td>
                          <td>{hostName(h)}</td>
                          <td><StatusBadge value={h.status} /></td>
                          <td>{h.os_name ?? "—"}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {d.total > d.items.length && <p className="small muted">Showing {d.items.length} of {d.total}; narrow the filters to see the rest.</p>}
              </>
            )}
          </DataState>
        </section>
        <section className="card" aria-labelledby="patches-step">
          <h2 id="patches-step">2. Updates</h2>
          <fieldset>
            <legend>What to install</legend>
            <label className="check" style={{ display: "flex" }}><input type="radio" name="scope" checked={scope === "all"} onChange={() => setScope("all")} />Every available update</label>
            <label className="check" style={{ display: "flex" }}><input type="radio" name="scope" checked={scope === "security"} onChange={() => setScope("security")} />Security updates only</label>
            <label className="check" style={{ display: "flex" }}><input type="radio" name="scope" checked={scope === "chosen"} onChange={() => setScope("chosen")} />Only the packages I choose below</label>
          </fieldset>
          {chosen.size === 0 ? (
            <p className="muted">Choose hosts to see their available updates.</p>
          ) : (
            <DataState state={patches} what="Collecting available updates" isEmpty={(p) => p.length === 0}
              empty={<p className="muted">No updates were available on these hosts at their last poll.</p>}>
              {(list) => (
                <div className="table-wrap" style={{ maxHeight: 260, overflowY: "auto" }}>
                  <table aria-label="Available updates">
                    <thead><tr><th scope="col"><span className="sr-only">Chosen</span></th><th scope="col">Package</th><th scope="col">Severity</th><th scope="col" className="num">Hosts</th></tr></thead>
                    <tbody>
                      {list.map(({ patch, hosts: n }) => (
                        <tr key={patch.package}>
                          <td><input type="checkbox" aria-label={`Install ${patch.package}`} disabled={scope !== "chosen"} checked={scope !== "chosen" ? (scope === "all" || patch.security) : packages.includes(patch.package)}
                            onChange={(e) => setPackages(e.target.checked ? [...packages, patch.package] : packages.filter((p) => p !== patch.package))} /></td>
                          <td>{patch.package} <span className="small muted mono">{patch.available_version}</span></td>
                          <td><StatusBadge value={patch.severity} tone={patch.severity === "critical" ? "bad" : patch.severity === "important" ? "warn" : "neutral"} /></td>
                          <td className="num">{n}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </DataState>
          )}
          <h2 style={{ marginTop: 16 }}>3. When and how</h2>
          <fieldset>
            <legend>When</legend>
            <label className="check" style={{ display: "flex" }}><input type="radio" name="schedule" checked={schedule === "next_window"} onChange={() => setSchedule("next_window")} />Queue for each host's next maintenance window</label>
            <label className="check" style={{ display: "flex" }}><input type="radio" name="schedule" checked={schedule === "immediate"} onChange={() => setSchedule("immediate")} />Apply now, outside any window</label>
          </fieldset>
          <Field label="Reboot afterwards">
            {({ id }) => (
              <select id={id} value={reboot} onChange={(e) => setReboot(e.target.value as Reboot)}>
                <option value="if_required">If an update requires it</option>
                <option value="never">Never</option>
                <option value="always">Always</option>
              </select>
            )}
          </Field>
          <label className="check" style={{ marginBottom: 12 }}><input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />Dry run: ask the agents what they would do, change nothing</label>
          <div>
            <button type="button" className="primary" disabled={!ready} onClick={() => setReviewing(true)}>Review</button>
          </div>
        </section>
      </div>
      {reviewing && (
        <Confirm hosts={[...chosen.values()]} scope={scope} packages={packages} reboot={reboot} dryRun={dryRun} schedule={schedule} onClose={() => setReviewing(false)} />
      )}
    </>
  );
}

function Confirm(props: {
  hosts: Host[];
  scope: Scope;
  packages: string[];
  reboot: Reboot;
  dryRun: boolean;
  schedule: Schemas["Schedule"];
  onClose: () => void;
}) {
  const openings = useLoad(() => hostSlots(props.hosts.map((h) => h.id)), [props.hosts]);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const what =
    props.scope === "all" ? "every available update" : props.scope === "security" ? "security updates only" : `${plural(props.packages.length, "package")}: ${props.packages.join(", ")}`;
  const rebootText = { never: "no reboot", if_required: "a reboot where an update requires one", always: "a reboot afterwards" }[props.reboot];

  async function submit() {
    setBusy(true);
    setError(undefined);
    try {
      const created = await unwrap(api.POST("/api/v1/jobs", {
        body: {
          kind: "apply_patches",
          mode: props.schedule === "immediate" ? "immediate" : "queued",
          host_ids: props.hosts.map((h) => h.id),
          packages: props.scope === "chosen" ? props.packages : [],
          reboot: props.reboot,
          security_only: props.scope === "security",
          dry_run: props.dryRun,
        },
      }));
      navigate(`/jobs/${created.id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  const without = props.schedule === "next_window" ? props.hosts.filter((h) => { const slot = openings.data?.get(h.id); return openings.data && !slot?.openNow && !slot?.next; }) : [];
  return (
    <Modal open wide title={props.dryRun ? "Confirm the dry run" : props.schedule === "immediate" ? "Apply updates now?" : "Queue updates?"} onClose={props.onClose}
      footer={<><button type="button" onClick={props.onClose}>Back</button>
        <button type="button" className={props.schedule === "immediate" && !props.dryRun ? "danger solid" : "primary"} disabled={busy} onClick={() => void submit()}>
          {busy ? "Creating…" : props.schedule === "immediate" ? "Apply now" : "Queue job"}</button></>}>
      {error !== undefined && <ErrorNotice error={error} />}
      <p>
        {props.dryRun ? "Ask" : props.schedule === "immediate" ? "Install, starting now," : "Install"} <strong>{what}</strong> on{" "}
        <strong>{plural(props.hosts.length, "host")}</strong>, with {rebootText}
        {props.schedule === "next_window" ? ", each host in its next maintenance window:" : ". Hosts are patched right away, outside their maintenance windows:"}
        {props.dryRun && " The agents report what they would do; nothing changes."}
      </p>
      {without.length > 0 && (
        <div className="notice warn" role="status">
          <strong>{plural(without.length, "host")} without a coming window</strong>
          Their part waits until a window is added for them.
        </div>
      )}
      <DataState state={openings} what="Looking up windows">
        {(map) => (
          <div className="table-wrap" style={{ maxHeight: 300, overflowY: "auto" }}>
            <table aria-label="Where and when">
              <thead><tr><th scope="col">Host</th><th scope="col">Runs</th></tr></thead>
              <tbody>
                {props.hosts.map((h) => {
                  const slot = map.get(h.id);
                  return (
                    <tr key={h.id}>
                      <td>{hostName(h)}</td>
                      <td>
                        {props.schedule === "immediate"
                          ? "now"
                          : slot?.openNow
                            ? `now: a maintenance window is open${slot.closesAt ? ` until ${when(slot.closesAt)}` : ""}`
                            : slot?.next
                              ? `at ${when(slot.next.opens_at)} (next maintenance window)`
                              : "waits: no maintenance window"}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </DataState>
    </Modal>
  );
}
