// The typed API client: openapi-fetch over the generated schema, sending the session's access
// token (see session.ts), and the helpers pages use to turn answers into data or errors.

import createClient from "openapi-fetch";
import type { components, paths } from "./schema";
import { authFetch } from "./session";

/** The API's named schemas. */
export type Schemas = components["schemas"];

/** The client every page uses. */
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  fetch: authFetch,
});

/** An API error answer (SDD §8.4 envelope), or a failure to reach the server. */
export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly requestId: string | null,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer, or an ApiFailure naming what went wrong. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (e) {
    throw new ApiFailure(
      `The server could not be reached (${e instanceof Error ? e.message : String(e)}).`,
      0,
      "network",
      null,
    );
  }
  if (answer.response.ok) return answer.data as T;
  throw failureOf(answer.response, answer.error);
}

/** An ApiFailure from an error response and its parsed body. */
export function failureOf(response: Response, body: unknown): ApiFailure {
  const envelope = (body as { error?: Partial<Schemas["ErrorDetail"]> } | undefined)?.error;
  if (envelope && typeof envelope.message === "string") {
    return new ApiFailure(
      envelope.message,
      response.status,
      envelope.code ?? "error",
      envelope.request_id ?? response.headers.get("X-Request-Id"),
      (envelope.details ?? {}) as Record<string, unknown>,
    );
  }
  return new ApiFailure(
    `The server answered HTTP ${response.status}.`,
    response.status,
    "http_" + response.status,
    response.headers.get("X-Request-Id"),
  );
}

/** A human sentence for any error a page catches. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Downloads `path` (an API URL answering a file) with the session's token and hands it to the
 * browser as a file named by the answer's Content-Disposition, or `fallbackName`.
 */
export async function download(path: string, fallbackName: string): Promise<void> {
  const response = await authFetch(new Request(new URL(path, window.location.origin)));
  if (!response.ok) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    throw failureOf(response, body);
  }
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const named = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = named ?? fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * A client without the session, for the login steps, and for enrolment with the enrolment
 * token the login answered (passed as `bearer`).
 */
export function publicApi(bearer?: string) {
  return createClient<paths>({
    baseUrl: window.location.origin,
    headers: bearer ? { Authorization: `Bearer ${bearer}` } : {},
  });
}
