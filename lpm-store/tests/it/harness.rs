//! Shared test setup: stores on both backends, seeded data, and the macro that runs a test on each.

use chrono::{DateTime, TimeZone, Utc};
use lpm_core::ids::{GroupId, HostId};
use lpm_core::model::{HostAddress, Name, Role, User, Username};
use lpm_core::net::Port;
use lpm_core::rbac::Scope;
use lpm_store::testing::TempPostgres;
use lpm_store::{Actor, BackendKind, Store, StoreOptions};

/// A store under test, with what keeps its database alive.
pub struct TestStore {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestStore {
    pub fn kind(&self) -> BackendKind {
        self.store.backend()
    }
}

pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("lpm.db").display());
    let store = Store::open(&url, &StoreOptions::default()).await.unwrap();
    TestStore {
        store,
        url,
        _dir: Some(dir),
    }
}

pub async fn postgres() -> TestStore {
    let url = TempPostgres::shared().fresh_database().await.unwrap();
    let store = Store::open(&url, &StoreOptions::default()).await.unwrap();
    TestStore {
        store,
        url,
        _dir: None,
    }
}

/// Runs each named `async fn NAME(t: TestStore)` of the enclosing module on both backends, as
/// `MODULE::sqlite::NAME` and `MODULE::postgres::NAME`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::harness::sqlite().await).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::harness::postgres().await).await
                }
            )*
        }
    };
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
}

pub fn admin_scope() -> Scope {
    Scope::system()
}

pub fn actor() -> Actor {
    Actor::system()
}

pub fn ip_host(i: u32) -> HostAddress {
    let ip = std::net::Ipv4Addr::from(0x0a00_0000 + i);
    HostAddress::new(None, Some(ip.into()), Port::default()).unwrap()
}

pub async fn hosts(store: &Store, n: u32, groups: &[GroupId]) -> Vec<HostId> {
    let mut ids = Vec::new();
    for i in 1..=n {
        let h = store
            .create_host(&admin_scope(), &ip_host(i), groups, &actor(), t0())
            .await
            .unwrap();
        ids.push(h.id);
    }
    ids
}

pub async fn group(store: &Store, name: &str) -> GroupId {
    let admin = admin_scope().require_admin().unwrap();
    store
        .create_group(&admin, &Name::new(name).unwrap(), "", &actor(), t0())
        .await
        .unwrap()
        .id
}

pub async fn operator(store: &Store, name: &str, groups: &[GroupId]) -> (User, Scope) {
    let admin = admin_scope().require_admin().unwrap();
    let user = store
        .create_user(
            &admin,
            &Username::new(name).unwrap(),
            Role::Operator,
            groups,
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    let user = store.get_user(user.id).await.unwrap();
    let scope = Scope::for_user(&user).unwrap();
    (user, scope)
}

pub fn user_actor(user: &User) -> Actor {
    Actor::user(user.id, user.username.as_str(), Some("192.0.2.7".into()))
}

/// Inserts `n` hosts in one statement (bulk seeding for queue tests).
pub async fn bulk_hosts(store: &Store, n: i64) {
    store
        .testing_seed_hosts(u32::try_from(n).unwrap(), t0())
        .await
        .unwrap();
}

/// A timestamp as an SQL literal of the store's backend.
pub fn timestamp_literal(store: &Store, at: DateTime<Utc>) -> String {
    match store.backend() {
        BackendKind::Postgres => format!("'{}'::timestamptz", at.to_rfc3339()),
        BackendKind::Sqlite => format!("'{}'", at.to_rfc3339()),
    }
}
