// Formatting for people: dates in the browser's time zone, relative times, counts.

const dateTime = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "short",
});

/** A timestamp in the viewer's time zone, or an em dash when absent. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** A timestamp in a named IANA time zone (for windows defined in another zone). */
export function whenIn(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone,
      timeZoneName: "short",
    }).format(new Date(iso));
  } catch {
    return when(iso);
  }
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "3 minutes ago", "in 2 hours". */
export function ago(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "never";
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, "second");
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), "hour");
  return relative.format(Math.round(seconds / 86400), "day");
}

/** A host's name for people: FQDN, else address. */
export function hostName(host: { fqdn?: string | null; ip?: string | null; id: number }): string {
  return host.fqdn ?? host.ip ?? `host ${host.id}`;
}

/** "1 host", "3 hosts". */
export function plural(n: number, one: string, many: string = one + "s"): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** A snake_case word as words. */
export function words(value: string): string {
  return value.replace(/_/g, " ");
}

/** The viewer's IANA time zone. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

const dayTime = new Intl.DateTimeFormat(undefined, { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

/** "Sat, Nov 28, 9:00 PM – 1:00 AM" (the end's date only when it differs by more than a night). */
export function range(opensAt: string, closesAt: string): string {
  const open = new Date(opensAt);
  const close = new Date(closesAt);
  const hours = (close.getTime() - open.getTime()) / 3_600_000;
  return `${dayTime.format(open)} – ${hours < 24 ? timeOnly.format(close) : dayTime.format(close)}`;
}
