//! The simulator's HTTP routes: one axum router shared by every agent of a fleet; each request
//! carries its agent in an extension.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Extension, Path, RawQuery};
use axum::routing::{get, post, put};
use http::{HeaderMap, Response, StatusCode};
use lpm_core::agent::AgentJobState;
use serde::de::DeserializeOwned;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::sim::agent::{AgentShared, error_response, json_response};
use crate::sim::jobs::{Work, start};
use crate::wire::{
    self, ApplyRequest, Health, HealthStatus, InstallRequest, JobList, PackageList, PatchList,
    RebootRequest, UpdateRequest, codes, paths,
};

type Agent = Extension<Arc<AgentShared>>;

/// How often the job stream pings an idle client.
const WS_PING: Duration = Duration::from_secs(20);

pub(crate) fn router() -> Router {
    Router::new()
        .route(paths::HEALTH, get(health))
        .route(paths::SYSTEM_INFO, get(system_info))
        .route(paths::REBOOT, post(reboot))
        .route(paths::PACKAGES, get(packages).post(install))
        .route("/api/v1/packages/{name}", put(update).delete(remove))
        .route(paths::PATCHES, get(patches))
        .route(paths::APPLY, post(apply))
        .route(paths::JOBS, get(jobs))
        .route("/api/v1/jobs/{id}", get(job))
        .route("/api/v1/jobs/{id}/rollback", post(rollback))
        .route(paths::WS_JOBS, get(job_stream))
        .fallback(not_found)
}

async fn not_found() -> Response<Body> {
    error_response(StatusCode::NOT_FOUND, codes::NOT_FOUND, "no such endpoint")
}

fn bad_request(message: &str) -> Response<Body> {
    error_response(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, message)
}

/// Parses a JSON body into `T` (an empty body reads as `{}`); the error is for `400`.
/// Returns the value and the body's canonical text (for the idempotency fingerprint).
fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<(T, String), String> {
    let text: &[u8] = if body.is_empty() { b"{}" } else { body };
    let value: serde_json::Value =
        serde_json::from_slice(text).map_err(|e| format!("the body is not JSON: {e}"))?;
    let canonical = value.to_string();
    let parsed = serde_json::from_value(value).map_err(|e| format!("unexpected body: {e}"))?;
    Ok((parsed, canonical))
}

/// The query string as decoded (name, value) pairs.
fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode_component(k), decode_component(v))
        })
        .collect()
}

fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

async fn health(Extension(agent): Agent) -> Response<Body> {
    let degraded = agent.request_faults().degraded;
    let now = agent.now();
    let st = agent.state();
    let uptime = (now - st.agent_started).num_seconds().max(0);
    let mut checks = std::collections::BTreeMap::new();
    let pm = if st.running.is_some() { "busy" } else { "ok" };
    checks.insert("package_manager".to_owned(), pm.to_owned());
    let disk = if degraded {
        "low: 3% free on /var"
    } else {
        "ok"
    };
    checks.insert("disk".to_owned(), disk.to_owned());
    let health = Health {
        status: if degraded {
            HealthStatus::Degraded
        } else {
            HealthStatus::Ok
        },
        version: super::AGENT_VERSION.to_owned(),
        uptime_s: u64::try_from(uptime).unwrap_or(0),
        checks,
    };
    json_response(StatusCode::OK, &health)
}

async fn system_info(Extension(agent): Agent) -> Response<Body> {
    let info = agent.state().system_info();
    json_response(StatusCode::OK, &info)
}

async fn packages(Extension(agent): Agent, RawQuery(query): RawQuery) -> Response<Body> {
    let mut page = None;
    let mut per_page = None;
    for (k, v) in query_pairs(query.as_deref()) {
        let n = match v.parse::<u32>() {
            Ok(n) => n,
            Err(_) => return bad_request(&format!("{k} must be a positive number")),
        };
        match k.as_str() {
            "page" => page = Some(n),
            "per_page" => per_page = Some(n),
            _ => {}
        }
    }
    let all = agent.state().packages();
    let total = all.len() as u64;
    let packages = match (page, per_page) {
        (None, None) => all,
        (page, per_page) => {
            let page = page.unwrap_or(1);
            let per_page = per_page.unwrap_or(50);
            if page == 0 || per_page == 0 || per_page > 1000 {
                return bad_request("page starts at 1; per_page is 1 to 1000");
            }
            let skip = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
            let take = usize::try_from(per_page).unwrap_or(usize::MAX);
            all.into_iter().skip(skip).take(take).collect()
        }
    };
    json_response(StatusCode::OK, &PackageList { packages, total })
}

async fn patches(Extension(agent): Agent) -> Response<Body> {
    let st = agent.state();
    let list = PatchList {
        patches: st.patches(),
        checked_at: st.checked_at,
    };
    json_response(StatusCode::OK, &list)
}

