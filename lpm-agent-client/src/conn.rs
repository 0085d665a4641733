//! The transport under every call: resolve and allowlist-check the address, connect TCP, run
//! the TLS 1.3 handshake, speak HTTP/1.1 over it, and keep idle connections for reuse.
//!
//! Connections are keyed by (socket address, verified name) and pooled: at most
//! `max_idle_per_host` idle connections per key and `max_idle_total` in all, each dropped after
//! `pool_idle_timeout`. A request that fails on a reused connection before any answer arrived
//! (the agent closed it while idle) is sent once more on a fresh connection; that is safe
//! because reads are idempotent and every mutating call carries an idempotency key.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use lpm_core::model::HostAddress;
use rustls::pki_types::ServerName;
use rustls::{AlertDescription, CertificateError, ClientConfig};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::time::{Instant as TokioInstant, timeout, timeout_at};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::allowlist::Allowlist;
use crate::error::{ClientError, Phase, TlsFailure};
use crate::tls::ClientTls;

/// A TLS stream to an agent.
pub(crate) type AgentStream = TlsStream<TcpStream>;

/// Where one call goes: the socket address to connect to and the name to verify.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub(crate) addr: SocketAddr,
    pub(crate) server_name: ServerName<'static>,
    /// `name:port`, for the `Host` header and URLs.
    pub(crate) authority: String,
    /// For messages: `name (ip:port)` or `ip:port`.
    pub(crate) label: String,
}

impl Endpoint {
    /// An endpoint known by address only: the certificate is checked against the IP SAN.
    pub(crate) fn for_ip(addr: SocketAddr) -> Self {
        Self {
            addr,
            server_name: ServerName::IpAddress(addr.ip().into()),
            authority: addr.to_string(),
            label: addr.to_string(),
        }
    }
}

/// How messages name a host before it is resolved.
pub(crate) fn label_of(address: &HostAddress) -> String {
    let port = address.port().get();
    match (address.fqdn(), address.ip()) {
        (Some(name), Some(ip)) => format!("{name} ({})", SocketAddr::new(ip, port)),
        (Some(name), None) => format!("{name}:{port}"),
        (None, Some(ip)) => SocketAddr::new(ip, port).to_string(),
        (None, None) => String::from("(no address)"),
    }
}

/// One HTTP request.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub(crate) method: Method,
    /// Path and query, already encoded.
    pub(crate) path: &'a str,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) idempotency_key: Option<&'a str>,
}

#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) tls: ClientTls,
    pub(crate) allowlist: Option<Allowlist>,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pool: Pool,
}

impl Transport {
    pub(crate) fn new(
        tls: ClientTls,
        allowlist: Option<Allowlist>,
        connect_timeout: Duration,
        max_response_bytes: usize,
        pool_idle_timeout: Duration,
        max_idle_per_host: usize,
        max_idle_total: usize,
    ) -> Self {
        Self {
            tls,
            allowlist,
            connect_timeout,
            max_response_bytes,
            pool: Pool {
                idle: Mutex::new(HashMap::new()),
                total: AtomicUsize::new(0),
                puts: AtomicUsize::new(0),
                idle_timeout: pool_idle_timeout,
                max_per_host: max_idle_per_host,
                max_total: max_idle_total,
            },
        }
    }

    pub(crate) fn check_allowed(&self, ip: IpAddr) -> Result<(), ClientError> {
        match &self.allowlist {
            Some(list) if !list.allows(ip) => Err(ClientError::NotAllowed { ip }),
            _ => Ok(()),
        }
    }

