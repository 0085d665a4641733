// Settings (admin; auditors read them): poll intervals, worker concurrency, the IP allowlist, the web TLS
// certificate strategy (from config.toml, read-only here), password hashing (read-only), and the
// SMTP and Azure SSO sections. Mail and SSO are stored only: they are not in use yet, so there
// are no test buttons.

import { useState, type FormEvent, type ReactNode } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { useLoad, useTitle } from "../lib/hooks";
import { READ_ONLY, useAccess } from "../lib/access";
import { when } from "../lib/format";
import { DataState, ErrorNotice, Field, PageHead, toast } from "../ui/components";

export function SettingsPage() {
  useTitle("Settings");
  const settings = useLoad(() => unwrap(api.GET("/api/v1/settings")), []);
  const { changes } = useAccess();
  return (
    <>
      <PageHead title="Settings" lead={changes ? "Changes apply without a restart and are written to the audit log." : READ_ONLY} />
      <DataState state={settings} what="Loading settings">
        {(s) => (
          <div className="stack">
            <div className="grid grid-2">
              <Polling initial={s.polling} />
              <Concurrency initial={s.concurrency} />
            </div>
            <Allowlist initial={s.security} />
            <div className="grid grid-2">
              <WebTls view={s.web_tls} />
              <Hashing auth={s.auth} />
            </div>
            <div className="grid grid-2">
              <Smtp initial={s.smtp} />
              <Sso initial={s.sso} />
            </div>
          </div>
        )}
      </DataState>
    </>
  );
}

function Section(props: { id: string; title: string; lead?: ReactNode; onSave?: () => Promise<void>; children: ReactNode }) {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const { changes } = useAccess();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!props.onSave || !changes) return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onSave();
      toast(`${props.title} saved.`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.lead && <p className="muted">{props.lead}</p>}
      <form onSubmit={(e) => void submit(e)}>
        {error !== undefined && <ErrorNotice error={error} />}
        <fieldset className="bare" disabled={!changes}>
          {props.children}
        </fieldset>
        {props.onSave && changes && (
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy}>Save</button>
          </div>
        )}
      </form>
    </section>
  );
}

function Polling({ initial }: { initial: Schemas["PollingSettings"] }) {
  const [health, setHealth] = useState(String(initial.health_interval_s / 60));
  const [patch, setPatch] = useState(String(initial.patch_interval_s / 60));
  return (
    <Section id="polling" title="Poll intervals" lead="How often the worker asks each agent; it applies new values at its next round."
      onSave={async () => {
        await unwrap(api.PUT("/api/v1/settings/polling", { body: { health_interval_s: Math.round(Number(health) * 60), patch_interval_s: Math.round(Number(patch) * 60) } }));
      }}>
      <Field label="Health check every (minutes)" hint="1 to 1,440; default 5.">
        {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} type="number" min={1} max={1440} step="any" required value={health} onChange={(e) => setHealth(e.target.value)} />}
      </Field>
      <Field label="Patch query every (minutes)" hint="1 to 1,440; default 30.">
        {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} type="number" min={1} max={1440} step="any" required value={patch} onChange={(e) => setPatch(e.target.value)} />}
      </Field>
    </Section>
  );
}

function Concurrency({ initial }: { initial: Schemas["ConcurrencySettings"] }) {
  const [max, setMax] = useState(String(initial.max_agents));
  return (
    <Section id="concurrency" title="Worker concurrency" lead="How many agents one worker calls at once."
      onSave={async () => { await unwrap(api.PUT("/api/v1/settings/concurrency", { body: { max_agents: Number(max) } })); }}>
      <Field label="Concurrent agent calls" hint="1 to 1,024; default 64.">
        {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} type="number" min={1} max={1024} required value={max} onChange={(e) => setMax(e.target.value)} />}
      </Field>
    </Section>
  );
}

function Allowlist({ initial }: { initial: Schemas["SecuritySettings"] }) {
  const [text, setText] = useState(initial.ip_allowlist.join("\n"));
  return (
    <Section id="allowlist" title="IP allowlist"
      lead={<>Only these networks reach the web UI and API; empty allows every address. A list that would shut out your
        own address is refused; <code>lpm-server admin allowlist reset</code> on the server is the way back in.</>}
      onSave={async () => {
        const list = text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
        const saved = await unwrap(api.PUT("/api/v1/settings/security", { body: { ip_allowlist: list } }));
        setText(saved.ip_allowlist.join("\n"));
      }}>
      <Field label="Allowed networks (one CIDR per line)">
        {({ id }) => <textarea id={id} rows={5} value={text} onChange={(e) => setText(e.target.value)} placeholder={"10.0.0.0/8\n192.168.10.0/24"} />}
      </Field>
    </Section>
  );
}

