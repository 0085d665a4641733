//! [`AgentClient`]: one typed method per endpoint of the agent API, over mutual TLS 1.3 with the
//! manager's identity and the internal CA as the only trust root.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, StatusCode};
use lpm_core::model::HostAddress;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::{Instant as TokioInstant, timeout_at};

use crate::allowlist::Allowlist;
use crate::conn::{Call, Endpoint, Transport, encode_component, label_of};
use crate::error::{ClientError, ConfigError, Phase};
use crate::key::IdempotencyKey;
use crate::tls::{Identity, client_tls};
use crate::wire::{
    ApplyRequest, ErrorEnvelope, Health, InstallRequest, Job, JobAccepted, JobList, JobQuery,
    PackageList, PageQuery, PatchList, RebootRequest, SystemInfo, UpdateRequest, paths,
};

/// How the client behaves. `Default` gives the values documented on each field.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// TCP connect plus TLS handshake. Default 5 s.
    pub connect_timeout: Duration,
    /// A whole call: connect (when no idle connection exists), send, and read the full answer.
    /// Default 30 s. Override for one call with [`AgentClient::with_call_timeout`].
    pub call_timeout: Duration,
    /// How long an idle connection is kept for reuse. Default 30 s.
    pub pool_idle_timeout: Duration,
    /// Idle connections kept per agent. Default 1 (0 turns pooling off).
    pub max_idle_per_host: usize,
    /// Idle connections kept in all, so a sweep over thousands of hosts does not leave
    /// thousands of sockets open. Default 256.
    pub max_idle_total: usize,
    /// The largest answer accepted, in bytes. Default 32 MiB.
    pub max_response_bytes: usize,
    /// The agent networks calls may go to (AD-18); `None` allows every address.
    pub allowlist: Option<Allowlist>,
    /// CRLs of the internal CA (PEM): an agent whose certificate is listed is refused.
    pub crls_pem: Vec<String>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            call_timeout: Duration::from_secs(30),
            pool_idle_timeout: Duration::from_secs(30),
            max_idle_per_host: 1,
            max_idle_total: 256,
            max_response_bytes: 32 * 1024 * 1024,
            allowlist: None,
            crls_pem: Vec::new(),
        }
    }
}

/// The typed agent API client. Cheap to clone (the connection pool is shared).
///
/// Hosts are addressed by lpm-core's [`HostAddress`]: the client connects to the IP when it is
/// known (else to what the FQDN resolves to) and verifies the agent certificate against the
/// FQDN when one is given, else against the IP address SAN.
#[derive(Debug, Clone)]
pub struct AgentClient {
    pub(crate) transport: Arc<Transport>,
    pub(crate) call_timeout: Duration,
}

impl AgentClient {
    /// A client that trusts only `ca_pem` (the internal CA) and presents `identity` (the
    /// manager's client certificate), speaking TLS 1.3 only.
    pub fn new(
        ca_pem: &str,
        identity: &Identity,
        options: ClientOptions,
    ) -> Result<Self, ConfigError> {
        for (option, value) in [
            ("connect_timeout", options.connect_timeout),
            ("call_timeout", options.call_timeout),
        ] {
            if value.is_zero() {
                return Err(ConfigError::Option {
                    option,
                    reason: "must be more than zero".into(),
                });
            }
        }
        let tls = client_tls(ca_pem, identity, &options.crls_pem)?;
        Ok(Self {
            transport: Arc::new(Transport::new(
                tls,
                options.allowlist,
                options.connect_timeout,
                options.max_response_bytes,
                options.pool_idle_timeout,
                options.max_idle_per_host,
                options.max_idle_total,
            )),
            call_timeout: options.call_timeout,
        })
    }

    /// The same client (sharing its connections) with another per-call timeout.
    pub fn with_call_timeout(&self, call_timeout: Duration) -> Self {
        Self {
            transport: self.transport.clone(),
            call_timeout,
        }
    }

    /// The per-call timeout in force.
    pub fn call_timeout(&self) -> Duration {
        self.call_timeout
    }

    /// The allowlist in force, if any.
    pub fn allowlist(&self) -> Option<&Allowlist> {
        self.transport.allowlist.as_ref()
    }

