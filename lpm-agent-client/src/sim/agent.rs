//! One simulated agent: its handle ([`SimAgent`]), configuration, runtime faults, and the
//! server underneath (accept loop, TLS 1.3 with a required client certificate, HTTP/1.1 with
//! upgrades, reboots that really close the listener).

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use chrono::{DateTime, Utc};
use http::{Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use lpm_core::model::HostAddress;
use lpm_core::net::{Fqdn, Port};
use lpm_core::ports::Clock;
use rustls::ServerConfig;
use rustls::server::danger::ClientCertVerifier;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, watch};
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use crate::ConfigError;
use crate::sim::host::{HostState, Power};
use crate::sim::profile::{Distro, splitmix};
use crate::sim::{SimError, SystemClock, routes};
use crate::tls::{Identity, client_verifier, server_config};
use crate::wire::{self, ErrorEnvelope, codes};

/// How long a client may take to finish the TLS handshake before the agent hangs up.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long simulated work takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimTiming {
    /// From accepting a job to its first package. Default 500 ms.
    pub job_start: Duration,
    /// Per package changed. Default 300 ms.
    pub per_package: Duration,
    /// How long a rebooting host stays down (connections refused). Default 5 s.
    pub reboot_down: Duration,
    /// How long it then answers `503 starting`. Default 2 s.
    pub reboot_starting: Duration,
}

impl Default for SimTiming {
    fn default() -> Self {
        Self {
            job_start: Duration::from_millis(500),
            per_package: Duration::from_millis(300),
            reboot_down: Duration::from_secs(5),
            reboot_starting: Duration::from_secs(2),
        }
    }
}

impl SimTiming {
    /// Quick timings for tests: 5 ms to start, 10 ms per package, down 300 ms, starting 200 ms.
    pub fn fast() -> Self {
        Self {
            job_start: Duration::from_millis(5),
            per_package: Duration::from_millis(10),
            reboot_down: Duration::from_millis(300),
            reboot_starting: Duration::from_millis(200),
        }
    }
}

/// Failures a simulated agent can be told to show, at runtime, through
/// [`SimAgent::set_faults`]. `Default` is a healthy agent.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Added before every answer.
    pub latency: Duration,
    /// Every request is answered with this status (500, 502, 503 ...) and an error envelope.
    pub error_status: Option<u16>,
    /// Every request is read, then the connection is closed without an answer.
    pub drop_connections: bool,
    /// Every request is read and never answered (until this fault is cleared).
    pub hang: bool,
    /// Package-manager jobs fail after changing half of their packages (partial changes).
    pub fail_jobs_halfway: bool,
    /// New connections are accepted and never answered, not even the TLS handshake: a tarpit.
    /// They are closed when the fault is cleared.
    pub silent: bool,
    /// Health answers `degraded` (a disk check fails).
    pub degraded: bool,
    /// New connections are served with this certificate instead of the agent's own (one from
    /// another CA, or with other names).
    pub wrong_certificate: Option<Identity>,
}

/// The per-request part of [`Faults`], copied cheaply on every request.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RequestFaults {
    pub(crate) latency: Duration,
    pub(crate) error_status: Option<u16>,
    pub(crate) drop_connections: bool,
    pub(crate) hang: bool,
    pub(crate) fail_jobs_halfway: bool,
    pub(crate) silent: bool,
    pub(crate) degraded: bool,
}

#[derive(Debug, Default)]
struct FaultState {
    public: Faults,
    quick: RequestFaults,
    wrong_tls: Option<Arc<ServerConfig>>,
}

/// Everything needed to start one agent.
#[derive(Debug, Clone)]
pub struct SimAgentConfig {
    /// Where to listen (port 0 picks a free port).
    pub addr: SocketAddr,
    /// The host's FQDN (what `system/info` reports).
    pub fqdn: String,
    /// The agent's server certificate and key, issued by the CA.
    pub identity: Identity,
    /// The CA certificate (PEM) client certificates must chain to.
    pub ca_pem: String,
    /// CRLs (PEM) to check client certificates against.
    pub crls_pem: Vec<String>,
    /// Seed of the host's state (installed versions, job ids).
    pub seed: u64,
    /// The distribution; `None` picks one from the seed.
    pub distro: Option<Distro>,
    /// How long work takes.
    pub timing: SimTiming,
    /// Where timestamps come from.
    pub clock: Arc<dyn Clock>,
}

