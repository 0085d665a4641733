// Certificates: the internal CA's root and CRL for download, every certificate it issued with
// its validity, and (admins) renewal and revocation. Distribution to hosts is by hand (SDD §5.5).

import { useState } from "react";
import { api, download, unwrap, type Schemas } from "../api/client";
import { Link, setQuery, useLocation } from "../router";
import { useLoad, useTitle } from "../lib/hooks";
import { useAccess } from "../lib/access";
import { ago, when, words } from "../lib/format";
import { DataState, Empty, ErrorNotice, Field, Modal, PageHead, Pager, StatusBadge, toast } from "../ui/components";

type Cert = Schemas["CertificateView"];
const REASONS: Schemas["RevocationReasonView"][] = [
  "unspecified", "key_compromise", "ca_compromise", "affiliation_changed", "superseded", "cessation_of_operation",
];
const DAY = 86_400_000;

function validity(c: Cert): { value: string; tone: "ok" | "warn" | "bad" } {
  if (c.revoked_at) return { value: "revoked", tone: "bad" };
  const left = new Date(c.not_after).getTime() - Date.now();
  if (left <= 0) return { value: "expired", tone: "bad" };
  if (left < 30 * DAY) return { value: "expiring", tone: "warn" };
  return { value: "valid", tone: "ok" };
}

