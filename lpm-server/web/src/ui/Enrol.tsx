// Enrolling a second factor: TOTP (secret as a QR code drawn here, never sent elsewhere, then
// the first code) or a security key (WebAuthn). Used at first login with the enrolment token
// and from the account page with the session. Recovery codes, when the server makes them,
// are shown once and must be acknowledged.

import { useMemo, useState, type FormEvent } from "react";
import { encode } from "uqr";
import { api, publicApi, unwrap, type Schemas } from "../api/client";
import { createCredential, webauthnAvailable } from "../lib/webauthn";
import { ErrorNotice, Field } from "./components";

/** An `otpauth://` URI as a QR code, drawn as one SVG path. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const path = useMemo(() => {
    const { data, size } = encode(text, { ecc: "M", border: 2 });
    let d = "";
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) if (data[y]?.[x]) d += `M${x} ${y}h1v1h-1z`;
    return { d, size };
  }, [text]);
  return (
    <div className="qr">
      <svg
        viewBox={`0 0 ${path.size} ${path.size}`}
        role="img"
        aria-label={label}
        shapeRendering="crispEdges"
      >
        <rect width={path.size} height={path.size} fill="#fff" />
        <path d={path.d} fill="#000" />
      </svg>
    </div>
  );
}

/** Recovery codes, shown once: the viewer confirms they saved them before going on. */
export function RecoveryCodes({ codes, onDone, doneLabel, pageHeading = false }: {
  codes: string[];
  onDone: () => void;
  doneLabel: string;
  /** The heading is the page's (h1) rather than a dialog's section (h2). */
  pageHeading?: boolean;
}) {
  const [saved, setSaved] = useState(false);
  const Heading = pageHeading ? "h1" : "h2";
  return (
    <div>
      <Heading>Save your recovery codes</Heading>
      <p>
        Each code logs you in once if you lose your authenticator. They are shown only now: store
        them somewhere safe, such as a password manager.
      </p>
      <ul className="codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="row" style={{ marginBottom: 12 }}>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(codes.join("\n"))}>
          Copy codes
        </button>
      </div>
      <label className="check" style={{ marginBottom: 12 }}>
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />I have saved
        these codes
      </label>
      <div>
        <button type="button" className="primary" disabled={!saved} onClick={onDone}>
          {doneLabel}
        </button>
      </div>
    </div>
  );
}

type Enrolled = Schemas["EnrolledView"];

/** The client enrolment calls go through: the enrolment token, or the session. */
function clientFor(enrollmentToken: string | null) {
  return enrollmentToken ? publicApi(enrollmentToken) : api;
}

/** TOTP enrolment: setup, QR code and secret, first code. */
export function TotpEnrol({ enrollmentToken, username, onEnrolled }: {
  enrollmentToken: string | null;
  username: string;
  onEnrolled: (result: Enrolled) => void;
}) {
  const [setup, setSetup] = useState<Schemas["TotpSetupView"] | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  async function start() {
    setBusy(true);
    setError(undefined);
    try {
      setSetup(await unwrap(clientFor(enrollmentToken).POST("/api/v1/auth/mfa/totp/setup")));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function confirm(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onEnrolled(
        await unwrap(
          clientFor(enrollmentToken).POST("/api/v1/auth/mfa/totp/confirm", { body: { code: code.trim() } }),
        ),
      );
    } catch (e) {
      setError(e);
      setCode("");
    } finally {
      setBusy(false);
    }
  }

  if (!setup) {
    return (
      <div>
        <p>Use an authenticator app (FreeOTP, Aegis, Google Authenticator, 1Password…).</p>
        {error !== undefined && <ErrorNotice error={error} />}
        <button type="button" className="primary" onClick={() => void start()} disabled={busy}>
          Set up an authenticator app
        </button>
      </div>
    );
  }
  return (
    <form onSubmit={(e) => void confirm(e)}>
      <ol>
        <li>
          Scan this code with the app:
          <QrCode text={setup.otpauth_uri} label={`QR code for ${username}'s authenticator app`} />
        </li>
        <li>
          Or type the secret: <span className="secret">{setup.secret}</span>
        </li>
        <li>Enter the 6-digit code the app shows now.</li>
      </ol>
      {error !== undefined && <ErrorNotice error={error} />}
      <Field label="Code from the app">
        {({ id, describedBy }) => (
          <input
            id={id}
            aria-describedby={describedBy}
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
      <button type="submit" className="primary" disabled={busy}>
        Confirm
      </button>
    </form>
  );
}

/** Security-key (WebAuthn) registration. */
export function WebauthnEnrol({ enrollmentToken, onEnrolled }: {
  enrollmentToken: string | null;
  onEnrolled: (result: Enrolled) => void;
}) {
  const [name, setName] = useState("Security key");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  async function register(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const client = clientFor(enrollmentToken);
      const challenge = await unwrap(client.POST("/api/v1/auth/mfa/webauthn/register/start"));
      const credential = await createCredential(challenge.options);
      onEnrolled(
        await unwrap(
          client.POST("/api/v1/auth/mfa/webauthn/register/finish", {
            body: { credential, name: name.trim() || null },
          }),
        ),
      );
    } catch (e) {
      setError(e instanceof DOMException ? new Error(`The security key did not register: ${e.message}`) : e);
    } finally {
      setBusy(false);
    }
  }

  if (!webauthnAvailable())
    return <p className="muted">This browser cannot use security keys here (it needs HTTPS and WebAuthn).</p>;
  return (
    <form onSubmit={(e) => void register(e)}>
      {error !== undefined && <ErrorNotice error={error} />}
      <Field label="Name for this key" hint="To tell your keys apart later.">
        {({ id, describedBy }) => (
          <input id={id} aria-describedby={describedBy} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        )}
      </Field>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Touch your key…" : "Register a security key"}
      </button>
    </form>
  );
}

