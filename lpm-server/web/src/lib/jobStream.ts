// The live job stream (SDD §5.1): a single-use ticket from POST /api/v1/ws/ticket, then a
// WebSocket to /api/v1/ws/jobs?ticket=… on the same origin. Messages say which job or job-host
// changed; pages re-read what they show. The socket reconnects with a fresh ticket after a drop,
// and pages are told to resync since events may have been missed meanwhile.

import { useEffect, useRef, useState } from "react";
import { api, unwrap, type Schemas } from "../api/client";

export type StreamMessage = Schemas["StreamMessage"];
export type StreamStatus = "connecting" | "live" | "reconnecting";

/** Subscribes to job events while mounted; `onMessage` sees each one (and `resync`s). */
export function useJobStream(onMessage: (message: StreamMessage) => void): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    let socket: WebSocket | null = null;
    let stopped = false;
    let retry = 0;
    let timer: number | undefined;
    let everOpened = false;

    async function connect() {
      try {
        const { ticket } = await unwrap(api.POST("/api/v1/ws/ticket"));
        if (stopped) return;
        const url = new URL("/api/v1/ws/jobs", window.location.href);
        url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
        url.searchParams.set("ticket", ticket);
        socket = new WebSocket(url);
        socket.onopen = () => {
          retry = 0;
          setStatus("live");
          // Whatever happened while disconnected is unknown: re-read.
          if (everOpened) handler.current({ type: "resync" });
          everOpened = true;
        };
        socket.onmessage = (event) => {
          try {
            handler.current(JSON.parse(String(event.data)) as StreamMessage);
          } catch {
            // Not JSON: ignore rather than break the stream.
          }
        };
        socket.onclose = () => schedule();
      } catch {
        schedule();
      }
    }

    function schedule() {
      if (stopped) return;
      setStatus("reconnecting");
      const delay = Math.min(30_000, 1000 * 2 ** retry++);
      timer = window.setTimeout(() => void connect(), delay);
    }

    void connect();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      if (socket) {
        socket.onclose = null;
        socket.close();
      }
    };
  }, []);

  return status;
}

/** Calls `fn` at most once per `ms`, trailing: bursts of events cause one re-read. */
export function throttle(fn: () => void, ms: number): () => void {
  let timer: number | undefined;
  return () => {
    if (timer !== undefined) return;
    timer = window.setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
}
