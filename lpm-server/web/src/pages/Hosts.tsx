// Hosts: the fleet as a filterable (group, status, OS, text), sortable, paged list, and
// registering a host by name or address.

import { useState, type FormEvent } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { useMe } from "../App";
import { Link, setQuery, useLocation } from "../router";
import { groupNames, useGroups } from "../lib/groups";
import { useLoad, useTitle } from "../lib/hooks";
import { useAccess } from "../lib/access";
import { ago, hostName } from "../lib/format";
import { DataState, DebouncedInput, Empty, ErrorNotice, Field, Modal, PageHead, Pager, SortTh, StatusBadge, toast } from "../ui/components";

const STATUSES: Schemas["HostStatus"][] = ["healthy", "degraded", "unhealthy", "unreachable", "pending"];
const PER_PAGE = 25;

export function HostsPage() {
  useTitle("Hosts");
  const { changes } = useAccess();
  const { query } = useLocation();
  const page = Number(query.get("page") ?? 1) || 1;
  const sort = query.get("sort") ?? "name";
  const status = (query.get("status") ?? "") as Schemas["HostStatus"] | "";
  const group = query.get("group") ?? "";
  const os = query.get("os") ?? "";
  const search = query.get("search") ?? "";
  const groups = useGroups();
  const names = groupNames(groups.data);
  const [registering, setRegistering] = useState(false);
  // Clearing the filters remounts the form so its typed-in fields empty too.
  const [cleared, setCleared] = useState(0);

  const hosts = useLoad(
    () =>
      unwrap(
        api.GET("/api/v1/hosts", {
          params: {
            query: {
              page,
              per_page: PER_PAGE,
              sort,
              status: status || undefined,
              group: group ? Number(group) : undefined,
              os: os || undefined,
              search: search || undefined,
            },
          },
        }),
      ),
    [page, sort, status, group, os, search],
  );
  const filtered = Boolean(status || group || os || search);

  return (
    <>
      <PageHead title="Hosts" lead="Every host you can manage, with its health as last polled.">
        {changes && (
          <button type="button" className="primary" onClick={() => setRegistering(true)}>
            Register a host
          </button>
        )}
      </PageHead>
      <form key={cleared} className="filters" role="search" aria-label="Filter hosts" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search">
          {({ id }) => (
            <DebouncedInput id={id} placeholder="Name or address" value={search}
              onChange={(v) => setQuery({ search: v, page: undefined })} />
          )}
        </Field>
        <Field label="Status">
          {({ id }) => (
            <select id={id} value={status} onChange={(e) => setQuery({ status: e.target.value, page: undefined })}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Group">
          {({ id }) => (
            <select id={id} value={group} onChange={(e) => setQuery({ group: e.target.value, page: undefined })}>
              <option value="">Any group</option>
              {(groups.data ?? []).map((g) => (
                <option key={g.id} value={g.id}>{g.name}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Operating system">
          {({ id }) => (
            <DebouncedInput id={id} type="text" placeholder="e.g. Ubuntu" value={os}
              onChange={(v) => setQuery({ os: v, page: undefined })} />
          )}
        </Field>
        {filtered && (
          <button type="button" onClick={() => { setCleared((n) => n + 1); setQuery({ status: "", group: "", os: "", search: "", page: undefined }); }}>
            Clear filters
          </button>
        )}
      </form>
      <DataState
        state={hosts}
        what="Loading hosts"
        isEmpty={(d) => d.items.length === 0}
        empty={
          <div className="card">
            <Empty title={filtered ? "No host matches these filters." : "No hosts yet."}>
              {!filtered && changes && <p>Register a host, or find agents with a discovery scan.</p>}
            </Empty>
          </div>
        }
      >
        {(data) => (
          <>
            <div className="table-wrap">
              <table aria-label="Hosts">
                <thead>
                  <tr>
                    <SortTh field="name" sort={sort} onSort={(s) => setQuery({ sort: s })}>Host</SortTh>
                    <SortTh field="status" sort={sort} onSort={(s) => setQuery({ sort: s })}>Status</SortTh>
                    <th scope="col">Operating system</th>
                    <th scope="col">Groups</th>
                    <SortTh field="last_seen" sort={sort} onSort={(s) => setQuery({ sort: s })}>Last seen</SortTh>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((h) => (
                    <tr key={h.id}>
                      <td>
                        <Link to={`/hosts/${h.id}`}>{hostName(h)}</Link>
                        {h.fqdn && h.ip && <div className="small muted">{h.ip}</div>}
                      </td>
                      <td><StatusBadge value={h.status} /></td>
                      <td>{h.os_name ?? <span className="muted">not polled yet</span>}</td>
                      <td>
                        {h.groups.length ? h.groups.map((g) => names.get(g) ?? `#${g}`).join(", ") : <span className="muted">ungrouped</span>}
                      </td>
                      <td title={h.last_seen_at ?? undefined}>{ago(h.last_seen_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={data.page} perPage={data.per_page} total={data.total} noun="hosts" onPage={(p) => setQuery({ page: p })} />
          </>
        )}
      </DataState>
      <RegisterHost open={registering} groups={groups.data ?? []} onClose={() => setRegistering(false)} onDone={hosts.reload} />
    </>
  );
}

function RegisterHost({ open, groups, onClose, onDone }: {
  open: boolean;
  groups: Schemas["GroupView"][];
  onClose: () => void;
  onDone: () => void;
}) {
  const me = useMe();
  const [fqdn, setFqdn] = useState("");
  const [ip, setIp] = useState("");
  const [port, setPort] = useState("12443");
  const [chosen, setChosen] = useState<number[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const host = await unwrap(
        api.POST("/api/v1/hosts", {
          body: { fqdn: fqdn.trim() || null, ip: ip.trim() || null, port: Number(port) || null, groups: chosen },
        }),
      );
      toast(`Registered ${hostName(host)}; its first health check follows shortly.`);
      setFqdn("");
      setIp("");
      setChosen([]);
      onClose();
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open={open} title="Register a host" onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" form="register-host" className="primary" disabled={busy || (!fqdn.trim() && !ip.trim())}>
            Register
          </button>
        </>
      }
    >
      <form id="register-host" onSubmit={(e) => void submit(e)}>
        <p className="muted">
          Give its DNS name, its address, or both. The host's agent must have a certificate from this manager's CA
          (download it from the host page after registering).
        </p>
        {error !== undefined && <ErrorNotice error={error} />}
        <Field label="DNS name" hint="Must resolve when no address is given.">
          {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} value={fqdn} onChange={(e) => setFqdn(e.target.value)} placeholder="web-01.example.com" />}
        </Field>
        <Field label="IP address">
          {({ id }) => <input id={id} value={ip} onChange={(e) => setIp(e.target.value)} placeholder="192.0.2.10" />}
        </Field>
        <Field label="Agent port">
          {({ id }) => <input id={id} type="number" min={1} max={65535} value={port} onChange={(e) => setPort(e.target.value)} />}
        </Field>
        <fieldset>
          <legend>Groups</legend>
          {groups.length === 0 && <p className="muted small">No groups: the host will be ungrouped (visible to every operator).</p>}
          {groups.map((g) => (
            <label key={g.id} className="check" style={{ marginRight: 16 }}>
              <input type="checkbox" checked={chosen.includes(g.id)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, g.id] : chosen.filter((x) => x !== g.id))} />
              {g.name}
            </label>
          ))}
          {me.role !== "admin" && <p className="hint small muted">As an operator you may choose only your own groups.</p>}
        </fieldset>
      </form>
    </Modal>
  );
}