impl SimAgentConfig {
    /// A configuration with a seed derived from the address, the default timing and the
    /// system clock.
    pub fn new(addr: SocketAddr, fqdn: &str, identity: Identity, ca_pem: &str) -> Self {
        Self {
            addr,
            fqdn: fqdn.to_owned(),
            identity,
            ca_pem: ca_pem.to_owned(),
            crls_pem: Vec::new(),
            seed: seed_for(addr),
            distro: None,
            timing: SimTiming::default(),
            clock: Arc::new(SystemClock),
        }
    }
}

/// A seed from an address, so a fleet is the same on every run.
pub(crate) fn seed_for(addr: SocketAddr) -> u64 {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(v4) => u64::from(u32::from(v4)),
        std::net::IpAddr::V6(v6) => {
            let n = u128::from(v6);
            (n as u64) ^ ((n >> 64) as u64)
        }
    };
    splitmix(ip)
}

/// What every agent of one fleet shares: the client-certificate verifier (with the CRL), the
/// router, the timing and the clock.
#[derive(Debug)]
pub(crate) struct SimEnv {
    pub(crate) verifier: Arc<dyn ClientCertVerifier>,
    pub(crate) router: Router,
    pub(crate) timing: SimTiming,
    pub(crate) clock: Arc<dyn Clock>,
}

impl SimEnv {
    pub(crate) fn new(
        ca_pem: &str,
        crls_pem: &[String],
        timing: SimTiming,
        clock: Arc<dyn Clock>,
    ) -> Result<Arc<Self>, ConfigError> {
        Ok(Arc::new(Self {
            verifier: client_verifier(ca_pem, crls_pem)?,
            router: routes::router(),
            timing,
            clock,
        }))
    }
}

/// A request as the agent received it (before any injected fault), for tests that count
/// attempts or measure dispatch latency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// When it arrived (the agent's clock).
    pub at: DateTime<Utc>,
    /// `GET`, `POST` ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
}

/// Requests kept per agent; the oldest go first.
const REQUEST_LOG_LIMIT: usize = 10_000;

/// The per-agent state shared by its tasks.
pub(crate) struct AgentShared {
    pub(crate) env: Arc<SimEnv>,
    pub(crate) addr: SocketAddr,
    pub(crate) fqdn: String,
    pub(crate) distro: Distro,
    state: Mutex<HostState>,
    tls: Arc<ServerConfig>,
    faults: Mutex<FaultState>,
    faults_changed: watch::Sender<u64>,
    pub(crate) shutdown: CancellationToken,
    boot: Mutex<CancellationToken>,
    requests: Mutex<Vec<RequestRecord>>,
}

impl fmt::Debug for AgentShared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentShared")
            .field("addr", &self.addr)
            .field("fqdn", &self.fqdn)
            .finish_non_exhaustive()
    }
}

impl AgentShared {
    pub(crate) fn state(&self) -> MutexGuard<'_, HostState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn request_faults(&self) -> RequestFaults {
        self.faults
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .quick
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.env.clock.now()
    }

    pub(crate) fn boot_token(&self) -> CancellationToken {
        self.boot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// A receiver of job events, creating the channel on first use.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<wire::JobEvent> {
        let mut st = self.state();
        match &st.events {
            Some(tx) => tx.subscribe(),
            None => {
                let (tx, rx) = broadcast::channel(256);
                st.events = Some(tx);
                rx
            }
        }
    }

    /// Waits until `done` holds for the faults (checked now and after every change).
    async fn wait_faults(&self, done: impl Fn(&RequestFaults) -> bool) {
        let mut rx = self.faults_changed.subscribe();
        loop {
            if done(&self.request_faults()) {
                return;
            }
            if rx.changed().await.is_err() {
                return;
            }
        }
    }

    fn set_faults(&self, faults: Faults) -> Result<(), ConfigError> {
        let wrong_tls = faults
            .wrong_certificate
            .as_ref()
            .map(|id| server_config(id, self.env.verifier.clone()))
            .transpose()?;
        let quick = RequestFaults {
            latency: faults.latency,
            error_status: faults.error_status,
            drop_connections: faults.drop_connections,
            hang: faults.hang,
            fail_jobs_halfway: faults.fail_jobs_halfway,
            silent: faults.silent,
            degraded: faults.degraded,
        };
        *self.faults.lock().unwrap_or_else(PoisonError::into_inner) = FaultState {
            public: faults,
            quick,
            wrong_tls,
        };
        self.faults_changed.send_modify(|v| *v += 1);
        Ok(())
    }

    fn connection_tls(&self) -> (bool, Arc<ServerConfig>) {
        let f = self.faults.lock().unwrap_or_else(PoisonError::into_inner);
        (
            f.quick.silent,
            f.wrong_tls.clone().unwrap_or_else(|| self.tls.clone()),
        )
    }
}

