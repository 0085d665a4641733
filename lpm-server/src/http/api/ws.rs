//! The live job stream for browsers (SDD §5.1): `POST /api/v1/ws/ticket` hands out a single-use
//! ticket good for 60 s, and `GET /api/v1/ws/jobs?ticket=…` upgrades to a WebSocket that
//! carries job and job-host events in the caller's scope.
//!
//! Events travel through the store's `job_events` notifications, so a worker in another
//! process reaches browsers too. One subscription per web process feeds a broadcast channel;
//! each socket filters what it forwards by its user's scope, remembering the answer per host
//! and per job. Browsers are told to re-read state (`{"type":"resync"}`) when notices may have
//! been missed: the store's listener reconnected, or the socket fell behind.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Duration;
use lpm_core::ids::{HostId, JobId};
use lpm_core::ports::{Channel, Received};
use lpm_core::rbac::{HostFilter, Scope};
use lpm_store::Store;
use lpm_store::jobs::JobEvent;
use serde::{Deserialize, Serialize};
use tokio::sync::{OnceCell, broadcast};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Caller;
use crate::auth::{ExposeSecret, hash_token, new_ws_ticket};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiQuery, ApiResult, AppState};

/// How long a ticket is good for.
pub const TICKET_TTL_S: i64 = 60;

/// Events buffered per socket before it is told to resync.
const BUFFER: usize = 1024;

/// A ticket for one WebSocket connection.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WsTicket {
    /// The ticket: pass it as `?ticket=` to `/api/v1/ws/jobs`, once.
    pub ticket: String,
    /// Seconds until it expires.
    pub expires_in: i64,
}

/// A message on the job stream.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamMessage {
    /// A job or one of its hosts changed: re-read that row.
    Job {
        /// The job.
        job_id: i64,
        /// The job-host row, for host-level events.
        job_host_id: Option<i64>,
        /// The host, for host-level events.
        host_id: Option<i64>,
        /// The new state.
        state: String,
    },
    /// Events may have been missed: re-read what is on screen.
    Resync,
}

/// The query of the upgrade request.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamParams {
    /// A ticket from `POST /api/v1/ws/ticket`.
    pub ticket: String,
}

/// The web process's one subscription to job events, shared by every socket.
#[derive(Debug, Default)]
pub struct JobEventHub {
    sender: OnceCell<broadcast::Sender<StreamMessage>>,
}

impl JobEventHub {
    /// A receiver of every job event, starting the subscription on first use.
    pub async fn subscribe(&self, store: &Store) -> ApiResult<broadcast::Receiver<StreamMessage>> {
        let sender = self
            .sender
            .get_or_try_init(|| async {
                let mut subscription = store
                    .subscribe(&[Channel::JobEvents])
                    .await
                    .map_err(ApiError::internal)?;
                let (sender, _) = broadcast::channel(BUFFER);
                let relay = sender.clone();
                tokio::spawn(async move {
                    while let Some(received) = subscription.recv().await {
                        let message = match received {
                            Received::Resync => StreamMessage::Resync,
                            Received::Notice(notice) => {
                                match serde_json::from_str::<JobEvent>(&notice.payload) {
                                    Ok(e) => StreamMessage::Job {
                                        job_id: e.job_id,
                                        job_host_id: e.job_host_id,
                                        host_id: e.host_id,
                                        state: e.state,
                                    },
                                    Err(e) => {
                                        tracing::warn!(error = %e, "unreadable job event");
                                        continue;
                                    }
                                }
                            }
                        };
                        // No receiver is fine: nobody is watching.
                        let _ = relay.send(message);
                    }
                    tracing::warn!("job event subscription ended");
                });
                Ok::<_, ApiError>(sender)
            })
            .await?;
        Ok(sender.subscribe())
    }
}