async fn apply(Extension(agent): Agent, headers: HeaderMap, body: Bytes) -> Response<Body> {
    match parse::<ApplyRequest>(&body) {
        Ok((req, canonical)) => start(
            &agent,
            &headers,
            format!("POST {} {canonical}", paths::APPLY),
            Work::Apply(req),
        ),
        Err(message) => bad_request(&message),
    }
}

async fn install(Extension(agent): Agent, headers: HeaderMap, body: Bytes) -> Response<Body> {
    match parse::<InstallRequest>(&body) {
        Ok((req, canonical)) => start(
            &agent,
            &headers,
            format!("POST {} {canonical}", paths::PACKAGES),
            Work::Install(req),
        ),
        Err(message) => bad_request(&message),
    }
}

async fn update(
    Extension(agent): Agent,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    match parse::<UpdateRequest>(&body) {
        Ok((req, canonical)) => start(
            &agent,
            &headers,
            format!("PUT {}/{name} {canonical}", paths::PACKAGES),
            Work::Update(name, req.version),
        ),
        Err(message) => bad_request(&message),
    }
}

async fn remove(
    Extension(agent): Agent,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response<Body> {
    let fingerprint = format!("DELETE {}/{name}", paths::PACKAGES);
    start(&agent, &headers, fingerprint, Work::Remove(name))
}

async fn jobs(Extension(agent): Agent, RawQuery(query): RawQuery) -> Response<Body> {
    let mut state = None;
    let mut key = None;
    for (k, v) in query_pairs(query.as_deref()) {
        match k.as_str() {
            "state" => match v.parse::<AgentJobState>() {
                Ok(s) => state = Some(s),
                Err(_) => return bad_request(&format!("unknown job state {v:?}")),
            },
            "idempotency_key" => key = Some(v),
            _ => {}
        }
    }
    let st = agent.state();
    let jobs = st
        .jobs
        .iter()
        .map(|r| &r.job)
        .filter(|j| state.is_none_or(|s| j.state == s))
        .filter(|j| {
            key.as_deref()
                .is_none_or(|k| j.idempotency_key.as_deref() == Some(k))
        })
        .cloned()
        .collect();
    json_response(StatusCode::OK, &JobList { jobs })
}

async fn job(Extension(agent): Agent, Path(id): Path<String>) -> Response<Body> {
    match agent.state().job(&id) {
        Some(record) => json_response(StatusCode::OK, &record.job),
        None => error_response(
            StatusCode::NOT_FOUND,
            codes::NOT_FOUND,
            &format!("no job {id}"),
        ),
    }
}

async fn rollback(
    Extension(agent): Agent,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response<Body> {
    let fingerprint = format!("POST {}/{id}/rollback", paths::JOBS);
    start(&agent, &headers, fingerprint, Work::Rollback(id))
}

async fn reboot(Extension(agent): Agent, headers: HeaderMap, body: Bytes) -> Response<Body> {
    match parse::<RebootRequest>(&body) {
        Ok((req, canonical)) => start(
            &agent,
            &headers,
            format!("POST {} {canonical}", paths::REBOOT),
            Work::Reboot(req.delay_s),
        ),
        Err(message) => bad_request(&message),
    }
}

async fn job_stream(Extension(agent): Agent, upgrade: WebSocketUpgrade) -> Response<Body> {
    // Subscribe now: the stream carries every event of jobs that start after this request.
    let events = agent.subscribe();
    let boot = agent.boot_token();
    upgrade.on_upgrade(move |socket| stream_events(socket, events, boot))
}

async fn stream_events(
    mut socket: WebSocket,
    mut events: broadcast::Receiver<wire::JobEvent>,
    boot: CancellationToken,
) {
    let mut ping = tokio::time::interval(WS_PING);
    ping.tick().await;
    loop {
        tokio::select! {
            () = boot.cancelled() => break,
            event = events.recv() => match event {
                Ok(event) => {
                    let Ok(text) = serde_json::to_string(&event) else { continue };
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                // A slow reader missed events; it can catch up with GET /api/v1/jobs/{id}.
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => break,
            },
            _ = ping.tick() => {
                if socket.send(Message::Ping(Bytes::new())).await.is_err() {
                    break;
                }
            }
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => {}
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_decoded() {
        assert_eq!(
            query_pairs(Some("idempotency_key=a%2Bb%20c&state=running&x")),
            vec![
                ("idempotency_key".to_owned(), "a+b c".to_owned()),
                ("state".to_owned(), "running".to_owned()),
                ("x".to_owned(), String::new()),
            ]
        );
        assert_eq!(decode_component("%zz%4"), "%zz%4");
    }
}