/// A running simulated agent. Dropping the handle (or [`shutdown`](Self::shutdown)) stops it:
/// the listener closes, connections and jobs end.
#[derive(Debug)]
pub struct SimAgent {
    pub(crate) shared: Arc<AgentShared>,
}

impl Drop for SimAgent {
    fn drop(&mut self) {
        self.shared.shutdown.cancel();
    }
}

/// The identity-independent parts of an agent to start in an environment.
pub(crate) struct AgentSpec {
    pub(crate) addr: SocketAddr,
    pub(crate) fqdn: String,
    pub(crate) identity: Identity,
    pub(crate) seed: u64,
    pub(crate) distro: Option<Distro>,
}

impl SimAgent {
    /// Binds `config.addr` and starts serving the agent API: HTTPS and WSS, TLS 1.3 only, a
    /// client certificate from the CA required (and checked against the CRLs).
    pub async fn start(config: SimAgentConfig) -> Result<Self, SimError> {
        let env = SimEnv::new(
            &config.ca_pem,
            &config.crls_pem,
            config.timing,
            config.clock,
        )?;
        let spec = AgentSpec {
            addr: config.addr,
            fqdn: config.fqdn,
            identity: config.identity,
            seed: config.seed,
            distro: config.distro,
        };
        let listener = bind(spec.addr).await?;
        Self::start_in(env, spec, listener)
    }

