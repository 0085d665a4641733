// When hosts can next be patched: from their maintenance windows, the one open now (with its
// end when known) or the next opening.

import { api, unwrap, type Schemas } from "../api/client";

/** A host's patching time: open now (until `closesAt`, when known), or the next opening. */
export interface HostSlot {
  openNow: boolean;
  closesAt: string | null;
  next: Schemas["OpeningView"] | null;
}

/** A window's current opening's end, when it is open now and the end is known. */
export function openUntil(w: Schemas["WindowView"]): string | null {
  return w.open_now && w.window.kind === "one_time" ? w.window.end : null;
}

/** The patching time of each of `hostIds` (every window the caller can see, at most 500). */
export async function hostSlots(hostIds: number[]): Promise<Map<number, HostSlot>> {
  const slots = new Map<number, HostSlot>(hostIds.map((id) => [id, { openNow: false, closesAt: null, next: null }]));
  const page = await unwrap(api.GET("/api/v1/windows", { params: { query: { per_page: 500 } } }));
  for (const w of page.items) {
    const slot = slots.get(w.host_id);
    if (!slot) continue;
    if (w.open_now) {
      slot.openNow = true;
      const end = openUntil(w);
      if (end && (!slot.closesAt || end > slot.closesAt)) slot.closesAt = end;
    }
    const first = w.next_openings[0];
    if (first && (!slot.next || first.opens_at < slot.next.opens_at)) slot.next = first;
  }
  return slots;
}
