// API tokens, for scripts and pipelines that call the API without logging in: the list (never
// a secret), a new token (its secret shown once, with a copy button), and revocation. Used on
// the users page (every token, for admins and auditors) and the account page (one's own).

import { useState, type FormEvent } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { useMe } from "../App";
import { useAccess } from "../lib/access";
import { groupNames, useGroups } from "../lib/groups";
import { useLoad } from "../lib/hooks";
import { ago, when } from "../lib/format";
import { DataState, Empty, ErrorNotice, Field, Modal, StatusBadge, toast } from "./components";

type Token = Schemas["ApiTokenView"];
type Role = Schemas["Role"];

const DAY = 86_400_000;
const EXPIRY_DAYS = [30, 90, 365] as const;

/** The roles `role` may give a token: an admin any, everyone else their own. */
function mintable(role: Role): Role[] {
  return role === "admin" ? ["operator", "auditor", "admin"] : [role];
}

/**
 * The token list with its actions. `everyone`: every user's tokens with their owners (admins
 * and auditors); otherwise the caller's own.
 */
export function ApiTokens({ everyone }: { everyone: boolean }) {
  const me = useMe();
  const { admin } = useAccess();
  const tokens = useLoad(
    () => unwrap(api.GET("/api/v1/api-tokens", {
      params: { query: { per_page: 500, sort: "-created", user_id: everyone ? undefined : me.id } },
    })),
    [everyone, me.id],
  );
  const groups = useGroups();
  const names = groupNames(groups.data);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Token | null>(null);

  return (
    <section className="card" aria-labelledby="tokens-title">
      <div className="spread">
        <h2 id="tokens-title">API tokens</h2>
        <button type="button" className="primary" onClick={() => setCreating(true)}>New token</button>
      </div>
      <p className="muted small">
        Scripts and pipelines send a token as <code>Authorization: Bearer lpm_…</code> instead of logging in. A token
        acts for the person who made it, with their role or less, and never manages accounts or credentials.
      </p>
      <DataState state={tokens} what="Loading tokens" isEmpty={(d) => d.total === 0}
        empty={<Empty title={everyone ? "No API tokens yet." : "You have no API tokens."}><p>Make one for each script or pipeline, so each can be revoked alone.</p></Empty>}>
        {(d) => (
          <div className="table-wrap">
            <table aria-label="API tokens">
              <thead><tr>
                <th scope="col">Name</th>
                {everyone && <th scope="col">Owner</th>}
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr></thead>
              <tbody>
                {d.items.map((t) => (
                  <tr key={t.id}>
                    <td>{t.name}</td>
                    {everyone && <td>{t.username}{t.user_id === me.id && <span className="muted small"> (you)</span>}</td>}
                    <td>{t.role}
                      {t.role === "operator" && (
                        <div className="small muted">
                          {t.group_ids ? (t.group_ids.map((g) => names.get(g) ?? `#${g}`).join(", ") || "ungrouped hosts only") : "the owner's groups"}
                        </div>
                      )}</td>
                    <td title={when(t.created_at)}>{ago(t.created_at)}</td>
                    <td>{t.expired ? <StatusBadge value="expired" tone="bad" /> : t.expires_at ? <span title={when(t.expires_at)}>{ago(t.expires_at)}</span> : <span className="muted">never</span>}</td>
                    <td>{t.last_used_at ? <span title={when(t.last_used_at)}>{ago(t.last_used_at)}</span> : <span className="muted">never</span>}
                      {t.last_used_ip && <div className="small muted">from {t.last_used_ip}</div>}</td>
                    <td>
                      {(admin || t.user_id === me.id) && (
                        <button type="button" className="danger" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>Revoke</button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </DataState>
      {creating && <NewToken groups={groups.data ?? []} onClose={() => setCreating(false)} onCreated={tokens.reload} />}
      <Modal open={revoking !== null} title={`Revoke ${revoking?.name ?? ""}?`} onClose={() => setRevoking(null)}
        footer={<><button type="button" onClick={() => setRevoking(null)}>Keep it</button>
          <button type="button" className="danger solid" onClick={() => {
            if (!revoking) return;
            void unwrap(api.DELETE("/api/v1/api-tokens/{id}", { params: { path: { id: revoking.id } } })).then(
              () => { toast(`Revoked ${revoking.name}.`); setRevoking(null); tokens.reload(); },
              (e: unknown) => toast(e instanceof Error ? e.message : String(e), "error"));
          }}>Revoke token</button></>}>
        {revoking && <p>It stops working at once: whatever uses it gets “401 Unauthorized” from its next request.
          {revoking.user_id !== me.id && ` It belongs to ${revoking.username}.`}</p>}
      </Modal>
    </section>
  );
}

/** The new-token dialog: the form, then the secret, once. */
function NewToken({ groups, onClose, onCreated }: {
  groups: Schemas["GroupView"][];
  onClose: () => void;
  onCreated: () => void;
}) {
  const me = useMe();
  const roles = mintable(me.role);
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>(roles[0] ?? me.role);
  const [limited, setLimited] = useState<number[]>([]);
  const [expiry, setExpiry] = useState("90");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Schemas["ApiTokenCreated"] | null>(null);
  // An operator limits a token to groups of their own; an admin to any.
  const choosable = me.role === "admin" ? groups : groups.filter((g) => me.groups.includes(g.id));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const days = Number(expiry);
      setCreated(await unwrap(api.POST("/api/v1/api-tokens", {
        body: {
          name: name.trim(),
          role,
          group_ids: role === "operator" && limited.length > 0 ? limited : null,
          expires_at: days > 0 ? new Date(Date.now() + days * DAY).toISOString() : null,
        },
      })));
      onCreated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (created) {
    return (
      <Modal open title={`Token ${created.name} created`} onClose={onClose}
        footer={<button type="button" className="primary" onClick={onClose}>Done</button>}>
        <div className="notice warn" role="alert">
          <strong>Copy it now: you will not see this token again.</strong>
          Only a hash of it is kept. Store it where the script reads its secrets; if it is lost, revoke it and make a new one.
        </div>
        <div className="field">
          <label htmlFor="new-token-secret">New API token</label>
          <div className="row nowrap" style={{ alignItems: "flex-start" }}>
            {/* A text area, so the whole token shows however wide the dialog is. */}
            <textarea id="new-token-secret" className="secret" readOnly rows={2} value={created.token}
              style={{ flex: 1, resize: "none" }} spellCheck={false} onFocus={(e) => e.target.select()} />
            <CopyButton text={created.token} />
          </div>
        </div>
        <p className="small muted">
          Role {created.role}{created.expires_at ? `, expires ${when(created.expires_at)}` : ", never expires"}.
        </p>
      </Modal>
    );
  }
  return (
    <Modal open title="New API token" onClose={onClose}
      footer={<><button type="button" onClick={onClose}>Cancel</button>
        <button type="submit" form="token-form" className="primary" disabled={busy || !name.trim()}>Create token</button></>}>
      <form id="token-form" onSubmit={(e) => void submit(e)}>
        <p className="muted small">The token acts for you ({me.username}).</p>
        {error !== undefined && <ErrorNotice error={error} />}
        <Field label="Name" hint="What uses it, such as a pipeline's name; unique among your tokens.">
          {({ id, describedBy }) => (
            <input id={id} aria-describedby={describedBy} required maxLength={100} autoComplete="off" value={name}
              onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <Field label="Role" hint={roles.length > 1 ? "What the token may do: as an admin you may give it any role." : `A token has your role (${me.role}) at most.`}>
          {({ id, describedBy }) => (
            <select id={id} aria-describedby={describedBy} value={role} disabled={roles.length < 2}
              onChange={(e) => setRole(e.target.value as Role)}>
              {roles.map((r) => <option key={r} value={r}>{r[0]?.toUpperCase()}{r.slice(1)}</option>)}
            </select>
          )}
        </Field>
        {role === "operator" && (
          <fieldset>
            <legend>Limit to groups (optional)</legend>
            {choosable.length === 0 && <p className="muted small">{me.role === "admin" ? "No groups exist yet." : "You are in no group."}</p>}
            {choosable.map((g) => (
              <label key={g.id} className="check" style={{ marginRight: 16 }}>
                <input type="checkbox" checked={limited.includes(g.id)}
                  onChange={(e) => setLimited(e.target.checked ? [...limited, g.id] : limited.filter((x) => x !== g.id))} />
                {g.name}
              </label>
            ))}
            <p className="hint small muted">
              None chosen: it reaches {me.role === "admin" ? "the groups you are in" : "your groups"} as they change, and ungrouped hosts.
            </p>
          </fieldset>
        )}
        <Field label="Expires">
          {({ id }) => (
            <select id={id} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
              {EXPIRY_DAYS.map((d) => <option key={d} value={String(d)}>In {d} days</option>)}
              <option value="0">Never</option>
            </select>
          )}
        </Field>
      </form>
    </Modal>
  );
}

/** Copies `text` to the clipboard, and says so. */
function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      toast("The browser did not let this page copy: select the token and copy it yourself.", "error");
    }
  }
  return (
    <button type="button" onClick={() => void copy()} aria-live="polite">{copied ? "Copied" : "Copy"}</button>
  );
}
