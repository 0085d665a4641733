// Maintenance windows: how a schedule reads in words, and the form that makes one: one-time
// (start and end in the viewer's time zone) or recurring (weekly, monthly by day, monthly by
// weekday, at a local time in any IANA time zone, DST-correct on the server).

import { useState, type FormEvent } from "react";
import type { Schemas } from "../api/client";
import { localTimeZone, when } from "../lib/format";
import { ErrorNotice, Field } from "./components";

type Spec = Schemas["WindowSpec"];
type Weekday = Schemas["WeekdayName"];
const DAYS: [Weekday, string][] = [
  ["mon", "Mon"], ["tue", "Tue"], ["wed", "Wed"], ["thu", "Thu"], ["fri", "Fri"], ["sat", "Sat"], ["sun", "Sun"],
];
const WEEKS: Schemas["WeekOfMonthName"][] = ["first", "second", "third", "fourth", "last"];

function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : "", m ? `${m} min` : ""].filter(Boolean).join(" ") || "0 min";
}

/** "Weekly on Sat at 22:00 (Europe/Berlin) for 4 h", "Once, from … to …". */
export function describeWindow(spec: Spec): string {
  if (spec.kind === "one_time") return `Once, ${when(spec.start)} to ${when(spec.end)}`;
  const rule = spec.rule;
  let days: string;
  if ("weekly" in rule) days = `Weekly on ${rule.weekly.days.map((d) => d[0]?.toUpperCase() + d.slice(1)).join(", ")}`;
  else if ("monthly_by_day" in rule) days = `Monthly on day ${rule.monthly_by_day.day}`;
  else days = `Monthly on the ${rule.monthly_by_weekday.week} ${rule.monthly_by_weekday.weekday}`;
  return `${days} at ${spec.local_start.slice(0, 5)} (${spec.time_zone}) for ${duration(spec.duration_minutes)}`;
}

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.("timeZone") ?? [];
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The window form; `onSubmit` saves (and throws an API error to show). */
export function WindowForm(props: {
  id: string;
  initial?: Schemas["WindowInput"];
  onSubmit: (input: Schemas["WindowInput"]) => Promise<void>;
}) {
  const init = props.initial?.window;
  const [name, setName] = useState(props.initial?.name ?? "");
  const [kind, setKind] = useState<"one_time" | "recurring">(init?.kind ?? "recurring");
  const [start, setStart] = useState(toLocalInput(init?.kind === "one_time" ? init.start : undefined));
  const [end, setEnd] = useState(toLocalInput(init?.kind === "one_time" ? init.end : undefined));
  const recurring = init?.kind === "recurring" ? init : undefined;
  const [rule, setRule] = useState<"weekly" | "monthly_by_day" | "monthly_by_weekday">(
    recurring ? (Object.keys(recurring.rule)[0] as "weekly") : "weekly",
  );
  const [days, setDays] = useState<Weekday[]>(
    recurring && "weekly" in recurring.rule ? recurring.rule.weekly.days : ["sat"],
  );
  const [day, setDay] = useState(recurring && "monthly_by_day" in recurring.rule ? recurring.rule.monthly_by_day.day : 1);
  const [week, setWeek] = useState<Schemas["WeekOfMonthName"]>(
    recurring && "monthly_by_weekday" in recurring.rule ? recurring.rule.monthly_by_weekday.week : "first",
  );
  const [weekday, setWeekday] = useState<Weekday>(
    recurring && "monthly_by_weekday" in recurring.rule ? recurring.rule.monthly_by_weekday.weekday : "sun",
  );
  const [localStart, setLocalStart] = useState(recurring?.local_start.slice(0, 5) ?? "22:00");
  const [hours, setHours] = useState(String((recurring?.duration_minutes ?? 240) / 60));
  const [zone, setZone] = useState(recurring?.time_zone ?? localTimeZone());
  const [error, setError] = useState<unknown>(undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    let window: Spec;
    if (kind === "one_time") {
      if (!start || !end) return setError(new Error("Give both a start and an end."));
      window = { kind: "one_time", start: new Date(start).toISOString(), end: new Date(end).toISOString() };
    } else {
      const ruleSpec: Schemas["RuleSpec"] =
        rule === "weekly"
          ? { weekly: { days } }
          : rule === "monthly_by_day"
            ? { monthly_by_day: { day } }
            : { monthly_by_weekday: { week, weekday } };
      window = {
        kind: "recurring",
        rule: ruleSpec,
        local_start: localStart,
        duration_minutes: Math.round(Number(hours) * 60),
        time_zone: zone,
      };
    }
    try {
      await props.onSubmit({ name: name.trim(), window });
    } catch (e) {
      setError(e);
    }
  }

  return (
    <form id={props.id} onSubmit={(e) => void submit(e)}>
      {error !== undefined && <ErrorNotice error={error} />}
      <Field label="Name">
        {({ id }) => <input id={id} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="Saturday night" />}
      </Field>
      <fieldset>
        <legend>Kind</legend>
        <label className="check" style={{ marginRight: 16 }}>
          <input type="radio" name="kind" checked={kind === "recurring"} onChange={() => setKind("recurring")} />
          Recurring
        </label>
        <label className="check">
          <input type="radio" name="kind" checked={kind === "one_time"} onChange={() => setKind("one_time")} />
          One time
        </label>
      </fieldset>
      {kind === "one_time" ? (
        <div className="grid grid-2">
          <Field label="Opens" hint={`Your time zone: ${localTimeZone()}`}>
            {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} type="datetime-local" required value={start} onChange={(e) => setStart(e.target.value)} />}
          </Field>
          <Field label="Closes">
            {({ id }) => <input id={id} type="datetime-local" required value={end} onChange={(e) => setEnd(e.target.value)} />}
          </Field>
        </div>
      ) : (
        <>
          <Field label="Repeats">
            {({ id }) => (
              <select id={id} value={rule} onChange={(e) => setRule(e.target.value as typeof rule)}>
                <option value="weekly">Weekly on chosen days</option>
                <option value="monthly_by_day">Monthly on a day of the month</option>
                <option value="monthly_by_weekday">Monthly on a weekday (e.g. first Sunday)</option>
              </select>
            )}
          </Field>
          {rule === "weekly" && (
            <fieldset>
              <legend>Days</legend>
              {DAYS.map(([value, label]) => (
                <label key={value} className="check" style={{ marginRight: 12 }}>
                  <input type="checkbox" checked={days.includes(value)}
                    onChange={(e) => setDays(e.target.checked ? [...days, value] : days.filter((d) => d !== value))} />
                  {label}
                </label>
              ))}
            </fieldset>
          )}
          {rule === "monthly_by_day" && (
            <Field label="Day of the month" hint="Months without this day are skipped.">
              {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} type="number" min={1} max={31} value={day} onChange={(e) => setDay(Number(e.target.value))} />}
            </Field>
          )}
          {rule === "monthly_by_weekday" && (
            <div className="grid grid-2">
              <Field label="Which">
                {({ id }) => (
                  <select id={id} value={week} onChange={(e) => setWeek(e.target.value as typeof week)}>
                    {WEEKS.map((w) => <option key={w} value={w}>{w}</option>)}
                  </select>
                )}
              </Field>
              <Field label="Weekday">
                {({ id }) => (
                  <select id={id} value={weekday} onChange={(e) => setWeekday(e.target.value as Weekday)}>
                    {DAYS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
                  </select>
                )}
              </Field>
            </div>
          )}
          <div className="grid grid-3">
            <Field label="Opens at (local time)">
              {({ id }) => <input id={id} type="time" required value={localStart} onChange={(e) => setLocalStart(e.target.value)} />}
            </Field>
            <Field label="Open for (hours)">
              {({ id }) => <input id={id} type="number" min={0.25} max={168} step={0.25} required value={hours} onChange={(e) => setHours(e.target.value)} />}
            </Field>
            <Field label="Time zone">
              {({ id }) => (
                <select id={id} value={zone} onChange={(e) => setZone(e.target.value)}>
                  {timeZones().map((z) => <option key={z} value={z}>{z}</option>)}
                </select>
              )}
            </Field>
          </div>
        </>
      )}
    </form>
  );
}
