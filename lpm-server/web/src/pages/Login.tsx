// Logging in: password, then the second factor (authenticator code, security key or a
// recovery code); an account without a second factor enrols one first (SDD §7.1: MFA is
// never optional), and sees its recovery codes once.

import { useEffect, useRef, useState, type FormEvent } from "react";
import { publicApi, unwrap, type Schemas } from "../api/client";
import { startSession, type SessionTokens } from "../api/session";
import { getAssertion, webauthnAvailable } from "../lib/webauthn";
import { useTitle } from "../lib/hooks";
import { ErrorNotice, Field, Tabs } from "../ui/components";
import { RecoveryCodes, TotpEnrol, WebauthnEnrol } from "../ui/Enrol";

type Step =
  | { kind: "password" }
  | { kind: "mfa"; mfaToken: string; methods: Schemas["MfaMethod"][]; username: string }
  | { kind: "enrol"; enrollmentToken: string; username: string }
  | { kind: "codes"; codes: string[]; session: SessionTokens };

function sessionOf(view: {
  access_token?: string | null;
  refresh_token?: string | null;
  expires_in?: number | null;
}): SessionTokens | null {
  if (!view.access_token || !view.refresh_token) return null;
  return {
    access_token: view.access_token,
    refresh_token: view.refresh_token,
    expires_in: view.expires_in ?? 900,
  };
}

export function LoginPage({ notice }: { notice: string | null }) {
  useTitle("Log in");
  const [step, setStep] = useState<Step>({ kind: "password" });
  return (
    <main className="auth-page" id="main">
      <div className={`card auth-card ${step.kind === "enrol" || step.kind === "codes" ? "wide" : ""}`}>
        <div className="brand">
          <img src="/favicon.svg" alt="" />
          lpm
        </div>
        {step.kind === "password" && <PasswordStep notice={notice} onNext={setStep} />}
        {step.kind === "mfa" && (
          <MfaStep step={step} onBack={() => setStep({ kind: "password" })} />
        )}
        {step.kind === "enrol" && (
          <EnrolStep
            step={step}
            onEnrolled={(result) => {
              const session = sessionOf(result);
              if (!session) return setStep({ kind: "password" });
              if (result.recovery_codes.length) setStep({ kind: "codes", codes: result.recovery_codes, session });
              else startSession(session);
            }}
          />
        )}
        {step.kind === "codes" && (
          <RecoveryCodes pageHeading codes={step.codes} doneLabel="Continue to lpm" onDone={() => startSession(step.session)} />
        )}
      </div>
    </main>
  );
}