function WebTls({ view }: { view: Schemas["WebTlsView"] }) {
  return (
    <Section id="webtls" title="Web TLS certificate"
      lead={<>Set in <code>config.toml</code> (<code>[web_tls]</code>) and applied at the server's next start: the internal CA
        issues and renews it by default, or give your own certificate and key files.</>}>
      <dl className="facts">
        <dt>Strategy</dt><dd>{view.strategy === "internal_ca" ? "Issued by the internal CA" : "Files supplied by the operator"}</dd>
        {view.cert_file && (<><dt>Certificate file</dt><dd><code>{view.cert_file}</code></dd></>)}
        {view.key_file && (<><dt>Key file</dt><dd><code>{view.key_file}</code></dd></>)}
        {view.certificate && (
          <>
            <dt>Subject</dt><dd>{view.certificate.subject}</dd>
            <dt>Names</dt><dd>{view.certificate.sans.join(", ")}</dd>
            <dt>Valid</dt><dd>{when(view.certificate.not_before)} to {when(view.certificate.not_after)}</dd>
            <dt>SHA-256</dt><dd><code className="small">{view.certificate.sha256_fingerprint}</code></dd>
          </>
        )}
      </dl>
    </Section>
  );
}

function Hashing({ auth }: { auth: Schemas["AuthView"] }) {
  return (
    <Section id="hashing" title="Password hashing"
      lead={<>Argon2id parameters for new password hashes. <code>lpm-server admin calibrate</code> measures this machine and
        sets them.</>}>
      <dl className="facts">
        <dt>Memory</dt><dd>{auth.argon2.m_kib.toLocaleString()} KiB</dd>
        <dt>Passes</dt><dd>{auth.argon2.t}</dd>
        <dt>Lanes</dt><dd>{auth.argon2.p}</dd>
        <dt>Calibrated</dt><dd>{auth.calibrated ? "yes, on this machine" : "no: the SDD's starting point"}</dd>
      </dl>
    </Section>
  );
}

function Smtp({ initial }: { initial: Schemas["SmtpSettings"] }) {
  const [s, setS] = useState(initial);
  const text = (key: "host" | "username" | "password_file" | "from") => ({
    value: s[key] ?? "",
    onChange: (e: { target: { value: string } }) => setS({ ...s, [key]: e.target.value || null }),
  });
  return (
    <Section id="smtp" title="Mail relay (SMTP)"
      lead="Stored for email notifications, which are not sent yet: this version does not use these values."
      onSave={async () => { setS(await unwrap(api.PUT("/api/v1/settings/smtp", { body: s }))); }}>
      <Field label="Relay host">{({ id }) => <input id={id} {...text("host")} placeholder="smtp.example.com" />}</Field>
      <Field label="Port">{({ id }) => <input id={id} type="number" min={1} max={65535} value={s.port} onChange={(e) => setS({ ...s, port: Number(e.target.value) })} />}</Field>
      <Field label="Username">{({ id }) => <input id={id} {...text("username")} autoComplete="off" />}</Field>
      <Field label="Password file" hint="Absolute path of a file (mode 0600) holding the password; the password itself is never stored here.">
        {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} {...text("password_file")} placeholder="/etc/patch-manager/secrets/smtp-password" />}
      </Field>
      <Field label="Sender address">{({ id }) => <input id={id} type="email" {...text("from")} placeholder="lpm@example.com" />}</Field>
      <label className="check block"><input type="checkbox" checked={s.starttls} onChange={(e) => setS({ ...s, starttls: e.target.checked })} />Use STARTTLS</label>
    </Section>
  );
}

function Sso({ initial }: { initial: Schemas["SsoSettings"] }) {
  const [s, setS] = useState(initial);
  const text = (key: "tenant_id" | "client_id" | "client_secret_file" | "redirect_uri") => ({
    value: s[key] ?? "",
    onChange: (e: { target: { value: string } }) => setS({ ...s, [key]: e.target.value || null }),
  });
  return (
    <Section id="sso" title="Azure sign-in (SSO)"
      lead="Stored for Azure AD sign-in, which this version does not offer yet: local accounts remain the way in."
      onSave={async () => { setS(await unwrap(api.PUT("/api/v1/settings/sso", { body: s }))); }}>
      <label className="check block"><input type="checkbox" checked={s.enabled} onChange={(e) => setS({ ...s, enabled: e.target.checked })} />Enabled (needs every field below)</label>
      <Field label="Directory (tenant) id">{({ id }) => <input id={id} {...text("tenant_id")} placeholder="contoso.onmicrosoft.com" />}</Field>
      <Field label="Application (client) id">{({ id }) => <input id={id} {...text("client_id")} />}</Field>
      <Field label="Client secret file" hint="Absolute path of a file (mode 0600) holding the secret.">
        {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} {...text("client_secret_file")} />}
      </Field>
      <Field label="Redirect URI">{({ id }) => <input id={id} type="url" {...text("redirect_uri")} placeholder="https://lpm.example.com/api/v1/auth/oidc/callback" />}</Field>
    </Section>
  );
}
