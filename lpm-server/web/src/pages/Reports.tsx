// Reports: compliance, patch history, vulnerabilities and the audit log, filtered by group,
// severity and period, generated on the server and downloaded as CSV or PDF (with charts).

import { useState, type FormEvent } from "react";
import { download } from "../api/client";
import { useGroups } from "../lib/groups";
import { useAccess } from "../lib/access";
import { useTitle } from "../lib/hooks";
import { ErrorNotice, Field, PageHead, toast } from "../ui/components";

type Kind = "compliance" | "patch-history" | "vulnerability" | "audit";
const KINDS: { value: Kind; label: string; about: string; readsAll?: boolean }[] = [
  { value: "compliance", label: "Compliance", about: "Which hosts are fully patched, and what each one still lacks, by severity." },
  { value: "patch-history", label: "Patch history", about: "Every job in the period: who ran what where, and how it ended." },
  { value: "vulnerability", label: "Vulnerabilities", about: "Open CVEs per host, when first seen, and the time it took to patch fixed ones." },
  { value: "audit", label: "Audit log", about: "Who did what and when, with the hash chain's integrity.", readsAll: true },
];
const SEVERITIES = ["critical", "important", "moderate", "low", "unknown"] as const;

export function ReportsPage() {
  useTitle("Reports");
  const { readsAll } = useAccess();
  const groups = useGroups();
  const [kind, setKind] = useState<Kind>("compliance");
  const [format, setFormat] = useState<"pdf" | "csv">("pdf");
  const [group, setGroup] = useState("");
  const [severities, setSeverities] = useState<string[]>([]);
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const about = KINDS.find((k) => k.value === kind);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const query = new URLSearchParams({ format });
    if (group) query.append("group", group);
    for (const s of severities) query.append("severity", s);
    if (since) query.set("since", new Date(since).toISOString());
    if (until) query.set("until", new Date(until + "T23:59:59").toISOString());
    try {
      await download(`/api/v1/reports/${kind}?${query}`, `lpm-${kind}.${format}`);
      toast("Report downloaded.");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHead title="Reports" lead="Generated from the current data when you download them; PDFs include charts." />
      <form className="card" onSubmit={(e) => void submit(e)} style={{ maxWidth: 720 }}>
        {error !== undefined && <ErrorNotice error={error} />}
        <Field label="Report" hint={about?.about}>
          {({ id, describedBy }) => (
            <select id={id} aria-describedby={describedBy} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              {KINDS.filter((k) => !k.readsAll || readsAll).map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}
            </select>
          )}
        </Field>
        <fieldset>
          <legend>Format</legend>
          <label className="check" style={{ marginRight: 16 }}><input type="radio" name="format" checked={format === "pdf"} onChange={() => setFormat("pdf")} />PDF</label>
          <label className="check"><input type="radio" name="format" checked={format === "csv"} onChange={() => setFormat("csv")} />CSV</label>
        </fieldset>
        {kind !== "audit" && (
          <div className="grid grid-2">
            <Field label="Group">
              {({ id }) => (
                <select id={id} value={group} onChange={(e) => setGroup(e.target.value)}>
                  <option value="">Every host you can see</option>
                  {(groups.data ?? []).map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
                </select>
              )}
            </Field>
            <fieldset>
              <legend>Severities</legend>
              {SEVERITIES.map((s) => (
                <label key={s} className="check" style={{ marginRight: 10 }}>
                  <input type="checkbox" checked={severities.includes(s)} onChange={(e) => setSeverities(e.target.checked ? [...severities, s] : severities.filter((x) => x !== s))} />
                  {s}
                </label>
              ))}
              <div className="hint small muted">None checked: every severity.</div>
            </fieldset>
          </div>
        )}
        {kind !== "compliance" && (
          <div className="grid grid-2">
            <Field label="From">{({ id }) => <input id={id} type="date" value={since} onChange={(e) => setSince(e.target.value)} />}</Field>
            <Field label="Until">{({ id }) => <input id={id} type="date" value={until} onChange={(e) => setUntil(e.target.value)} />}</Field>
          </div>
        )}
        <button type="submit" className="primary" disabled={busy}>{busy ? "Generating…" : "Download report"}</button>
      </form>
    </>
  );
}