    /// Connects and completes the TLS 1.3 handshake, then closes: no HTTP request. Checks
    /// that the agent is reachable and presents a valid certificate for its name, within the
    /// connect timeout. (With TLS 1.3 the agent checks the manager's certificate after the
    /// client has finished; a refusal of it shows on the first request, not here.)
    pub async fn handshake(&self, address: &HostAddress) -> Result<(), ClientError> {
        let deadline = TokioInstant::now() + self.transport.connect_timeout;
        let ep = timeout_at(deadline, self.transport.endpoint(address))
            .await
            .map_err(|_| ClientError::Timeout {
                target: label_of(address),
                phase: Phase::Resolve,
                after: self.transport.connect_timeout,
            })??;
        let stream = self
            .transport
            .connect(
                &ep,
                &self.transport.tls.strict,
                deadline,
                self.transport.connect_timeout,
            )
            .await?;
        drop(stream);
        Ok(())
    }

    /// `GET /api/v1/health`.
    pub async fn health(&self, address: &HostAddress) -> Result<Health, ClientError> {
        self.get(address, paths::HEALTH).await
    }

    /// `GET /api/v1/system/info`.
    pub async fn system_info(&self, address: &HostAddress) -> Result<SystemInfo, ClientError> {
        self.get(address, paths::SYSTEM_INFO).await
    }

    /// `GET /api/v1/packages`: all installed packages, or one page of them.
    pub async fn packages(
        &self,
        address: &HostAddress,
        page: Option<PageQuery>,
    ) -> Result<PackageList, ClientError> {
        match page {
            None => self.get(address, paths::PACKAGES).await,
            Some(p) => {
                let path = format!(
                    "{}?page={}&per_page={}",
                    paths::PACKAGES,
                    p.page,
                    p.per_page
                );
                self.get(address, &path).await
            }
        }
    }

    /// `GET /api/v1/patches`.
    pub async fn patches(&self, address: &HostAddress) -> Result<PatchList, ClientError> {
        self.get(address, paths::PATCHES).await
    }

    /// `POST /api/v1/patches/apply`.
    pub async fn apply_patches(
        &self,
        address: &HostAddress,
        request: &ApplyRequest,
        key: &IdempotencyKey,
    ) -> Result<JobAccepted, ClientError> {
        self.mutate(address, Method::POST, paths::APPLY, Some(request), key)
            .await
    }

    /// `POST /api/v1/packages` (install).
    pub async fn install(
        &self,
        address: &HostAddress,
        request: &InstallRequest,
        key: &IdempotencyKey,
    ) -> Result<JobAccepted, ClientError> {
        self.mutate(address, Method::POST, paths::PACKAGES, Some(request), key)
            .await
    }

    /// `PUT /api/v1/packages/{name}` (update one package).
    pub async fn update_package(
        &self,
        address: &HostAddress,
        name: &str,
        request: &UpdateRequest,
        key: &IdempotencyKey,
    ) -> Result<JobAccepted, ClientError> {
        let path = package_path(name)?;
        self.mutate(address, Method::PUT, &path, Some(request), key)
            .await
    }

    /// `DELETE /api/v1/packages/{name}` (remove one package).
    pub async fn remove_package(
        &self,
        address: &HostAddress,
        name: &str,
        key: &IdempotencyKey,
    ) -> Result<JobAccepted, ClientError> {
        let path = package_path(name)?;
        self.mutate::<()>(address, Method::DELETE, &path, None, key)
            .await
    }

    /// `GET /api/v1/jobs`, optionally filtered by state or idempotency key.
    pub async fn jobs(
        &self,
        address: &HostAddress,
        query: &JobQuery,
    ) -> Result<JobList, ClientError> {
        let mut params = Vec::new();
        if let Some(state) = query.state {
            params.push(format!("state={}", state.as_str()));
        }
        if let Some(key) = &query.idempotency_key {
            params.push(format!("idempotency_key={}", encode_component(key)));
        }
        let path = if params.is_empty() {
            paths::JOBS.to_owned()
        } else {
            format!("{}?{}", paths::JOBS, params.join("&"))
        };
        self.get(address, &path).await
    }

    /// `GET /api/v1/jobs/{id}`.
    pub async fn job(&self, address: &HostAddress, job_id: &str) -> Result<Job, ClientError> {
        let path = job_path(job_id, "")?;
        self.get(address, &path).await
    }