export function CertificatesPage() {
  useTitle("Certificates");
  const { admin, changes } = useAccess();
  const { query } = useLocation();
  const page = Number(query.get("page") ?? 1) || 1;
  const purpose = (query.get("purpose") ?? "") as Schemas["CertificatePurpose"] | "";
  const state = query.get("state") ?? "";
  const certs = useLoad(
    () => unwrap(api.GET("/api/v1/certificates", {
      params: {
        query: {
          page, per_page: 25, sort: "not_after",
          purpose: purpose || undefined,
          revoked: state === "revoked" ? true : state === "" ? undefined : false,
          expiring_within_days: state === "expiring" ? 30 : undefined,
        },
      },
    })),
    [page, purpose, state],
  );
  const [renewed, setRenewed] = useState<Schemas["CertificateBundleView"] | null>(null);
  const [revoking, setRevoking] = useState<Cert | null>(null);

  async function get(path: string, name: string) {
    try {
      await download(path, name);
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), "error");
    }
  }

  async function renew(c: Cert) {
    try {
      setRenewed(await unwrap(api.POST("/api/v1/certificates/{serial}/renew", { params: { path: { serial: c.serial } } })));
      certs.reload();
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), "error");
    }
  }

  return (
    <>
      <PageHead title="Certificates" lead="The internal CA issues the agents' server certificates; install them on each host by hand.">
        <button type="button" onClick={() => void get("/api/v1/ca/root.crt", "lpm-root-ca.crt")}>Download root CA</button>
        <button type="button" onClick={() => void get("/api/v1/ca/crl.pem", "lpm-crl.pem")}>Download CRL</button>
      </PageHead>
      <div className="filters">
        <Field label="Purpose">
          {({ id }) => (
            <select id={id} value={purpose} onChange={(e) => setQuery({ purpose: e.target.value, page: undefined })}>
              <option value="">Any</option>
              <option value="agent_server">Agent server</option>
              <option value="manager_client">Manager client</option>
              <option value="web_server">Web server</option>
              <option value="root">Root</option>
            </select>
          )}
        </Field>
        <Field label="State">
          {({ id }) => (
            <select id={id} value={state} onChange={(e) => setQuery({ state: e.target.value, page: undefined })}>
              <option value="">Any</option>
              <option value="active">Not revoked</option>
              <option value="expiring">Expiring within 30 days</option>
              <option value="revoked">Revoked</option>
            </select>
          )}
        </Field>
      </div>
      <DataState state={certs} what="Loading certificates" isEmpty={(d) => d.total === 0}
        empty={<div className="card"><Empty title={purpose || state ? "No certificate matches." : "No certificates recorded yet."}>
          {!purpose && !state && changes && <p>Issue one for a host from its page (Certificate tab).</p>}</Empty></div>}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table aria-label="Certificates">
                <thead><tr>
                  <th scope="col">Subject</th><th scope="col">Purpose</th><th scope="col">State</th>
                  <th scope="col">Expires</th><th scope="col">Serial</th><th scope="col"><span className="sr-only">Actions</span></th>
                </tr></thead>
                <tbody>
                  {d.items.map((c) => {
                    const v = validity(c);
                    return (
                      <tr key={c.serial}>
                        <td>{c.host_id ? <Link to={`/hosts/${c.host_id}`}>{c.subject}</Link> : c.subject}
                          {c.sans.length > 0 && <div className="small muted truncate" title={c.sans.join(", ")}>{c.sans.join(", ")}</div>}</td>
                        <td>{words(c.purpose)}</td>
                        <td><StatusBadge value={v.value} tone={v.tone} />
                          {c.revoked_at && <div className="small muted">{when(c.revoked_at)}{c.revocation_reason ? `, ${words(c.revocation_reason)}` : ""}</div>}</td>
                        <td title={c.not_after}>{when(c.not_after)}<div className="small muted">{ago(c.not_after)}</div></td>
                        <td><code className="small">{c.serial}</code></td>
                        <td>
                          {admin && !c.revoked_at && c.purpose === "agent_server" && (
                            <div className="row">
                              <button type="button" onClick={() => void renew(c)} aria-label={`Renew ${c.subject}`}>Renew</button>
                              <button type="button" className="danger" onClick={() => setRevoking(c)} aria-label={`Revoke ${c.subject}`}>Revoke</button>
                            </div>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pager page={d.page} perPage={d.per_page} total={d.total} noun="certificates" onPage={(p) => setQuery({ page: p })} />
          </>
        )}
      </DataState>
      <Modal open={renewed !== null} title="Certificate renewed" onClose={() => setRenewed(null)}
        footer={<button type="button" className="primary" onClick={() => setRenewed(null)}>Done</button>}>
        {renewed && <BundleFiles bundle={renewed} />}
      </Modal>
      {revoking && <Revoke cert={revoking} onClose={() => setRevoking(null)} onDone={certs.reload} />}
    </>
  );
}

/** The files of a freshly issued bundle; the key exists only here and now. */
export function BundleFiles({ bundle }: { bundle: Schemas["CertificateBundleView"] }) {
  function save(text: string, name: string) {
    const url = URL.createObjectURL(new Blob([text], { type: "application/x-pem-file" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
  return (
    <>
      <p>Serial <code>{bundle.certificate.serial}</code>, valid until {when(bundle.certificate.not_after)}. The manager does not
        keep the private key: save all three files now and install them on the host.</p>
      <div className="row">
        <button type="button" onClick={() => save(bundle.cert_pem, "agent.crt")}>agent.crt</button>
        <button type="button" onClick={() => save(bundle.key_pem, "agent.key")}>agent.key</button>
        <button type="button" onClick={() => save(bundle.ca_pem, "ca.crt")}>ca.crt</button>
      </div>
    </>
  );
}

function Revoke({ cert, onClose, onDone }: { cert: Cert; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState<Schemas["RevocationReasonView"]>("unspecified");
  const [error, setError] = useState<unknown>(undefined);
  async function run() {
    try {
      await unwrap(api.POST("/api/v1/certificates/{serial}/revoke", { params: { path: { serial: cert.serial } }, body: { reason } }));
      toast(`Revoked ${cert.subject}; the CRL is updated.`);
      onClose();
      onDone();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <Modal open title={`Revoke ${cert.subject}?`} onClose={onClose}
      footer={<><button type="button" onClick={onClose}>Cancel</button><button type="button" className="danger solid" onClick={() => void run()}>Revoke</button></>}>
      {error !== undefined && <ErrorNotice error={error} />}
      <p>The certificate goes on the CRL; an agent using it stops being trusted. This cannot be undone.</p>
      <Field label="Reason">
        {({ id }) => (
          <select id={id} value={reason} onChange={(e) => setReason(e.target.value as typeof reason)}>
            {REASONS.map((r) => <option key={r} value={r}>{words(r)}</option>)}
          </select>
        )}
      </Field>
    </Modal>
  );
}