    /// Where to connect for `address`: its IP when known, else the first allowed address its
    /// name resolves to; the name to verify is the FQDN when given, else the IP.
    pub(crate) async fn endpoint(&self, address: &HostAddress) -> Result<Endpoint, ClientError> {
        let port = address.port().get();
        let addr = match (address.ip(), address.fqdn()) {
            (Some(ip), _) => {
                self.check_allowed(ip)?;
                SocketAddr::new(ip, port)
            }
            (None, Some(name)) => {
                let deadline = TokioInstant::now() + self.connect_timeout;
                let found = timeout_at(deadline, tokio::net::lookup_host((name.as_str(), port)))
                    .await
                    .map_err(|_| ClientError::Timeout {
                        target: label_of(address),
                        phase: Phase::Resolve,
                        after: self.connect_timeout,
                    })?
                    .map_err(|e| ClientError::Resolve {
                        name: name.to_string(),
                        detail: e.to_string(),
                    })?
                    .collect::<Vec<_>>();
                let first = found.first().copied().ok_or_else(|| ClientError::Resolve {
                    name: name.to_string(),
                    detail: "no address".into(),
                })?;
                match found.iter().find(|a| self.check_allowed(a.ip()).is_ok()) {
                    Some(allowed) => *allowed,
                    None => return Err(ClientError::NotAllowed { ip: first.ip() }),
                }
            }
            (None, None) => {
                return Err(ClientError::InvalidRequest(
                    "the host address has neither an FQDN nor an IP".into(),
                ));
            }
        };
        Ok(match address.fqdn() {
            Some(name) => {
                let server_name = ServerName::try_from(name.as_str().to_owned()).map_err(|_| {
                    ClientError::InvalidRequest(format!("{name} is not a valid TLS server name"))
                })?;
                Endpoint {
                    addr,
                    server_name,
                    authority: format!("{name}:{port}"),
                    label: format!("{name} ({addr})"),
                }
            }
            None => Endpoint::for_ip(addr),
        })
    }

    /// TCP connect and TLS handshake, both before `deadline`.
    pub(crate) async fn connect(
        &self,
        ep: &Endpoint,
        config: &Arc<ClientConfig>,
        deadline: TokioInstant,
        budget: Duration,
    ) -> Result<AgentStream, ClientError> {
        // Checked again here, so that no code path reaches the network with a refused address.
        self.check_allowed(ep.addr.ip())?;
        let tcp = timeout_at(deadline, TcpStream::connect(ep.addr))
            .await
            .map_err(|_| ClientError::Timeout {
                target: ep.label.clone(),
                phase: Phase::Connect,
                after: budget,
            })?
            .map_err(|e| connect_error(&ep.label, &e))?;
        // Small requests and answers: do not wait to coalesce segments.
        let _ = tcp.set_nodelay(true);
        let connector = TlsConnector::from(config.clone());
        timeout_at(deadline, connector.connect(ep.server_name.clone(), tcp))
            .await
            .map_err(|_| ClientError::Timeout {
                target: ep.label.clone(),
                phase: Phase::TlsHandshake,
                after: budget,
            })?
            .map_err(|e| classify(&ep.label, &e))
    }

    /// Sends `call` to `ep` and reads the whole answer (status and body), reusing an idle
    /// connection when there is one. The caller bounds the time.
    pub(crate) async fn request(
        &self,
        ep: &Endpoint,
        call: &Call<'_>,
    ) -> Result<(StatusCode, Bytes), ClientError> {
        let key = PoolKey {
            addr: ep.addr,
            name: server_name_str(&ep.server_name),
        };
        if let Some(conn) = self.pool.take(&key) {
            match self.send_on(ep, conn, call).await {
                Ok((status, body, reusable)) => {
                    if let Some(conn) = reusable {
                        self.pool.put(key, conn);
                    }
                    return Ok((status, body));
                }
                Err(SendError::BeforeAnswer(_)) => {} // stale: try a fresh connection
                Err(SendError::After(e)) => return Err(e),
            }
        }
        let deadline = TokioInstant::now() + self.connect_timeout;
        let stream = self
            .connect(ep, &self.tls.strict, deadline, self.connect_timeout)
            .await?;
        let conn = handshake(ep, stream).await?;
        match self.send_on(ep, conn, call).await {
            Ok((status, body, reusable)) => {
                if let Some(conn) = reusable {
                    self.pool.put(key, conn);
                }
                Ok((status, body))
            }
            Err(SendError::BeforeAnswer(e) | SendError::After(e)) => Err(e),
        }
    }

    /// Sends one request on an HTTP/1.1 connection and reads the answer. Returns the sender
    /// for reuse when the connection stays open.
    pub(crate) async fn send_on(
        &self,
        ep: &Endpoint,
        mut conn: Conn,
        call: &Call<'_>,
    ) -> Result<(StatusCode, Bytes, Option<Conn>), SendError> {
        let request = build_request(ep, call).map_err(SendError::After)?;
        if let Err(e) = conn.sender.ready().await {
            return Err(SendError::BeforeAnswer(
                explain(ep, &mut conn, classify(&ep.label, &e)).await,
            ));
        }
        let response = match conn.sender.send_request(request).await {
            Ok(response) => response,
            Err(e) => {
                return Err(SendError::BeforeAnswer(
                    explain(ep, &mut conn, classify(&ep.label, &e)).await,
                ));
            }
        };
        let status = response.status();
        let closing = response
            .headers()
            .get(header::CONNECTION)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"close"));
        let body = match Limited::new(response.into_body(), self.max_response_bytes)
            .collect()
            .await
        {
            Ok(collected) => collected.to_bytes(),
            Err(e)
                if e.downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some() =>
            {
                return Err(SendError::After(ClientError::InvalidResponse {
                    target: ep.label.clone(),
                    detail: format!("answer larger than {} bytes", self.max_response_bytes),
                }));
            }
            Err(e) => {
                return Err(SendError::After(
                    explain(ep, &mut conn, classify(&ep.label, e.as_ref())).await,
                ));
            }
        };
        let reusable = (!closing && !conn.sender.is_closed()).then_some(conn);
        Ok((status, body, reusable))
    }
}