/// Issues a single-use ticket for the job stream, valid 60 s.
#[utoipa::path(
    post,
    path = "/api/v1/ws/ticket",
    tag = "jobs",
    operation_id = "create_ws_ticket",
    responses(
        (status = 201, description = "A ticket", body = WsTicket),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
pub async fn create_ticket(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<(StatusCode, Json<WsTicket>)> {
    let (ticket, hash) = new_ws_ticket().map_err(ApiError::internal)?;
    let expires_at = state.clock.now() + Duration::seconds(TICKET_TTL_S);
    state
        .store
        .create_ws_ticket(&hash, caller.user_id(), expires_at)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(WsTicket {
            ticket: ticket.expose_secret().to_owned(),
            expires_in: TICKET_TTL_S,
        }),
    ))
}

/// Upgrades to the job stream: JSON `StreamMessage`s, one per text frame.
#[utoipa::path(
    get,
    path = "/api/v1/ws/jobs",
    tag = "jobs",
    operation_id = "stream_jobs",
    security(()),
    params(StreamParams),
    responses(
        (status = 101, description = "Switching to a WebSocket carrying StreamMessage frames", body = StreamMessage),
        (status = 400, description = "Not a WebSocket upgrade", body = ErrorBody),
        (status = 401, description = "Unknown, used or expired ticket", body = ErrorBody),
        (status = 422, description = "No ticket", body = ErrorBody),
    )
)]
pub async fn stream_jobs(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<StreamParams>,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> ApiResult<Response> {
    let upgrade = upgrade.map_err(|_| {
        ApiError::bad_request("Open this endpoint as a WebSocket (Upgrade: websocket).")
    })?;
    let now = state.clock.now();
    let user_id = state
        .store
        .consume_ws_ticket(&hash_token(&params.ticket), now)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_ticket",
                "The ticket is unknown, used or expired; ask for a new one.",
            )
        })?;
    let session = state
        .auth
        .sessions
        .get(&state.store, user_id)
        .await?
        .ok_or_else(|| ApiError::unauthorized("The user no longer exists."))?;
    let scope = Scope::for_user(&session.user)
        .map_err(|_| ApiError::unauthorized("This account is disabled."))?;
    let events = state.events.subscribe(&state.store).await?;
    let store = state.store.clone();
    Ok(upgrade.on_upgrade(move |socket| relay(socket, events, store, scope)))
}

async fn relay(
    mut socket: WebSocket,
    mut events: broadcast::Receiver<StreamMessage>,
    store: Store,
    scope: Scope,
) {
    let mut visible = Visibility::new(store, scope);
    loop {
        tokio::select! {
            event = events.recv() => {
                let message = match event {
                    Ok(message) => message,
                    Err(broadcast::error::RecvError::Lagged(_)) => StreamMessage::Resync,
                    Err(broadcast::error::RecvError::Closed) => break,
                };
                if !visible.allows(&message).await {
                    continue;
                }
                let Ok(text) = serde_json::to_string(&message) else { continue };
                if socket.send(Message::Text(text.into())).await.is_err() {
                    break;
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
        }
    }
}

/// Which events one socket may see, remembered per host and per job.
struct Visibility {
    store: Store,
    scope: Scope,
    hosts: HashMap<i64, bool>,
    jobs: HashMap<i64, bool>,
}

impl Visibility {
    fn new(store: Store, scope: Scope) -> Self {
        Self {
            store,
            scope,
            hosts: HashMap::new(),
            jobs: HashMap::new(),
        }
    }

    async fn allows(&mut self, message: &StreamMessage) -> bool {
        let StreamMessage::Job {
            job_id, host_id, ..
        } = message
        else {
            return true;
        };
        if self.scope.host_filter() == &HostFilter::All {
            return true;
        }
        match host_id {
            Some(host) => {
                if let Some(known) = self.hosts.get(host) {
                    return *known;
                }
                let seen = match HostId::new(*host) {
                    Ok(id) => self.store.get_host(&self.scope, id).await.is_ok(),
                    Err(_) => false,
                };
                self.hosts.insert(*host, seen);
                seen
            }
            None => {
                if let Some(known) = self.jobs.get(job_id) {
                    return *known;
                }
                let seen = match JobId::new(*job_id) {
                    Ok(id) => self.store.get_job(&self.scope, id).await.is_ok(),
                    Err(_) => false,
                };
                self.jobs.insert(*job_id, seen);
                seen
            }
        }
    }
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_ticket))
        .routes(routes!(stream_jobs))
}
