// The login session: the access token lives only in memory; the refresh token is kept in this
// tab's sessionStorage so a reload does not log out, and is replaced by the newest one after
// every refresh (the server rotates it and treats a reused one as theft). Refreshing is
// single-flight: concurrent requests that find the token expired share one refresh.

import { useSyncExternalStore } from "react";

const REFRESH_KEY = "lpm.refresh";
/** Refresh this long before the access token expires, so a request never races the expiry. */
const EARLY_MS = 30_000;

export interface SessionTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export type SessionStatus = "restoring" | "anonymous" | "active";

interface State {
  status: SessionStatus;
  /** Why the last session ended, shown on the login page. */
  endedBecause: string | null;
}

let accessToken: string | null = null;
let expiresAt = 0;
let inflight: Promise<boolean> | null = null;
let state: State = {
  status: sessionStorage.getItem(REFRESH_KEY) ? "restoring" : "anonymous",
  endedBecause: null,
};
const listeners = new Set<() => void>();

function setState(next: State): void {
  state = next;
  for (const listener of listeners) listener();
}

/** The session's status, re-rendering when it changes. */
export function useSession(): State {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/** Starts a session from the tokens a login, second factor or enrolment answered. */
export function startSession(tokens: SessionTokens): void {
  store(tokens);
  setState({ status: "active", endedBecause: null });
}

function store(tokens: SessionTokens): void {
  accessToken = tokens.access_token;
  expiresAt = Date.now() + tokens.expires_in * 1000;
  sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token);
}

/** Forgets the session locally (the server side is ended by `logout`). */
export function endSession(reason: string | null): void {
  accessToken = null;
  expiresAt = 0;
  sessionStorage.removeItem(REFRESH_KEY);
  setState({ status: "anonymous", endedBecause: reason });
}

/** Trades the refresh token for new tokens; false (and the session ended) when refused. */
export function refresh(): Promise<boolean> {
  if (inflight) return inflight;
  const token = sessionStorage.getItem(REFRESH_KEY);
  if (!token) {
    endSession(null);
    return Promise.resolve(false);
  }
  inflight = (async () => {
    try {
      const response = await fetch("/api/v1/auth/refresh", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: token }),
      });
      if (!response.ok) {
        endSession(
          response.status === 401
            ? "Your session has ended (an hour without activity, or it was revoked). Log in again."
            : `The session could not be renewed (HTTP ${response.status}). Log in again.`,
        );
        return false;
      }
      store((await response.json()) as SessionTokens);
      if (state.status !== "active") setState({ status: "active", endedBecause: null });
      return true;
    } catch {
      // The network failed: keep the refresh token for the next try.
      return false;
    } finally {
      inflight = null;
    }
  })();
  return inflight;
}

/** Restores the session after a reload from the kept refresh token, or ends it saying why. */
export async function restore(): Promise<void> {
  if (!(await refresh()) && state.status === "restoring")
    endSession("The server could not be reached to restore your session. Log in again.");
}

/** A current access token, refreshing first when it is about to expire. */
export async function currentAccessToken(): Promise<string | null> {
  if (inflight) await inflight;
  if (!accessToken || Date.now() > expiresAt - EARLY_MS) {
    if (!(await refresh())) return null;
  }
  return accessToken;
}

/**
 * fetch with the access token: refreshes an expiring token first, and once more after a 401
 * (another tab or a revoked key may have outdated it), then gives up and ends the session.
 */
export async function authFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const token = await currentAccessToken();
  if (token) input.headers.set("Authorization", `Bearer ${token}`);
  const response = await fetch(input);
  if (response.status !== 401 || !token) return response;
  if (token === accessToken && !(await refresh())) return response;
  if (!accessToken) return response;
  retry.headers.set("Authorization", `Bearer ${accessToken}`);
  const second = await fetch(retry);
  if (second.status === 401) endSession("Your session is no longer valid. Log in again.");
  return second;
}

/** Ends the session on the server (the refresh token is revoked) and here. */
export async function logout(): Promise<void> {
  const token = sessionStorage.getItem(REFRESH_KEY);
  endSession("You have logged out.");
  if (!token) return;
  try {
    await fetch("/api/v1/auth/logout", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: token }),
    });
  } catch {
    // The local session is gone either way; the server's expires within the hour.
  }
}
