// What the logged-in user may do, from their role (SDD §7.2), so pages offer only the actions
// the API will accept: admins do everything; operators change what is in their groups;
// auditors read everything an admin reads and change nothing but their own credentials.

import { useMe } from "../App";
import type { Schemas } from "../api/client";

export interface Access {
  /** Admin: users, settings, discovery, certificates, every host. */
  admin: boolean;
  /** Sees what only admins and auditors see (users, settings, discovery, the audit log). */
  readsAll: boolean;
  /** May change anything at all (false for auditors: the API answers 403 `read_only`). */
  changes: boolean;
}

/** What `role` may do. */
export function accessOf(role: Schemas["Role"]): Access {
  return {
    admin: role === "admin",
    readsAll: role === "admin" || role === "auditor",
    changes: role !== "auditor",
  };
}

/** What the logged-in user may do. */
export function useAccess(): Access {
  return accessOf(useMe().role);
}

/** Why an auditor sees no buttons to change things, in a sentence. */
export const READ_ONLY = "You have read-only access: an auditor can see everything but change nothing.";