/// An HTTP/1.1 connection: the request sender, and the error its driver task ended with.
///
/// With TLS 1.3 the client finishes its handshake before the agent has checked the client
/// certificate, so an agent that refuses it (unknown CA, revoked) says so with an alert on the
/// first read. That alert reaches the connection's driver task, while the request side may
/// only learn that the connection closed; `died` carries the real cause back.
#[derive(Debug)]
pub(crate) struct Conn {
    sender: SendRequest<Full<Bytes>>,
    died: oneshot::Receiver<hyper::Error>,
}

/// Runs the HTTP/1.1 handshake on a fresh TLS stream and drives the connection in a task.
pub(crate) async fn handshake(ep: &Endpoint, stream: AgentStream) -> Result<Conn, ClientError> {
    let (sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| classify(&ep.label, &e))?;
    let (report, died) = oneshot::channel();
    tokio::spawn(async move {
        // Ends when the agent closes the connection or the last sender is dropped.
        if let Err(e) = connection.await {
            let _ = report.send(e);
        }
    });
    Ok(Conn { sender, died })
}

/// The most specific description of a failure on `conn`: the connection's own error when the
/// request side saw only that the connection went away.
async fn explain(ep: &Endpoint, conn: &mut Conn, first: ClientError) -> ClientError {
    if !matches!(first, ClientError::ConnectionLost { .. }) {
        return first;
    }
    match timeout(Duration::from_millis(200), &mut conn.died).await {
        Ok(Ok(cause)) => match classify(&ep.label, &cause) {
            ClientError::ConnectionLost { .. } => first,
            better => better,
        },
        _ => first,
    }
}

fn build_request(ep: &Endpoint, call: &Call<'_>) -> Result<Request<Full<Bytes>>, ClientError> {
    let mut builder = Request::builder()
        .method(call.method.clone())
        .uri(call.path)
        .header(header::HOST, &ep.authority)
        .header(header::ACCEPT, "application/json")
        .header(
            header::USER_AGENT,
            concat!("lpm-agent-client/", env!("CARGO_PKG_VERSION")),
        );
    if let Some(key) = call.idempotency_key {
        builder = builder.header(crate::wire::IDEMPOTENCY_KEY_HEADER, key);
    }
    let body = match &call.body {
        Some(bytes) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            Full::new(Bytes::from(bytes.clone()))
        }
        None => Full::new(Bytes::new()),
    };
    builder
        .body(body)
        .map_err(|e| ClientError::InvalidRequest(format!("cannot build the request: {e}")))
}

/// Why [`Transport::send_on`] failed: before any answer (the connection may have been stale)
/// or after.
#[derive(Debug)]
pub(crate) enum SendError {
    BeforeAnswer(ClientError),
    After(ClientError),
}

fn server_name_str(name: &ServerName<'_>) -> String {
    match name {
        ServerName::DnsName(d) => d.as_ref().to_owned(),
        ServerName::IpAddress(ip) => IpAddr::from(*ip).to_string(),
        _ => String::new(),
    }
}

fn connect_error(target: &str, e: &io::Error) -> ClientError {
    let detail = match e.kind() {
        io::ErrorKind::ConnectionRefused => "refused".to_owned(),
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
            "unreachable".to_owned()
        }
        _ => e.to_string(),
    };
    ClientError::Connect {
        target: target.to_owned(),
        detail,
    }
}