    pub(crate) fn start_in(
        env: Arc<SimEnv>,
        spec: AgentSpec,
        listener: TcpListener,
    ) -> Result<Self, SimError> {
        let tls = server_config(&spec.identity, env.verifier.clone())?;
        let addr = listener.local_addr().map_err(|e| SimError::Bind {
            addr: spec.addr,
            detail: e.to_string(),
        })?;
        let distro = spec.distro.unwrap_or_else(|| {
            let i = usize::try_from(spec.seed % Distro::ALL.len() as u64).unwrap_or(0);
            Distro::ALL[i]
        });
        let state = HostState::new(distro, spec.seed, spec.fqdn.clone(), env.clock.now());
        let shutdown = CancellationToken::new();
        let boot = shutdown.child_token();
        let shared = Arc::new(AgentShared {
            env,
            addr,
            fqdn: spec.fqdn,
            distro,
            state: Mutex::new(state),
            tls,
            faults: Mutex::new(FaultState::default()),
            faults_changed: watch::Sender::new(0),
            shutdown,
            boot: Mutex::new(boot.clone()),
            requests: Mutex::new(Vec::new()),
        });
        tokio::spawn(accept_loop(shared.clone(), listener, boot));
        Ok(Self { shared })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// Its FQDN.
    pub fn fqdn(&self) -> &str {
        &self.shared.fqdn
    }

    /// The address a client uses: FQDN (when valid) and IP, and the port.
    pub fn host_address(&self) -> HostAddress {
        let port = Port::new(self.shared.addr.port()).unwrap_or_default();
        match Fqdn::new(&self.shared.fqdn) {
            Ok(fqdn) => HostAddress::new(Some(fqdn), Some(self.shared.addr.ip()), port)
                .unwrap_or_else(|_| ip_only(self.shared.addr.ip(), port)),
            Err(_) => ip_only(self.shared.addr.ip(), port),
        }
    }

    /// The address by IP only (the certificate is then checked against the IP SAN).
    pub fn ip_address(&self) -> HostAddress {
        let port = Port::new(self.shared.addr.port()).unwrap_or_default();
        ip_only(self.shared.addr.ip(), port)
    }

    /// Its distribution.
    pub fn distro(&self) -> Distro {
        self.shared.distro
    }

    /// The faults in force.
    pub fn faults(&self) -> Faults {
        self.shared
            .faults
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .public
            .clone()
    }

    /// Replaces the faults. Fails only when `wrong_certificate` is unusable.
    pub fn set_faults(&self, faults: Faults) -> Result<(), ConfigError> {
        self.shared.set_faults(faults)
    }

    /// Changes the faults in place.
    pub fn update_faults(&self, change: impl FnOnce(&mut Faults)) -> Result<(), ConfigError> {
        let mut faults = self.faults();
        change(&mut faults);
        self.set_faults(faults)
    }

    /// How many jobs were started with this idempotency key: 1 after any number of repeats.
    pub fn applied_count(&self, key: &str) -> u32 {
        self.shared.state().applied.get(key).copied().unwrap_or(0)
    }

    /// Jobs started per idempotency key.
    pub fn applied_counts(&self) -> HashMap<String, u32> {
        self.shared.state().applied.clone()
    }

    /// The installed packages, as `GET /api/v1/packages` would list them.
    pub fn installed(&self) -> Vec<wire::Package> {
        self.shared.state().packages()
    }

    /// The available patches, as `GET /api/v1/patches` would list them.
    pub fn patches(&self) -> Vec<wire::Patch> {
        self.shared.state().patches()
    }

    /// Every job, oldest first.
    pub fn jobs(&self) -> Vec<wire::Job> {
        self.shared
            .state()
            .jobs
            .iter()
            .map(|r| r.job.clone())
            .collect()
    }

    /// When the host last booted.
    pub fn last_boot(&self) -> DateTime<Utc> {
        self.shared.state().last_boot
    }

    /// How many times it rebooted since it started.
    pub fn reboots(&self) -> u32 {
        self.shared.state().boots
    }

    /// The requests received, oldest first (the last 10,000): every request that got as far
    /// as HTTP, including those answered with an injected fault.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Whether it serves requests now (not down or starting after a reboot).
    pub fn is_up(&self) -> bool {
        self.shared.state().power == Power::Up
    }

    /// Stops it and waits until its listener is closed.
    pub async fn shutdown(self) {
        self.shared.shutdown.cancel();
        // The accept loop drops the listener as soon as it sees the cancellation.
        tokio::task::yield_now().await;
    }
}

fn ip_only(ip: std::net::IpAddr, port: Port) -> HostAddress {
    #[allow(clippy::expect_used)] // `new` fails only when both the FQDN and the IP are missing
    HostAddress::new(None, Some(ip), port).expect("an IP address is a valid host address")
}

pub(crate) async fn bind(addr: SocketAddr) -> Result<TcpListener, SimError> {
    TcpListener::bind(addr).await.map_err(|e| SimError::Bind {
        addr,
        detail: e.to_string(),
    })
}

async fn accept_loop(shared: Arc<AgentShared>, listener: TcpListener, boot: CancellationToken) {
    loop {
        let accepted = tokio::select! {
            () = boot.cancelled() => return,
            r = listener.accept() => r,
        };
        let Ok((tcp, _peer)) = accepted else {
            // Out of descriptors or similar: back off instead of spinning.
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let shared = shared.clone();
        let boot = boot.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = boot.cancelled() => {}
                () = connection(shared, tcp) => {}
            }
        });
    }
}

async fn connection(shared: Arc<AgentShared>, tcp: TcpStream) {
    let (silent, tls) = shared.connection_tls();
    if silent {
        // Hold the socket without reading or writing until the fault is cleared.
        let _held = tcp;
        shared.wait_faults(|f| !f.silent).await;
        return;
    }
    let _ = tcp.set_nodelay(true);
    let accepted =
        tokio::time::timeout(HANDSHAKE_TIMEOUT, TlsAcceptor::from(tls).accept(tcp)).await;
    let Ok(Ok(stream)) = accepted else {
        return; // handshake refused (wrong version, no or bad client certificate) or too slow
    };
    let service = hyper::service::service_fn(move |req| handle(shared.clone(), req));
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades()
        .await;
}

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("injected fault: connection dropped")
    }
}

