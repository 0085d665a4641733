// Users (admin; auditors read them): local accounts, their role and groups, their second
// factors; new accounts and password resets hand out a one-time password shown once; MFA reset
// and session revocation; and every user's API tokens.

import { useState } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { useMe } from "../App";
import { setQuery, useLocation } from "../router";
import { groupNames, useGroups } from "../lib/groups";
import { useLoad, useTitle } from "../lib/hooks";
import { READ_ONLY, useAccess } from "../lib/access";
import { ago } from "../lib/format";
import { DataState, DebouncedInput, Empty, ErrorNotice, Field, Modal, PageHead, Pager, SortTh, StatusBadge, Tabs, toast } from "../ui/components";
import { ApiTokens } from "../ui/ApiTokens";

type User = Schemas["UserView"];
type Action = { kind: "mfa" | "sessions" | "password" | "delete"; user: User };

export function UsersPage() {
  useTitle("Users");
  const { admin } = useAccess();
  const { query } = useLocation();
  const tab = query.get("tab") === "tokens" ? "tokens" : "accounts";
  return (
    <>
      <PageHead title="Users" lead={`Local accounts and the API tokens they made. Every account logs in with a second factor.${admin ? "" : ` ${READ_ONLY}`}`} />
      <Tabs label="Users sections" panelId="users-panel" selected={tab}
        onSelect={(t) => setQuery({ tab: t === "accounts" ? undefined : t, page: undefined, sort: undefined, search: undefined })}
        tabs={[{ id: "accounts", label: "Accounts" }, { id: "tokens", label: "API tokens" }]} />
      <div id="users-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === "tokens" ? <ApiTokens everyone /> : <Accounts />}
      </div>
    </>
  );
}

