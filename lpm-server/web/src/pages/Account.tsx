// The logged-in user's own account: role and groups, second factors (add an authenticator app
// or a security key), new recovery codes, a new password, and their API tokens.

import { useState, type FormEvent } from "react";
import { api, unwrap } from "../api/client";
import { logout } from "../api/session";
import { useMe } from "../App";
import { useLoad, useTitle } from "../lib/hooks";
import { ago, when } from "../lib/format";
import { DataState, ErrorNotice, Field, Modal, PageHead, StatusBadge, toast } from "../ui/components";
import { RecoveryCodes, TotpEnrol, WebauthnEnrol } from "../ui/Enrol";
import { ApiTokens } from "../ui/ApiTokens";

export function AccountPage() {
  useTitle("Your account");
  const me = useMe();
  const detail = useLoad(() => unwrap(api.GET("/api/v1/auth/me")), []);
  const [adding, setAdding] = useState<"totp" | "webauthn" | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [confirmCodes, setConfirmCodes] = useState(false);

  async function newCodes() {
    try {
      setCodes((await unwrap(api.POST("/api/v1/auth/recovery-codes"))).recovery_codes);
      detail.reload();
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), "error");
    } finally {
      setConfirmCodes(false);
    }
  }

  return (
    <>
      <PageHead title="Your account" lead={`${me.username} · ${me.role}`} />
      <DataState state={detail} what="Loading your account">
        {(m) => (
          <div className="grid grid-2">
            <section className="card" aria-labelledby="factors-title">
              <h2 id="factors-title">Second factors</h2>
              <dl className="facts">
                <dt>Methods</dt><dd>{m.methods.join(", ") || "none"}</dd>
                <dt>Enrolled</dt><dd>{when(m.mfa_enrolled_at)}</dd>
                <dt>Recovery codes left</dt><dd>{m.recovery_codes_left}{m.recovery_codes_left < 3 && <> <StatusBadge value="make new ones" tone="warn" /></>}</dd>
              </dl>
              {m.webauthn_credentials.length > 0 && (
                <>
                  <h3 style={{ marginTop: 12 }}>Security keys</h3>
                  <ul className="list-plain">
                    {m.webauthn_credentials.map((c) => (
                      <li key={c.id}>{c.name} <span className="muted small">added {when(c.created_at)}, last used {ago(c.last_used_at)}</span></li>
                    ))}
                  </ul>
                </>
              )}
              <div className="row" style={{ marginTop: 12 }}>
                {!m.methods.includes("totp") && <button type="button" onClick={() => setAdding("totp")}>Add an authenticator app</button>}
                <button type="button" onClick={() => setAdding("webauthn")}>Add a security key</button>
                <button type="button" onClick={() => setConfirmCodes(true)}>New recovery codes</button>
              </div>
            </section>
            <ChangePassword />
          </div>
        )}
      </DataState>
      <div style={{ marginTop: 16 }}>
        <ApiTokens everyone={false} />
      </div>
      <Modal open={adding !== null} title={adding === "totp" ? "Add an authenticator app" : "Add a security key"} onClose={() => setAdding(null)}
        footer={<button type="button" onClick={() => setAdding(null)}>Close</button>}>
        {adding === "totp" && <TotpEnrol enrollmentToken={null} username={me.username} onEnrolled={(r) => { setAdding(null); if (r.recovery_codes.length) setCodes(r.recovery_codes); toast("Authenticator app added."); detail.reload(); }} />}
        {adding === "webauthn" && <WebauthnEnrol enrollmentToken={null} onEnrolled={(r) => { setAdding(null); if (r.recovery_codes.length) setCodes(r.recovery_codes); toast("Security key added."); detail.reload(); }} />}
      </Modal>
      <Modal open={confirmCodes} title="Make new recovery codes?" onClose={() => setConfirmCodes(false)}
        footer={<><button type="button" onClick={() => setConfirmCodes(false)}>Cancel</button><button type="button" className="primary" onClick={() => void newCodes()}>Make new codes</button></>}>
        <p>Your current recovery codes stop working.</p>
      </Modal>
      <Modal open={codes !== null} title="New recovery codes" onClose={() => setCodes(null)}>
        {codes && <RecoveryCodes codes={codes} doneLabel="Done" onDone={() => setCodes(null)} />}
      </Modal>
    </>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    if (next !== again) return setError(new Error("The new passwords differ."));
    try {
      await unwrap(api.POST("/api/v1/auth/password", { body: { current_password: current, new_password: next } }));
      toast("Password changed: log in again.");
      await logout();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section className="card" aria-labelledby="pw-title">
      <h2 id="pw-title">Password</h2>
      <form onSubmit={(e) => void submit(e)}>
        {error !== undefined && <ErrorNotice error={error} />}
        <Field label="Current password">{({ id }) => <input id={id} type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />}</Field>
        <Field label="New password" hint="At least 12 characters; a passphrase is best. Every session ends after the change.">
          {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} type="password" autoComplete="new-password" minLength={12} required value={next} onChange={(e) => setNext(e.target.value)} />}
        </Field>
        <Field label="New password again">{({ id }) => <input id={id} type="password" autoComplete="new-password" required value={again} onChange={(e) => setAgain(e.target.value)} />}</Field>
        <button type="submit" className="primary">Change password</button>
      </form>
    </section>
  );
}