    /// The job started with `key`, if any: `GET /api/v1/jobs?idempotency_key=KEY`, filtered
    /// again on the client (see the [`crate::wire`] module docs).
    pub async fn job_by_key(
        &self,
        address: &HostAddress,
        key: &IdempotencyKey,
    ) -> Result<Option<Job>, ClientError> {
        let query = JobQuery {
            state: None,
            idempotency_key: Some(key.as_str().to_owned()),
        };
        let list = self.jobs(address, &query).await?;
        Ok(list
            .jobs
            .into_iter()
            .find(|j| j.idempotency_key.as_deref() == Some(key.as_str())))
    }

    /// `POST /api/v1/jobs/{id}/rollback`: starts a job of kind `rollback`.
    pub async fn rollback(
        &self,
        address: &HostAddress,
        job_id: &str,
        key: &IdempotencyKey,
    ) -> Result<JobAccepted, ClientError> {
        let path = job_path(job_id, "/rollback")?;
        self.mutate::<()>(address, Method::POST, &path, None, key)
            .await
    }

    /// `POST /api/v1/system/reboot`.
    pub async fn reboot(
        &self,
        address: &HostAddress,
        request: &RebootRequest,
        key: &IdempotencyKey,
    ) -> Result<JobAccepted, ClientError> {
        self.mutate(address, Method::POST, paths::REBOOT, Some(request), key)
            .await
    }

    async fn get<T: DeserializeOwned>(
        &self,
        address: &HostAddress,
        path: &str,
    ) -> Result<T, ClientError> {
        let call = Call {
            method: Method::GET,
            path,
            body: None,
            idempotency_key: None,
        };
        self.run(address, call).await
    }

    async fn mutate<B: Serialize>(
        &self,
        address: &HostAddress,
        method: Method,
        path: &str,
        body: Option<&B>,
        key: &IdempotencyKey,
    ) -> Result<JobAccepted, ClientError> {
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| ClientError::InvalidRequest(format!("cannot encode the body: {e}")))?;
        let call = Call {
            method,
            path,
            body,
            idempotency_key: Some(key.as_str()),
        };
        self.run(address, call).await
    }

    async fn run<T: DeserializeOwned>(
        &self,
        address: &HostAddress,
        call: Call<'_>,
    ) -> Result<T, ClientError> {
        let deadline = TokioInstant::now() + self.call_timeout;
        let work = async {
            let ep = self.transport.endpoint(address).await?;
            let (status, body) = self.transport.request(&ep, &call).await?;
            decode(&ep, status, &body)
        };
        timeout_at(deadline, work)
            .await
            .map_err(|_| ClientError::Timeout {
                target: label_of(address),
                phase: Phase::Call,
                after: self.call_timeout,
            })?
    }
}

fn package_path(name: &str) -> Result<String, ClientError> {
    if name.is_empty() || name.len() > 255 {
        return Err(ClientError::InvalidRequest(format!(
            "package name {name:?} must be 1 to 255 characters"
        )));
    }
    Ok(format!("{}/{}", paths::PACKAGES, encode_component(name)))
}

fn job_path(job_id: &str, suffix: &str) -> Result<String, ClientError> {
    if job_id.is_empty() || job_id.len() > 255 {
        return Err(ClientError::InvalidRequest(format!(
            "job id {job_id:?} must be 1 to 255 characters"
        )));
    }
    Ok(format!(
        "{}/{}{suffix}",
        paths::JOBS,
        encode_component(job_id)
    ))
}

/// A 2xx answer as `T`; anything else as [`ClientError::Status`] with the agent's error code.
pub(crate) fn decode<T: DeserializeOwned>(
    ep: &Endpoint,
    status: StatusCode,
    body: &Bytes,
) -> Result<T, ClientError> {
    if status.is_success() {
        return serde_json::from_slice(body).map_err(|e| ClientError::InvalidResponse {
            target: ep.label.clone(),
            detail: format!("{status} with an unexpected body: {e}"),
        });
    }
    Err(status_error(&ep.label, status.as_u16(), body))
}

pub(crate) fn status_error(target: &str, status: u16, body: &[u8]) -> ClientError {
    let (code, message) = match serde_json::from_slice::<ErrorEnvelope>(body) {
        Ok(envelope) => (envelope.error.code, envelope.error.message),
        Err(_) => {
            let text: String = String::from_utf8_lossy(body)
                .chars()
                .take(200)
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            (format!("http_{status}"), text)
        }
    };
    ClientError::Status {
        target: target.to_owned(),
        status,
        code,
        message,
    }
}
