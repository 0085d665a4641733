// Maintenance windows across the fleet: each host's one-time and recurring windows in their
// own time zones, with the next openings in the viewer's; add a window to several hosts at once.

import { useState } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { Link, setQuery, useLocation } from "../router";
import { useLoad, useTitle } from "../lib/hooks";
import { useAccess } from "../lib/access";
import { hostName, localTimeZone, range, when } from "../lib/format";
import { openUntil } from "../lib/windows";
import { DataState, DebouncedInput, Empty, ErrorNotice, Modal, PageHead, Pager, SortTh, StatusBadge, toast } from "../ui/components";
import { describeWindow, WindowForm } from "../ui/WindowForm";

export function WindowsPage() {
  useTitle("Maintenance windows");
  const { query } = useLocation();
  const page = Number(query.get("page") ?? 1) || 1;
  const sort = query.get("sort") ?? "host";
  const search = query.get("search") ?? "";
  const host = query.get("host") ? Number(query.get("host")) : undefined;
  const windows = useLoad(
    () => unwrap(api.GET("/api/v1/windows", { params: { query: { page, per_page: 25, sort, search: search || undefined, host } } })),
    [page, sort, search, host],
  );
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Schemas["WindowView"] | null>(null);
  const [removing, setRemoving] = useState<Schemas["WindowView"] | null>(null);
  const { changes } = useAccess();

  return (
    <>
      <PageHead title="Maintenance windows"
        lead={`Queued jobs run on each host in its next window. Times below are in your time zone (${localTimeZone()}).`}>
        {changes && <button type="button" className="primary" onClick={() => setAdding(true)}>Add a window</button>}
      </PageHead>
      <div className="filters">
        <label className="field">
          <span className="label">Search</span>
          <DebouncedInput placeholder="Window or host name" value={search}
            onChange={(v) => setQuery({ search: v, page: undefined })} />
        </label>
        {host !== undefined && <button type="button" onClick={() => setQuery({ host: undefined })}>Show every host</button>}
      </div>
      <DataState state={windows} what="Loading windows" isEmpty={(d) => d.total === 0}
        empty={<div className="card"><Empty title={search || host ? "No window matches." : "No maintenance windows yet."}>
          <p>Without a window, queued jobs wait; “apply now” still works.</p></Empty></div>}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table aria-label="Maintenance windows">
                <thead>
                  <tr>
                    <SortTh field="host" sort={sort} onSort={(s) => setQuery({ sort: s })}>Host</SortTh>
                    <SortTh field="name" sort={sort} onSort={(s) => setQuery({ sort: s })}>Window</SortTh>
                    <th scope="col">Schedule</th>
                    <th scope="col">Next openings</th>
                    {changes && <th scope="col"><span className="sr-only">Actions</span></th>}
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((w) => (
                    <tr key={w.id}>
                      <td><Link to={`/hosts/${w.host_id}?tab=windows`}>{w.host_name}</Link></td>
                      <td>{w.name} {w.open_now && <StatusBadge value="open now" tone="ok" />}</td>
                      <td>{describeWindow(w.window)}</td>
                      <td className="small nowrap">
                        {w.open_now && <div><strong>Open now</strong>{openUntil(w) ? ` until ${when(openUntil(w))}` : ""}</div>}
                        {w.next_openings.slice(0, 3).map((o) => <div key={o.opens_at}>{range(o.opens_at, o.closes_at)}</div>)}
                        {w.next_openings.length === 0 && !w.open_now && <span className="muted">none: it has passed</span>}</td>
                      {changes && (
                        <td>
                          <div className="row nowrap">
                            <button type="button" onClick={() => setEditing(w)} aria-label={`Edit ${w.name} on ${w.host_name}`}>Edit</button>
                            <button type="button" className="danger" onClick={() => setRemoving(w)} aria-label={`Delete ${w.name} on ${w.host_name}`}>Delete</button>
                          </div>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={d.page} perPage={d.per_page} total={d.total} noun="windows" onPage={(p) => setQuery({ page: p })} />
          </>
        )}
      </DataState>
      <AddWindow open={adding} onClose={() => setAdding(false)} onDone={windows.reload} presetHost={host} />
      <Modal open={editing !== null} title={`Edit ${editing?.name ?? ""} on ${editing?.host_name ?? ""}`} onClose={() => setEditing(null)} wide
        footer={<><button type="button" onClick={() => setEditing(null)}>Cancel</button><button type="submit" form="edit-window" className="primary">Save</button></>}>
        {editing && (
          <WindowForm id="edit-window" initial={{ name: editing.name, window: editing.window }} onSubmit={async (input) => {
            await unwrap(api.PUT("/api/v1/windows/{id}", { params: { path: { id: editing.id } }, body: input }));
            toast("Window saved.");
            setEditing(null);
            windows.reload();
          }} />
        )}
      </Modal>
      <Modal open={removing !== null} title="Delete this window?" onClose={() => setRemoving(null)}
        footer={<><button type="button" onClick={() => setRemoving(null)}>Keep it</button>
          <button type="button" className="danger solid" onClick={() => {
            if (!removing) return;
            void unwrap(api.DELETE("/api/v1/windows/{id}", { params: { path: { id: removing.id } } })).then(
              () => { toast("Window deleted."); setRemoving(null); windows.reload(); },
              (e: unknown) => toast(e instanceof Error ? e.message : String(e), "error"));
          }}>Delete window</button></>}>
        {removing && <p>“{removing.name}” on {removing.host_name}: jobs queued for this host wait for its next other window.</p>}
      </Modal>
    </>
  );
}

function AddWindow({ open, onClose, onDone, presetHost }: { open: boolean; onClose: () => void; onDone: () => void; presetHost?: number }) {
  const [search, setSearch] = useState("");
  const [chosen, setChosen] = useState<number[]>(presetHost ? [presetHost] : []);
  const hosts = useLoad(
    () => open ? unwrap(api.GET("/api/v1/hosts", { params: { query: { per_page: 100, sort: "name", search: search || undefined } } })) : Promise.resolve(undefined),
    [open, search],
  );
  const [error, setError] = useState<unknown>(undefined);
  return (
    <Modal open={open} title="Add a maintenance window" onClose={onClose} wide
      footer={<><button type="button" onClick={onClose}>Cancel</button>
        <button type="submit" form="add-window" className="primary" disabled={chosen.length === 0}>
          Save on {chosen.length} host{chosen.length === 1 ? "" : "s"}</button></>}>
      <fieldset>
        <legend>Hosts</legend>
        <input type="search" aria-label="Find hosts" placeholder="Find hosts" value={search} onChange={(e) => setSearch(e.target.value)} style={{ marginBottom: 8, width: "100%" }} />
        {error !== undefined && <ErrorNotice error={error} />}
        <div style={{ maxHeight: 160, overflowY: "auto" }}>
          {hosts.data?.items.map((h) => (
            <label key={h.id} className="check" style={{ display: "flex" }}>
              <input type="checkbox" checked={chosen.includes(h.id)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, h.id] : chosen.filter((x) => x !== h.id))} />
              {hostName(h)}
            </label>
          ))}
          {hosts.data?.items.length === 0 && <p className="muted">No host matches.</p>}
        </div>
      </fieldset>
      <WindowForm id="add-window" onSubmit={async (input) => {
        setError(undefined);
        const failed: string[] = [];
        for (const id of chosen) {
          try {
            await unwrap(api.POST("/api/v1/hosts/{id}/windows", { params: { path: { id } }, body: input }));
          } catch (e) {
            if (failed.length === 0 && chosen.length === 1) throw e;
            failed.push(`host ${id}: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
        if (failed.length) {
          setError(new Error(`Saved on ${chosen.length - failed.length} of ${chosen.length} hosts. ${failed.join("; ")}`));
          onDone();
          return;
        }
        toast(`Window “${input.name}” saved on ${chosen.length} host${chosen.length === 1 ? "" : "s"}.`);
        setChosen([]);
        onClose();
        onDone();
      }} />
    </Modal>
  );
}
