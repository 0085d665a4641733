//! The real lpm API server over HTTPS in this process, for the tools that drive it from
//! outside: a fresh CA and web certificate for `localhost` and 127.0.0.1, the system clock, an
//! ephemeral signing key, and admin tokens minted with it as an interactive login would.

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::Utc;
use lpm_ca::Ca;
use lpm_core::ids::GroupId;
use lpm_core::model::{Role, User, Username};
use lpm_core::rbac::Scope;
use lpm_server::auth::{Amr, issue};
use lpm_server::clock::SystemClock;
use lpm_server::http::{AppState, AuthContext, app, serve, web_tls_config};
use lpm_store::{Actor, Store};
use tokio::sync::oneshot;

/// What the callers of this module return.
pub(crate) type LiveResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A running server.
pub(crate) struct LiveApi {
    /// Where it listens.
    pub(crate) addr: SocketAddr,
    /// Its store.
    pub(crate) store: Store,
    /// Its state (keys included).
    pub(crate) state: AppState,
    /// The CA certificate (PEM) clients must trust.
    pub(crate) ca_pem: String,
    stop: oneshot::Sender<()>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl LiveApi {
    /// Serves `store` on a free loopback port.
    pub(crate) async fn start(store: Store) -> LiveResult<Self> {
        let now = Utc::now();
        let issued_at = lpm_ca::time::OffsetDateTime::now_utc();
        let ca = Ca::generate("lpm test CA", issued_at)?;
        let web = ca.issue_web_server(&["localhost"], &["127.0.0.1".parse()?], issued_at)?;
        let tls = web_tls_config(&web.cert_pem, web.key_pem.expose_secret())?;
        let auth = AuthContext::ephemeral(now)?;
        let mut state = AppState::new(store.clone(), Arc::new(SystemClock), Arc::new(auth));
        let ca_pem = ca.root_pem().to_owned();
        state.ca = Some(Arc::new(ca));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let done = tokio::spawn(serve(listener, tls, app(state.clone()), async {
            let _ = stopped.await;
        }));
        Ok(Self {
            addr,
            store,
            state,
            ca_pem,
            stop,
            done,
        })
    }

    /// `https://127.0.0.1:PORT`.
    pub(crate) fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Creates a user directly in the store.
    pub(crate) async fn user(
        &self,
        name: &str,
        role: Role,
        groups: &[GroupId],
    ) -> LiveResult<User> {
        let admin = Scope::system().require_admin()?;
        Ok(self
            .store
            .create_user(
                &admin,
                &Username::new(name)?,
                role,
                groups,
                &Actor::system(),
                Utc::now(),
            )
            .await?)
    }

    /// An access token for `user`, signed with the server's key as a TOTP login would; valid
    /// for `lpm_server::auth::ACCESS_TTL`.
    pub(crate) fn token(&self, user: &User) -> LiveResult<String> {
        Ok(issue(
            &self.state.auth.keys.keys().signing,
            user,
            Amr::PwdTotp,
            Utc::now(),
        )?)
    }

    /// Stops accepting, lets open requests finish, and waits.
    pub(crate) async fn stop(self) -> LiveResult<()> {
        let _ = self.stop.send(());
        self.done.await??;
        Ok(())
    }
}