function PasswordStep({ notice, onNext }: { notice: string | null; onNext: (step: Step) => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const view = await unwrap(publicApi().POST("/api/v1/auth/login", { body: { username, password } }));
      const session = sessionOf(view);
      if (session) startSession(session);
      else if (view.mfa_required && view.mfa_token)
        onNext({ kind: "mfa", mfaToken: view.mfa_token, methods: view.methods ?? ["totp"], username });
      else if (view.mfa_enrollment_required && view.enrollment_token)
        onNext({ kind: "enrol", enrollmentToken: view.enrollment_token, username });
      else setError(new Error("The server's answer was not understood."));
    } catch (e) {
      setError(e);
      setPassword("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      {notice && (
        <div className="notice info" role="status">
          {notice}
        </div>
      )}
      {error !== undefined && <ErrorNotice error={error} />}
      <Field label="Username">
        {({ id }) => (
          <input id={id} name="username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        )}
      </Field>
      <Field label="Password">
        {({ id }) => (
          <input id={id} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        )}
      </Field>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Checking…" : "Continue"}
      </button>
    </form>
  );
}

type Method = "totp" | "webauthn" | "recovery";

function MfaStep({ step, onBack }: { step: Extract<Step, { kind: "mfa" }>; onBack: () => void }) {
  const offered = step.methods.filter((m): m is Method => m === "totp" || m === "webauthn" || m === "recovery");
  const usable = offered.filter((m) => m !== "webauthn" || webauthnAvailable());
  const [method, setMethod] = useState<Method>(usable.includes("totp") ? "totp" : (usable[0] ?? "recovery"));
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const client = publicApi();
    try {
      let session: Schemas["SessionView"];
      if (method === "webauthn") {
        const challenge = await unwrap(
          client.POST("/api/v1/auth/mfa/webauthn/start", { body: { mfa_token: step.mfaToken } }),
        );
        const credential = await getAssertion(challenge.options);
        session = await unwrap(
          client.POST("/api/v1/auth/mfa/webauthn/finish", { body: { mfa_token: step.mfaToken, credential } }),
        );
      } else {
        const path = method === "totp" ? "/api/v1/auth/mfa/totp" : "/api/v1/auth/mfa/recovery";
        session = await unwrap(client.POST(path, { body: { mfa_token: step.mfaToken, code: code.trim() } }));
      }
      startSession(session);
    } catch (e) {
      setError(e instanceof DOMException ? new Error(`The security key did not answer: ${e.message}`) : e);
      setCode("");
    } finally {
      setBusy(false);
    }
  }

  const labels: Record<Method, string> = {
    totp: "Authenticator app",
    webauthn: "Security key",
    recovery: "Recovery code",
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="mfa-title">
      <h1 id="mfa-title">Second step</h1>
      <p className="muted">Logging in as {step.username}.</p>
      <Tabs label="How to confirm" panelId="mfa-panel" selected={method} onSelect={setMethod}
        tabs={[...new Set<Method>([...usable, "recovery"])].map((m) => ({ id: m, label: labels[m] }))} />
      <div id="mfa-panel" role="tabpanel" aria-labelledby={`tab-${method}`}>
      {error !== undefined && <ErrorNotice error={error} />}
      {method === "totp" && (
        <Field label="6-digit code from your authenticator app">
          {({ id }) => (
            <input
              ref={input}
              id={id}
              name="code"
              className="code-input"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]{6,7}"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          )}
        </Field>
      )}
      {method === "recovery" && (
        <Field label="Recovery code" hint="One of the codes you saved when you set up your second factor; each works once.">
          {({ id, describedBy }) => (
            <input ref={input} id={id} aria-describedby={describedBy} name="recovery" autoComplete="off" required value={code} onChange={(e) => setCode(e.target.value)} />
          )}
        </Field>
      )}
      {method === "webauthn" && <p>Press the button, then touch or unlock your security key.</p>}
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {method === "webauthn" ? (busy ? "Waiting for the key…" : "Use security key") : busy ? "Checking…" : "Log in"}
        </button>
        <button type="button" onClick={onBack}>
          Back
        </button>
      </div>
    </form>
  );
}

function EnrolStep({ step, onEnrolled }: {
  step: Extract<Step, { kind: "enrol" }>;
  onEnrolled: (result: Schemas["EnrolledView"]) => void;
}) {
  const [method, setMethod] = useState<"totp" | "webauthn">("totp");
  return (
    <div>
      <h1>Set up a second factor</h1>
      <p>
        Every account needs a second factor besides the password. Choose one for <strong>{step.username}</strong>; this
        setup times out after 5 minutes.
      </p>
      <Tabs label="Second factor" panelId="enrol-panel" selected={method} onSelect={setMethod}
        tabs={[{ id: "totp", label: "Authenticator app" }, { id: "webauthn", label: "Security key" }]} />
      <div id="enrol-panel" role="tabpanel" aria-labelledby={`tab-${method}`}>
      {method === "totp" ? (
        <TotpEnrol enrollmentToken={step.enrollmentToken} username={step.username} onEnrolled={onEnrolled} />
      ) : (
        <WebauthnEnrol enrollmentToken={step.enrollmentToken} onEnrolled={onEnrolled} />
      )}
      </div>
    </div>
  );
}
