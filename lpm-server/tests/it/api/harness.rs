//! A live API server for tests: the real router over TLS 1.3 on a loopback port, a temporary
//! store (SQLite, or a database on the shared throwaway PostgreSQL), a manual clock, and users
//! whose access tokens are minted directly so resource tests do not depend on the login flow
//! (the auth tests exercise that end to end).

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use lpm_ca::Ca;
use lpm_core::ids::{GroupId, HostId};
use lpm_core::model::{Group, Host, HostAddress, Name, Role, User, Username};
use lpm_core::net::{Fqdn, Port};
use lpm_core::ports::ManualClock;
use lpm_core::rbac::Scope;
use lpm_server::auth::{Amr, issue};
use lpm_server::http::{AppState, AuthContext, app, serve, web_tls_config};
use lpm_store::testing::TempPostgres;
use lpm_store::{Actor, Store, StoreOptions};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::oneshot;

/// A running server and a client that trusts it.
pub(crate) struct Api {
    pub(crate) addr: SocketAddr,
    pub(crate) store: Store,
    pub(crate) clock: ManualClock,
    pub(crate) state: AppState,
    pub(crate) ca: Arc<Ca>,
    client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: tempfile::TempDir,
}

/// Which store to run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// A small fleet: an admin, an operator of group A, one of group B, a host in each group and
/// one ungrouped.
pub(crate) struct Fleet {
    pub(crate) admin: String,
    pub(crate) op_a: String,
    pub(crate) op_b: String,
    pub(crate) admin_user: User,
    pub(crate) op_a_user: User,
    pub(crate) op_b_user: User,
    pub(crate) group_a: Group,
    pub(crate) group_b: Group,
    pub(crate) host_a: Host,
    pub(crate) host_b: Host,
    pub(crate) host_free: Host,
}

impl Api {
    /// A server on SQLite.
    pub(crate) async fn start() -> Self {
        Self::start_on(Backend::Sqlite).await
    }

    /// A server on either backend. PostgreSQL comes from the shared throwaway cluster, which
    /// fails loudly, naming the package, when the binaries are missing.
    pub(crate) async fn start_on(backend: Backend) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = match backend {
            Backend::Sqlite => format!("sqlite://{}", dir.path().join("lpm.db").display()),
            Backend::Postgres => TempPostgres::shared().fresh_database().await.unwrap(),
        };
        let store = Store::open(&url, &StoreOptions::default()).await.unwrap();
        let now = Utc::now().trunc_subsecs(0);
        let clock = ManualClock::new(now);
        let issued_at = lpm_ca::time::OffsetDateTime::now_utc();
        let ca = Arc::new(Ca::generate("test CA", issued_at).unwrap());
        let web = ca
            .issue_web_server(&["localhost"], &["127.0.0.1".parse().unwrap()], issued_at)
            .unwrap();
        let tls = web_tls_config(&web.cert_pem, web.key_pem.expose_secret()).unwrap();
        let auth = AuthContext::ephemeral(now).unwrap();
        let mut state = AppState::new(store.clone(), Arc::new(clock.clone()), Arc::new(auth));
        state.ca = Some(Arc::clone(&ca));
        state.data_dir = Some(dir.path().to_path_buf());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let done = tokio::spawn(serve(listener, tls, app(state.clone()), async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_pem(ca.root_pem().as_bytes()).unwrap()])
            .build()
            .unwrap();
        Self {
            addr,
            store,
            clock,
            state,
            ca,
            client,
            stop: Some(stop),
            done: Some(done),
            _dir: dir,
        }
    }

    /// The clock's now.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        lpm_core::ports::Clock::now(&self.clock)
    }

    /// `https://localhost:PORT{path}`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.addr.port())
    }

    /// The HTTP client (trusting the test CA).
    pub(crate) fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Creates a user directly in the store.
    pub(crate) async fn user(&self, name: &str, role: Role, groups: &[GroupId]) -> User {
        let admin = Scope::system().require_admin().unwrap();
        self.store
            .create_user(
                &admin,
                &Username::new(name).unwrap(),
                role,
                groups,
                &Actor::system(),
                self.now(),
            )
            .await
            .unwrap()
    }

    /// An access token for `user`, signed with the server's key as a TOTP login would.
    pub(crate) fn token(&self, user: &User) -> String {
        issue(
            &self.state.auth.keys.keys().signing,
            user,
            Amr::PwdTotp,
            self.now(),
        )
        .unwrap()
    }

    /// Creates a group directly in the store.
    pub(crate) async fn group(&self, name: &str) -> Group {
        let admin = Scope::system().require_admin().unwrap();
        self.store
            .create_group(
                &admin,
                &Name::new(name).unwrap(),
                "",
                &Actor::system(),
                self.now(),
            )
            .await
            .unwrap()
    }

    /// Registers a host `fqdn` directly in the store.
    pub(crate) async fn host(&self, fqdn: &str, groups: &[GroupId]) -> Host {
        let address = HostAddress::new(
            Some(Fqdn::new(fqdn).unwrap()),
            None,
            Port::new(12443).unwrap(),
        )
        .unwrap();
        self.store
            .create_host(
                &Scope::system(),
                &address,
                groups,
                &Actor::system(),
                self.now(),
            )
            .await
            .unwrap()
    }

    /// Seeds the standard small fleet.
    pub(crate) async fn fleet(&self) -> Fleet {
        let group_a = self.group("group-a").await;
        let group_b = self.group("group-b").await;
        let admin_user = self.user("root-admin", Role::Admin, &[]).await;
        let op_a_user = self.user("op-a", Role::Operator, &[group_a.id]).await;
        let op_b_user = self.user("op-b", Role::Operator, &[group_b.id]).await;
        let host_a = self.host("a-01.example.com", &[group_a.id]).await;
        let host_b = self.host("b-01.example.com", &[group_b.id]).await;
        let host_free = self.host("free-01.example.com", &[]).await;
        Fleet {
            admin: self.token(&admin_user),
            op_a: self.token(&op_a_user),
            op_b: self.token(&op_b_user),
            admin_user,
            op_a_user,
            op_b_user,
            group_a,
            group_b,
            host_a,
            host_b,
            host_free,
        }
    }

    /// Sends a request with an optional bearer token and JSON body; answers the status and the
    /// body as JSON (`Value::Null` when it is not JSON).
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let bytes = response.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// `GET path` as `token`.
    pub(crate) async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    /// `POST path` with `body` as `token`.
    pub(crate) async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// `PUT path` with `body` as `token`.
    pub(crate) async fn put(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    /// `PATCH path` with `body` as `token`.
    pub(crate) async fn patch(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    /// `DELETE path` as `token`.
    pub(crate) async fn delete(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Stops the server and waits for it.
    pub(crate) async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(done) = self.done.take() {
            done.await.unwrap().unwrap();
        }
    }
}

/// The error code of an error envelope.
pub(crate) fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<no error code>")
}

/// The ids in a page's items.
pub(crate) fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"))
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

/// A host's id as the API shows it.
pub(crate) fn hid(host: &Host) -> i64 {
    HostId::get(host.id)
}
