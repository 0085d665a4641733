// Groups: static host groups that scope operators (SDD §7.2). Admins create, rename and delete
// them and choose their hosts and operators; operators see their own groups.

import { useState } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { Link, setQuery, useLocation } from "../router";
import { useLoad, useTitle } from "../lib/hooks";
import { READ_ONLY, useAccess } from "../lib/access";
import { hostName, plural, when } from "../lib/format";
import { DataState, Empty, ErrorNotice, Field, Modal, PageHead, Pager, SortTh, toast } from "../ui/components";

export function GroupsPage() {
  useTitle("Groups");
  const { admin, readsAll } = useAccess();
  const { query } = useLocation();
  const page = Number(query.get("page") ?? 1) || 1;
  const sort = query.get("sort") ?? "name";
  const groups = useLoad(() => unwrap(api.GET("/api/v1/groups", { params: { query: { page, per_page: 25, sort } } })), [page, sort]);
  const [editing, setEditing] = useState<Schemas["GroupView"] | "new" | null>(null);
  const [members, setMembers] = useState<Schemas["GroupView"] | null>(null);
  const [removing, setRemoving] = useState<Schemas["GroupView"] | null>(null);

  return (
    <>
      <PageHead title="Groups" lead="Operators manage the hosts of their groups; ungrouped hosts are open to every operator.">
        {admin && <button type="button" className="primary" onClick={() => setEditing("new")}>New group</button>}
      </PageHead>
      <DataState state={groups} what="Loading groups" isEmpty={(d) => d.total === 0}
        empty={<div className="card"><Empty title={readsAll ? "No groups yet." : "You are in no group."}>
          {admin && <p>Create groups to give operators their own hosts.</p>}</Empty></div>}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table aria-label="Groups">
                <thead><tr>
                  <SortTh field="name" sort={sort} onSort={(s) => setQuery({ sort: s })}>Name</SortTh>
                  <th scope="col">Description</th>
                  <SortTh field="hosts" sort={sort} onSort={(s) => setQuery({ sort: s })} className="num">Hosts</SortTh>
                  <SortTh field="users" sort={sort} onSort={(s) => setQuery({ sort: s })} className="num">Operators</SortTh>
                  <SortTh field="created" sort={sort} onSort={(s) => setQuery({ sort: s })}>Created</SortTh>
                  <th scope="col"><span className="sr-only">Actions</span></th>
                </tr></thead>
                <tbody>
                  {d.items.map((g) => (
                    <tr key={g.id}>
                      <td><Link to={`/hosts?group=${g.id}`}>{g.name}</Link></td>
                      <td>{g.description || <span className="muted">—</span>}</td>
                      <td className="num">{g.host_count}</td>
                      <td className="num">{g.user_count}</td>
                      <td>{when(g.created_at)}</td>
                      <td>
                        <div className="row">
                          <button type="button" onClick={() => setMembers(g)} aria-label={`Members of ${g.name}`}>Members</button>
                          {admin && <button type="button" onClick={() => setEditing(g)} aria-label={`Rename ${g.name}`}>Edit</button>}
                          {admin && <button type="button" className="danger" onClick={() => setRemoving(g)} aria-label={`Delete ${g.name}`}>Delete</button>}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={d.page} perPage={d.per_page} total={d.total} noun="groups" onPage={(p) => setQuery({ page: p })} />
          </>
        )}
      </DataState>
      {editing !== null && <EditGroup group={editing === "new" ? null : editing} onClose={() => setEditing(null)} onDone={groups.reload} />}
      {members && <Members group={members} onClose={() => setMembers(null)} onDone={groups.reload} />}
      <Modal open={removing !== null} title={`Delete ${removing?.name ?? ""}?`} onClose={() => setRemoving(null)}
        footer={<><button type="button" onClick={() => setRemoving(null)}>Keep it</button>
          <button type="button" className="danger solid" onClick={() => {
            if (!removing) return;
            void unwrap(api.DELETE("/api/v1/groups/{id}", { params: { path: { id: removing.id } } })).then(
              () => { toast(`Deleted ${removing.name}.`); setRemoving(null); groups.reload(); },
              (e: unknown) => toast(e instanceof Error ? e.message : String(e), "error"));
          }}>Delete group</button></>}>
        {removing && <p>Its {plural(removing.host_count, "host")} stay registered; any left in no group become visible to every operator. Its {plural(removing.user_count, "operator")} lose access through it.</p>}
      </Modal>
    </>
  );
}

function EditGroup({ group, onClose, onDone }: { group: Schemas["GroupView"] | null; onClose: () => void; onDone: () => void }) {
  const [name, setName] = useState(group?.name ?? "");
  const [description, setDescription] = useState(group?.description ?? "");
  const [error, setError] = useState<unknown>(undefined);
  async function save() {
    setError(undefined);
    try {
      if (group) await unwrap(api.PATCH("/api/v1/groups/{id}", { params: { path: { id: group.id } }, body: { name, description } }));
      else await unwrap(api.POST("/api/v1/groups", { body: { name, description } }));
      toast(group ? "Group saved." : `Group ${name} created.`);
      onClose();
      onDone();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <Modal open title={group ? `Edit ${group.name}` : "New group"} onClose={onClose}
      footer={<><button type="button" onClick={onClose}>Cancel</button><button type="submit" form="group-form" className="primary">Save</button></>}>
      <form id="group-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        {error !== undefined && <ErrorNotice error={error} />}
        <Field label="Name">{({ id }) => <input id={id} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
        <Field label="Description">{({ id }) => <input id={id} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
      </form>
    </Modal>
  );
}

function Members({ group, onClose, onDone }: { group: Schemas["GroupView"]; onClose: () => void; onDone: () => void }) {
  const { admin, readsAll, changes } = useAccess();
  const detail = useLoad(() => unwrap(api.GET("/api/v1/groups/{id}", { params: { path: { id: group.id } } })), [group.id]);
  const hosts = useLoad(() => unwrap(api.GET("/api/v1/hosts", { params: { query: { per_page: 500, sort: "name" } } })), []);
  const users = useLoad(
    () => (readsAll ? unwrap(api.GET("/api/v1/users", { params: { query: { per_page: 500, role: "operator" } } })) : Promise.resolve(null)),
    [readsAll],
  );
  const [hostIds, setHostIds] = useState<number[] | null>(null);
  const [userIds, setUserIds] = useState<number[] | null>(null);
  const [filter, setFilter] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const chosenHosts = hostIds ?? detail.data?.host_ids ?? [];
  const chosenUsers = userIds ?? detail.data?.user_ids ?? [];

  async function save() {
    setError(undefined);
    try {
      if (hostIds) await unwrap(api.PUT("/api/v1/groups/{id}/hosts", { params: { path: { id: group.id } }, body: { host_ids: hostIds } }));
      if (userIds) await unwrap(api.PUT("/api/v1/groups/{id}/users", { params: { path: { id: group.id } }, body: { user_ids: userIds } }));
      toast(`Members of ${group.name} saved.`);
      onClose();
      onDone();
    } catch (e) {
      setError(e);
    }
  }
  const toggle = (list: number[], id: number, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id));
  return (
    <Modal open wide title={`Members of ${group.name}`} onClose={onClose}
      footer={changes ? <><button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" onClick={() => void save()} disabled={!hostIds && !userIds}>Save members</button></>
        : <button type="button" onClick={onClose}>Close</button>}>
      {error !== undefined && <ErrorNotice error={error} />}
      {!changes && <p className="muted small">{READ_ONLY}</p>}
      <DataState state={detail} what="Loading members">
        {() => (
          <div className="grid grid-2">
            <fieldset disabled={!changes}>
              <legend>Hosts ({chosenHosts.length})</legend>
              <input type="search" aria-label="Find hosts" placeholder="Find hosts" value={filter} onChange={(e) => setFilter(e.target.value)} style={{ width: "100%", marginBottom: 8 }} />
              <div style={{ maxHeight: 280, overflowY: "auto" }}>
                {(hosts.data?.items ?? []).filter((h) => hostName(h).includes(filter) && (changes || chosenHosts.includes(h.id))).map((h) => (
                  <label key={h.id} className="check" style={{ display: "flex" }}>
                    <input type="checkbox" checked={chosenHosts.includes(h.id)} onChange={(e) => setHostIds(toggle(chosenHosts, h.id, e.target.checked))} />
                    {hostName(h)}
                  </label>
                ))}
              </div>
            </fieldset>
            <fieldset disabled={!admin}>
              <legend>Operators ({chosenUsers.length})</legend>
              {!admin && changes && <p className="muted small">Only admins assign operators.</p>}
              {users.data?.items.length === 0 && <p className="muted small">No operator accounts yet.</p>}
              {(users.data?.items ?? []).filter((u) => changes || chosenUsers.includes(u.id)).map((u) => (
                <label key={u.id} className="check" style={{ display: "flex" }}>
                  <input type="checkbox" checked={chosenUsers.includes(u.id)} onChange={(e) => setUserIds(toggle(chosenUsers, u.id, e.target.checked))} />
                  {u.username}
                </label>
              ))}
            </fieldset>
          </div>
        )}
      </DataState>
    </Modal>
  );
}
