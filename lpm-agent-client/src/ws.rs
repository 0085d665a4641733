//! The job event stream, `WS /api/v1/ws/jobs`, over the same mutual TLS as every other call.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::{Stream, StreamExt};
use lpm_core::model::HostAddress;
use tokio::time::{Instant as TokioInstant, timeout_at};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::client::{AgentClient, status_error};
use crate::conn::{AgentStream, label_of};
use crate::error::{ClientError, Phase};
use crate::wire::{JobEvent, paths};

/// A live job event stream from one agent: a [`Stream`] of [`JobEvent`]s that ends when the
/// agent closes it. Events are sent for jobs that start after the stream opened; a client that
/// reconnects reads `GET /api/v1/jobs/{id}` to catch up.
#[derive(Debug)]
pub struct JobEventStream {
    inner: WebSocketStream<AgentStream>,
    target: String,
}

impl AgentClient {
    /// Opens `WS /api/v1/ws/jobs`: TCP, the TLS 1.3 handshake and the WebSocket upgrade,
    /// within the per-call timeout.
    pub async fn job_events(&self, address: &HostAddress) -> Result<JobEventStream, ClientError> {
        let deadline = TokioInstant::now() + self.call_timeout;
        let timed_out = || ClientError::Timeout {
            target: label_of(address),
            phase: Phase::Call,
            after: self.call_timeout,
        };
        let ep = timeout_at(deadline, self.transport.endpoint(address))
            .await
            .map_err(|_| timed_out())??;
        let connect_deadline = deadline.min(TokioInstant::now() + self.transport.connect_timeout);
        let stream = self
            .transport
            .connect(
                &ep,
                &self.transport.tls.strict,
                connect_deadline,
                self.transport.connect_timeout,
            )
            .await?;
        let request = format!("wss://{}{}", ep.authority, paths::WS_JOBS)
            .into_client_request()
            .map_err(|e| ClientError::InvalidRequest(format!("WebSocket request: {e}")))?;
        let (inner, _response) =
            timeout_at(deadline, tokio_tungstenite::client_async(request, stream))
                .await
                .map_err(|_| timed_out())?
                .map_err(|e| ws_error(&ep.label, e))?;
        Ok(JobEventStream {
            inner,
            target: ep.label,
        })
    }
}

impl JobEventStream {
    /// Closes the stream politely (a WebSocket close frame).
    pub async fn close(mut self) -> Result<(), ClientError> {
        let target = self.target.clone();
        match self.inner.close(None).await {
            Ok(()) | Err(tungstenite::Error::ConnectionClosed) => Ok(()),
            Err(e) => Err(ws_error(&target, e)),
        }
    }
}

impl Stream for JobEventStream {
    type Item = Result<JobEvent, ClientError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            let message = match self.inner.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(tungstenite::Error::ConnectionClosed))) => {
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(e))) => {
                    let err = ws_error(&self.target, e);
                    return Poll::Ready(Some(Err(err)));
                }
                Poll::Ready(Some(Ok(m))) => m,
            };
            match message {
                Message::Text(text) => {
                    let parsed = serde_json::from_str::<JobEvent>(text.as_str()).map_err(|e| {
                        ClientError::InvalidResponse {
                            target: self.target.clone(),
                            detail: format!("job event: {e}"),
                        }
                    });
                    return Poll::Ready(Some(parsed));
                }
                Message::Close(_) => return Poll::Ready(None),
                // Pings are answered by tungstenite while reading; binary frames are not part
                // of the contract.
                Message::Ping(_) | Message::Pong(_) | Message::Binary(_) | Message::Frame(_) => {}
            }
        }
    }
}

fn ws_error(target: &str, e: tungstenite::Error) -> ClientError {
    match e {
        tungstenite::Error::Http(response) => {
            let status = response.status().as_u16();
            let body = response.body().as_deref().unwrap_or_default();
            status_error(target, status, body)
        }
        tungstenite::Error::Io(io) => crate::conn::classify(target, &io),
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => {
            ClientError::ConnectionLost {
                target: target.to_owned(),
                detail: "WebSocket closed".into(),
            }
        }
        other => ClientError::InvalidResponse {
            target: target.to_owned(),
            detail: format!("WebSocket: {other}"),
        },
    }
}