impl std::error::Error for DropConnection {}

async fn handle(
    shared: Arc<AgentShared>,
    mut req: Request<Incoming>,
) -> Result<Response<Body>, DropConnection> {
    {
        let record = RequestRecord {
            at: shared.now(),
            method: req.method().as_str().to_owned(),
            path: req.uri().path().to_owned(),
        };
        let mut log = shared
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if log.len() >= REQUEST_LOG_LIMIT {
            log.drain(..REQUEST_LOG_LIMIT / 2);
        }
        log.push(record);
    }
    let faults = shared.request_faults();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    if faults.hang {
        shared.wait_faults(|f| !f.hang).await;
    }
    if faults.drop_connections {
        return Err(DropConnection);
    }
    if let Some(status) = faults.error_status {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return Ok(error_response(status, codes::INTERNAL, "injected fault"));
    }
    let power = shared.state().power;
    if power != Power::Up {
        return Ok(error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::STARTING,
            "the agent is starting",
        ));
    }
    req.extensions_mut().insert(shared.clone());
    let router = shared.env.router.clone();
    match router.oneshot(req).await {
        Ok(response) => Ok(response),
        Err(never) => match never {},
    }
}

/// A JSON error envelope with `status`.
pub(crate) fn error_response(status: StatusCode, code: &str, message: &str) -> Response<Body> {
    json_response(status, &ErrorEnvelope::new(code, message))
}

/// `value` as a JSON answer with `status`.
pub(crate) fn json_response<T: serde::Serialize>(status: StatusCode, value: &T) -> Response<Body> {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

/// Reboots the host after `delay`: down (listener closed, connections dropped) for
/// `timing.reboot_down`, then `503 starting` for `timing.reboot_starting`, then up with a new
/// `last_boot`. `job` (the reboot job, if any) succeeds when the host is back.
pub(crate) fn schedule_reboot(shared: &Arc<AgentShared>, job: Option<String>, delay: Duration) {
    let shared = shared.clone();
    let stop = shared.shutdown.clone();
    tokio::spawn(async move {
        tokio::select! {
            () = stop.cancelled() => {}
            () = reboot(shared, job, delay) => {}
        }
    });
}

async fn reboot(shared: Arc<AgentShared>, job: Option<String>, delay: Duration) {
    tokio::time::sleep(delay).await;
    shared.state().power = Power::Down;
    {
        let mut boot = shared.boot.lock().unwrap_or_else(PoisonError::into_inner);
        boot.cancel();
        *boot = shared.shutdown.child_token();
    }
    tokio::time::sleep(shared.env.timing.reboot_down).await;
    let mut tries = 0;
    let listener = loop {
        match TcpListener::bind(shared.addr).await {
            Ok(l) => break l,
            Err(_) if tries < 100 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            // The address stays taken: the host stays down, as a real one might.
            Err(_) => return,
        }
    };
    let now = shared.now();
    {
        let mut st = shared.state();
        st.last_boot = now;
        st.agent_started = now;
        st.running_kernel = st
            .installed
            .get(st.profile.kernel)
            .copied()
            .flatten()
            .unwrap_or(st.running_kernel);
        st.reboot_required = false;
        st.reboot_pending = false;
        st.boots += 1;
        st.power = Power::Starting;
        if let Some(id) = &job {
            if let Some(record) = st.job_mut(id) {
                record.job.state = lpm_core::agent::AgentJobState::Succeeded;
                record.job.progress = 100;
                record.job.finished_at = Some(now);
            }
            st.emit(id, Some("System is back up.".into()), now);
        }
    }
    let boot = shared.boot_token();
    tokio::spawn(accept_loop(shared.clone(), listener, boot));
    tokio::time::sleep(shared.env.timing.reboot_starting).await;
    shared.state().power = Power::Up;
}