function Accounts() {
  const me = useMe();
  const { admin } = useAccess();
  const { query } = useLocation();
  const page = Number(query.get("page") ?? 1) || 1;
  const sort = query.get("sort") ?? "username";
  const search = query.get("search") ?? "";
  const users = useLoad(
    () => unwrap(api.GET("/api/v1/users", { params: { query: { page, per_page: 25, sort, search: search || undefined } } })),
    [page, sort, search],
  );
  const groups = useGroups();
  const names = groupNames(groups.data);
  const [editing, setEditing] = useState<User | "new" | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [password, setPassword] = useState<{ username: string; password: string } | null>(null);
  const [managing, setManaging] = useState<User | null>(null);

  return (
    <>
      <div className="filters spread">
        <label className="field"><span className="label">Search</span>
          <DebouncedInput value={search} placeholder="Login name" onChange={(v) => setQuery({ search: v, page: undefined })} />
        </label>
        {admin && <button type="button" className="primary" onClick={() => setEditing("new")}>New user</button>}
      </div>
      <DataState state={users} what="Loading users" isEmpty={(d) => d.total === 0} empty={<div className="card"><Empty title="No user matches." /></div>}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table aria-label="Users">
                <thead><tr>
                  <SortTh field="username" sort={sort} onSort={(s) => setQuery({ sort: s })}>User</SortTh>
                  <SortTh field="role" sort={sort} onSort={(s) => setQuery({ sort: s })}>Role</SortTh>
                  <th scope="col">Groups</th>
                  <th scope="col">Second factor</th>
                  <SortTh field="last_login" sort={sort} onSort={(s) => setQuery({ sort: s })}>Last login</SortTh>
                  {admin && <th scope="col"><span className="sr-only">Actions</span></th>}
                </tr></thead>
                <tbody>
                  {d.items.map((u) => (
                    <tr key={u.id}>
                      <td>{u.username}{u.id === me.id && <span className="muted small"> (you)</span>}
                        {u.disabled && <div><StatusBadge value="disabled" tone="bad" /></div>}
                        {u.locked_until && new Date(u.locked_until) > new Date() && <div><StatusBadge value="locked" tone="warn" /></div>}
                      </td>
                      <td>{u.role}</td>
                      <td>{u.role !== "operator" ? <span className="muted">all hosts</span> : u.groups.map((g) => names.get(g) ?? `#${g}`).join(", ") || <span className="muted">ungrouped hosts only</span>}</td>
                      <td>{u.mfa.enrolled ? `${u.mfa.methods.join(", ")} · ${u.mfa.recovery_codes_left} recovery codes` : <StatusBadge value="not enrolled" tone="warn" />}</td>
                      <td>{ago(u.last_login_at)}</td>
                      {admin && (
                        <td>
                          <div className="row nowrap">
                            <button type="button" onClick={() => setEditing(u)} aria-label={`Edit ${u.username}`}>Edit</button>
                            <button type="button" onClick={() => setManaging(u)} aria-label={`More actions for ${u.username}`}>More…</button>
                          </div>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={d.page} perPage={d.per_page} total={d.total} noun="users" onPage={(p) => setQuery({ page: p })} />
          </>
        )}
      </DataState>
      {editing !== null && (
        <EditUser user={editing === "new" ? null : editing} groups={groups.data ?? []} onClose={() => setEditing(null)}
          onCreated={(username, pw) => setPassword({ username, password: pw })} onDone={users.reload} />
      )}
      {action && <UserAction action={action} onClose={() => setAction(null)} onPassword={(pw) => setPassword({ username: action.user.username, password: pw })} onDone={users.reload} />}
      <Modal open={managing !== null} title={`Manage ${managing?.username ?? ""}`} onClose={() => setManaging(null)}
        footer={<button type="button" onClick={() => setManaging(null)}>Close</button>}>
        {managing && (
          <ul className="list-plain">
            {([
              ["password", "Reset password", "A new one-time password; their sessions end."],
              ["mfa", "Reset second factor", "They enrol a new one at next login."],
              ["sessions", "Revoke sessions", "Logged out everywhere within 15 minutes."],
              ...(managing.id !== me.id ? [["delete", "Delete account", "The audit log keeps what it did."]] : []),
            ] as [Action["kind"], string, string][]).map(([kind, label, about]) => (
              <li key={kind} className="spread">
                <span className="muted small">{about}</span>
                <button type="button" className={kind === "delete" ? "danger" : undefined}
                  onClick={() => { setAction({ kind, user: managing }); setManaging(null); }}>{label}</button>
              </li>
            ))}
          </ul>
        )}
      </Modal>
      <Modal open={password !== null} title={`One-time password for ${password?.username ?? ""}`} onClose={() => setPassword(null)}
        footer={<button type="button" className="primary" onClick={() => setPassword(null)}>Done</button>}>
        <p>Give this password to {password?.username} over a safe channel. It is shown only now; at first login they choose
          a second factor.</p>
        <label className="field">
          <span className="label">One-time password</span>
          <input className="secret" readOnly value={password?.password ?? ""} onFocus={(e) => e.target.select()} />
        </label>
      </Modal>
    </>
  );
}

function EditUser({ user, groups: allGroups, onClose, onCreated, onDone }: {
  user: User | null;
  groups: Schemas["GroupView"][];
  onClose: () => void;
  onCreated: (username: string, password: string) => void;
  onDone: () => void;
}) {
  const [username, setUsername] = useState(user?.username ?? "");
  const [role, setRole] = useState<Schemas["Role"]>(user?.role ?? "operator");
  const [chosen, setChosen] = useState<number[]>(user?.groups ?? []);
  const [disabled, setDisabled] = useState(user?.disabled ?? false);
  const [error, setError] = useState<unknown>(undefined);
  // Groups scope operators only: admins and auditors reach every host.
  const groups = role === "operator" ? chosen : [];
  async function save() {
    setError(undefined);
    try {
      if (user) {
        await unwrap(api.PATCH("/api/v1/users/{id}", { params: { path: { id: user.id } }, body: { role, groups, disabled } }));
        toast(`${user.username} saved.`);
      } else {
        const created = await unwrap(api.POST("/api/v1/users", { body: { username, role, groups } }));
        onCreated(created.user.username, created.password);
      }
      onClose();
      onDone();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <Modal open title={user ? `Edit ${user.username}` : "New user"} onClose={onClose}
      footer={<><button type="button" onClick={onClose}>Cancel</button><button type="submit" form="user-form" className="primary">{user ? "Save" : "Create"}</button></>}>
      <form id="user-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        {error !== undefined && <ErrorNotice error={error} />}
        {!user && <Field label="Login name">{({ id }) => <input id={id} required value={username} autoComplete="off" onChange={(e) => setUsername(e.target.value)} />}</Field>}
        <Field label="Role" hint="Admins reach every host and setting; operators the hosts of their groups and ungrouped hosts; auditors read everything an admin reads and change nothing.">
          {({ id, describedBy }) => (
            <select id={id} aria-describedby={describedBy} value={role} onChange={(e) => setRole(e.target.value as Schemas["Role"])}>
              <option value="operator">Operator</option>
              <option value="auditor">Auditor</option>
              <option value="admin">Admin</option>
            </select>
          )}
        </Field>
        {role === "operator" && <fieldset>
          <legend>Groups</legend>
          {allGroups.length === 0 && <p className="muted small">No groups exist yet.</p>}
          {allGroups.map((g) => (
            <label key={g.id} className="check" style={{ marginRight: 16 }}>
              <input type="checkbox" checked={chosen.includes(g.id)} onChange={(e) => setChosen(e.target.checked ? [...chosen, g.id] : chosen.filter((x) => x !== g.id))} />
              {g.name}
            </label>
          ))}
        </fieldset>}
        {user && (
          <label className="check"><input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} />Disabled (cannot log in; sessions end)</label>
        )}
      </form>
    </Modal>
  );
}

function UserAction({ action, onClose, onPassword, onDone }: { action: Action; onClose: () => void; onPassword: (pw: string) => void; onDone: () => void }) {
  const { user } = action;
  const [error, setError] = useState<unknown>(undefined);
  const text = {
    password: { title: `Reset ${user.username}'s password?`, body: "They get a new one-time password; their sessions end.", button: "Reset password" },
    mfa: { title: `Reset ${user.username}'s second factor?`, body: "Their authenticator, security keys and recovery codes are removed; at next login they enrol again. Their sessions end.", button: "Reset second factor" },
    sessions: { title: `Revoke ${user.username}'s sessions?`, body: "Every refresh token is revoked: they are logged out within 15 minutes everywhere.", button: "Revoke sessions" },
    delete: { title: `Delete ${user.username}?`, body: "The account is removed; the audit log keeps what it did.", button: "Delete user" },
  }[action.kind];
  async function run() {
    const path = { params: { path: { id: user.id } } };
    try {
      if (action.kind === "password") onPassword((await unwrap(api.POST("/api/v1/users/{id}/password/reset", path))).password);
      else if (action.kind === "mfa") await unwrap(api.POST("/api/v1/users/{id}/mfa/reset", path));
      else if (action.kind === "sessions") await unwrap(api.POST("/api/v1/users/{id}/sessions/revoke", path));
      else await unwrap(api.DELETE("/api/v1/users/{id}", path));
      if (action.kind !== "password") toast("Done.");
      onClose();
      onDone();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <Modal open title={text.title} onClose={onClose}
      footer={<><button type="button" onClick={onClose}>Cancel</button><button type="button" className="danger solid" onClick={() => void run()}>{text.button}</button></>}>
      {error !== undefined && <ErrorNotice error={error} />}
      <p>{text.body}</p>
    </Modal>
  );
}