/// Classifies any transport error by walking its source chain for a rustls error or an I/O
/// error (looking inside I/O errors too, whose `source()` skips the error they wrap).
pub(crate) fn classify(target: &str, err: &(dyn StdError + 'static)) -> ClientError {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    let mut io_kind = None;
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return tls_error(target, tls);
        }
        if let Some(io) = e.downcast_ref::<io::Error>() {
            io_kind.get_or_insert(io.kind());
            if let Some(inner) = io.get_ref() {
                if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
                    return tls_error(target, tls);
                }
                current = Some(inner);
                continue;
            }
        }
        current = e.source();
    }
    match io_kind {
        Some(io::ErrorKind::ConnectionRefused) => ClientError::Connect {
            target: target.to_owned(),
            detail: "refused".into(),
        },
        _ => ClientError::ConnectionLost {
            target: target.to_owned(),
            detail: err.to_string(),
        },
    }
}

fn tls_error(target: &str, e: &rustls::Error) -> ClientError {
    use AlertDescription as A;
    let kind = match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                TlsFailure::NameMismatch
            }
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => TlsFailure::Expired,
            CertificateError::Revoked => TlsFailure::Revoked,
            CertificateError::UnknownIssuer | CertificateError::BadSignature => {
                TlsFailure::UnknownIssuer
            }
            _ => TlsFailure::Other,
        },
        rustls::Error::AlertReceived(alert) => match alert {
            A::BadCertificate
            | A::UnsupportedCertificate
            | A::CertificateRevoked
            | A::CertificateExpired
            | A::CertificateUnknown
            | A::UnknownCA
            | A::AccessDenied
            | A::CertificateRequired => TlsFailure::RejectedByPeer,
            A::ProtocolVersion => TlsFailure::ProtocolVersion,
            _ => TlsFailure::Other,
        },
        rustls::Error::PeerIncompatible(_) => TlsFailure::ProtocolVersion,
        _ => TlsFailure::Other,
    };
    ClientError::Tls {
        target: target.to_owned(),
        kind,
        detail: e.to_string(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PoolKey {
    addr: SocketAddr,
    name: String,
}

#[derive(Debug)]
struct Idle {
    conn: Conn,
    since: Instant,
}

#[derive(Debug)]
struct Pool {
    idle: Mutex<HashMap<PoolKey, Vec<Idle>>>,
    total: AtomicUsize,
    puts: AtomicUsize,
    idle_timeout: Duration,
    max_per_host: usize,
    max_total: usize,
}

impl Pool {
    fn take(&self, key: &PoolKey) -> Option<Conn> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let list = idle.get_mut(key)?;
        let mut found = None;
        while let Some(entry) = list.pop() {
            self.total.fetch_sub(1, Ordering::Relaxed);
            if entry.since.elapsed() < self.idle_timeout
                && !entry.conn.sender.is_closed()
                && entry.conn.sender.is_ready()
            {
                found = Some(entry.conn);
                break;
            }
        }
        if list.is_empty() {
            idle.remove(key);
        }
        found
    }

    fn put(&self, key: PoolKey, conn: Conn) {
        if self.max_per_host == 0 || self.max_total == 0 {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if self.puts.fetch_add(1, Ordering::Relaxed) % 64 == 63 {
            // Now and then drop every expired or closed connection, so idle sockets do not
            // pile up for hosts that are not called again.
            let timeout = self.idle_timeout;
            let mut removed = 0;
            idle.retain(|_, list| {
                let before = list.len();
                list.retain(|e| e.since.elapsed() < timeout && !e.conn.sender.is_closed());
                removed += before - list.len();
                !list.is_empty()
            });
            self.total.fetch_sub(removed, Ordering::Relaxed);
        }
        if self.total.load(Ordering::Relaxed) >= self.max_total {
            return; // dropping the connection closes it
        }
        let list = idle.entry(key).or_default();
        if list.len() < self.max_per_host {
            list.push(Idle {
                conn,
                since: Instant::now(),
            });
            self.total.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Percent-encodes a path segment or query value: everything but `A-Z a-z 0-9 - . _ ~`.
pub(crate) fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_encoded() {
        assert_eq!(encode_component("libstdc++6"), "libstdc%2B%2B6");
        assert_eq!(encode_component("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(encode_component("01J-x_y.z~"), "01J-x_y.z~");
    }

    #[test]
    fn io_errors_are_classified() {
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert_eq!(classify("t", &refused).code(), "connection_refused");
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert_eq!(classify("t", &reset).code(), "connection_lost");
        let tls = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
        );
        assert_eq!(classify("t", &tls).code(), "tls_unknown_issuer");
        let alert = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::AlertReceived(AlertDescription::CertificateRevoked),
        );
        assert_eq!(classify("t", &alert).code(), "tls_rejected_by_agent");
    }
}
