//! The RBAC matrix (SDD §7.2): an admin, an operator of group A and an operator of group B
//! against every host-scoped endpoint, on a host in group A, one in group B and an ungrouped
//! one. An operator never reads or changes another group's host: the answer is a 404 that
//! cannot be told from a missing host's, and nothing is written. Both operators reach
//! ungrouped hosts. Admin-only endpoints answer 403 to operators.
//!
//! Each endpoint is one line of a table; every cell of the matrix gets fresh fixtures, so
//! destructive calls do not disturb the next cell.

use std::fmt;

use lpm_core::ids::GroupId;
use lpm_core::model::{Name, Role};
use lpm_core::rbac::Scope;
use lpm_core::window::MaintenanceWindow;
use lpm_store::Actor;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::harness::{Api, Backend, Fleet, code, ids};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Admin,
    OperatorA,
    OperatorB,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    InGroupA,
    InGroupB,
    Ungrouped,
}

impl Who {
    const ALL: [Who; 3] = [Who::Admin, Who::OperatorA, Who::OperatorB];

    fn token(self, fleet: &Fleet) -> &str {
        match self {
            Who::Admin => &fleet.admin,
            Who::OperatorA => &fleet.op_a,
            Who::OperatorB => &fleet.op_b,
        }
    }

    /// SDD §7.2: admins reach everything, operators their groups' hosts and ungrouped ones.
    fn reaches(self, target: Target) -> bool {
        matches!(
            (self, target),
            (Who::Admin, _)
                | (_, Target::Ungrouped)
                | (Who::OperatorA, Target::InGroupA)
                | (Who::OperatorB, Target::InGroupB)
        )
    }
}

impl Target {
    const ALL: [Target; 3] = [Target::InGroupA, Target::InGroupB, Target::Ungrouped];

    fn groups(self, fleet: &Fleet) -> Vec<GroupId> {
        match self {
            Target::InGroupA => vec![fleet.group_a.id],
            Target::InGroupB => vec![fleet.group_b.id],
            Target::Ungrouped => vec![],
        }
    }
}

/// What a call answers when the caller may make it.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// This status.
    Status(StatusCode),
    /// 200, and the page lists the fixture's host (or window) exactly when the caller reaches it.
    ListsHost,
    ListsWindow,
}

/// One endpoint. `{host}` and `{window}` in the path are the cell's fixtures; `{n}` in the
/// body makes names unique per cell.
struct Endpoint {
    name: &'static str,
    method: Method,
    path: &'static str,
    body: Option<Value>,
    expect: Expect,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.name, self.method, self.path)
    }
}

fn endpoint(
    name: &'static str,
    method: Method,
    path: &'static str,
    body: Option<Value>,
    expect: Expect,
) -> Endpoint {
    Endpoint {
        name,
        method,
        path,
        body,
        expect,
    }
}

fn window_body() -> Value {
    json!({"name": "Sunday night", "window": {
        "kind": "recurring", "rule": {"weekly": {"days": ["sun"]}},
        "local_start": "02:30", "duration_minutes": 180, "time_zone": "Europe/Berlin"}})
}

/// Every host-scoped endpoint: adding one is one line here.
fn host_scoped() -> Vec<Endpoint> {
    use Expect::{ListsHost, ListsWindow, Status};
    const OK: Expect = Status(StatusCode::OK);
    vec![
        endpoint(
            "list hosts",
            Method::GET,
            "/api/v1/hosts?per_page=500",
            None,
            ListsHost,
        ),
        endpoint("get host", Method::GET, "/api/v1/hosts/{host}", None, OK),
        endpoint(
            "host patches",
            Method::GET,
            "/api/v1/hosts/{host}/patches",
            None,
            OK,
        ),
        endpoint(
            "host packages",
            Method::GET,
            "/api/v1/hosts/{host}/packages",
            None,
            OK,
        ),
        endpoint(
            "host jobs",
            Method::GET,
            "/api/v1/hosts/{host}/jobs",
            None,
            OK,
        ),
        endpoint(
            "refresh host",
            Method::POST,
            "/api/v1/hosts/{host}/refresh",
            Some(json!({})),
            Status(StatusCode::ACCEPTED),
        ),
        endpoint(
            "set host groups",
            Method::PUT,
            "/api/v1/hosts/{host}/groups",
            Some(json!({"group_ids": []})),
            OK,
        ),
        endpoint(
            "host windows",
            Method::GET,
            "/api/v1/hosts/{host}/windows",
            None,
            OK,
        ),
        endpoint(
            "create window",
            Method::POST,
            "/api/v1/hosts/{host}/windows",
            Some(window_body()),
            Status(StatusCode::CREATED),
        ),
        endpoint(
            "list windows",
            Method::GET,
            "/api/v1/windows?per_page=500",
            None,
            ListsWindow,
        ),
        endpoint(
            "get window",
            Method::GET,
            "/api/v1/windows/{window}",
            None,
            OK,
        ),
        endpoint(
            "replace window",
            Method::PUT,
            "/api/v1/windows/{window}",
            Some(window_body()),
            OK,
        ),
        endpoint(
            "delete window",
            Method::DELETE,
            "/api/v1/windows/{window}",
            None,
            Status(StatusCode::NO_CONTENT),
        ),
        endpoint(
            "delete host",
            Method::DELETE,
            "/api/v1/hosts/{host}",
            None,
            Status(StatusCode::NO_CONTENT),
        ),
    ]
}

/// Every admin-only endpoint: `{user}` and `{group}` are the cell's fixtures.
fn admin_only() -> Vec<Endpoint> {
    use Expect::Status;
    const OK: Expect = Status(StatusCode::OK);
    const CREATED: Expect = Status(StatusCode::CREATED);
    const DONE: Expect = Status(StatusCode::NO_CONTENT);
    vec![
        endpoint("list users", Method::GET, "/api/v1/users", None, OK),
        endpoint("get user", Method::GET, "/api/v1/users/{user}", None, OK),
        endpoint(
            "create user",
            Method::POST,
            "/api/v1/users",
            Some(json!({"username": "new-{n}", "role": "operator"})),
            CREATED,
        ),
        endpoint(
            "update user",
            Method::PATCH,
            "/api/v1/users/{user}",
            Some(json!({"role": "admin"})),
            OK,
        ),
        endpoint(
            "delete user",
            Method::DELETE,
            "/api/v1/users/{user}",
            None,
            DONE,
        ),
        endpoint(
            "reset mfa",
            Method::POST,
            "/api/v1/users/{user}/mfa/reset",
            Some(json!({})),
            DONE,
        ),
        endpoint(
            "revoke sessions",
            Method::POST,
            "/api/v1/users/{user}/sessions/revoke",
            Some(json!({})),
            DONE,
        ),
        endpoint(
            "reset password",
            Method::POST,
            "/api/v1/users/{user}/password/reset",
            Some(json!({})),
            OK,
        ),
        endpoint(
            "create group",
            Method::POST,
            "/api/v1/groups",
            Some(json!({"name": "new-{n}"})),
            CREATED,
        ),
        endpoint(
            "update group",
            Method::PATCH,
            "/api/v1/groups/{group}",
            Some(json!({"description": "x"})),
            OK,
        ),
        endpoint(
            "delete group",
            Method::DELETE,
            "/api/v1/groups/{group}",
            None,
            DONE,
        ),
        endpoint(
            "set group hosts",
            Method::PUT,
            "/api/v1/groups/{group}/hosts",
            Some(json!({"host_ids": []})),
            OK,
        ),
        endpoint(
            "set group users",
            Method::PUT,
            "/api/v1/groups/{group}/users",
            Some(json!({"user_ids": []})),
            OK,
        ),
    ]
}

/// Fills a path or body template.
fn fill(template: &str, values: &[(&str, i64)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (key, value)| {
            text.replace(&format!("{{{key}}}"), &value.to_string())
        })
}

fn fill_body(body: &Option<Value>, values: &[(&str, i64)]) -> Option<Value> {
    body.as_ref()
        .map(|b| serde_json::from_str(&fill(&b.to_string(), values)).unwrap())
}

async fn audit_rows(api: &Api) -> u64 {
    api.store.verify_audit().await.unwrap().rows_checked
}

/// A fresh host in `target`'s group with one window: (host id, window id).
async fn host_with_window(api: &Api, fleet: &Fleet, target: Target, n: i64) -> (i64, i64) {
    let host = api
        .host(&format!("cell-{n}.example.com"), &target.groups(fleet))
        .await;
    let window: MaintenanceWindow =
        serde_json::from_value(window_body()["window"].clone()).unwrap();
    let stored = api
        .store
        .create_window(
            &Scope::system(),
            host.id,
            &Name::new("w").unwrap(),
            &window,
            &Actor::system(),
            api.now(),
        )
        .await
        .unwrap();
    (host.id.get(), stored.id.get())
}

async fn host_scoped_matrix(api: &Api, fleet: &Fleet) {
    let mut n = 0;
    for endpoint in host_scoped() {
        for who in Who::ALL {
            for target in Target::ALL {
                n += 1;
                let (host, window) = host_with_window(api, fleet, target, n).await;
                let values = [("host", host), ("window", window), ("n", n)];
                let cell = format!("{endpoint:?} as {who:?} on a host {target:?}");
                let path = fill(endpoint.path, &values);
                let body = fill_body(&endpoint.body, &values);
                let before = audit_rows(api).await;
                let (status, answer) = api
                    .call(
                        endpoint.method.clone(),
                        &path,
                        Some(who.token(fleet)),
                        body.clone(),
                    )
                    .await;
                let reaches = who.reaches(target);
                match endpoint.expect {
                    Expect::ListsHost | Expect::ListsWindow => {
                        assert_eq!(status, StatusCode::OK, "{cell}: {answer}");
                        let id = if matches!(endpoint.expect, Expect::ListsHost) {
                            host
                        } else {
                            window
                        };
                        assert_eq!(ids(&answer).contains(&id), reaches, "{cell}: {answer}");
                    }
                    Expect::Status(ok) if reaches => {
                        assert_eq!(status, ok, "{cell}: {answer}");
                    }
                    Expect::Status(_) => {
                        assert_eq!(status, StatusCode::NOT_FOUND, "{cell}: {answer}");
                        // Indistinguishable from a host (or window) that does not exist.
                        let missing = [("host", 999_999), ("window", 999_999), ("n", n)];
                        let (missing_status, missing_answer) = api
                            .call(
                                endpoint.method.clone(),
                                &fill(endpoint.path, &missing),
                                Some(who.token(fleet)),
                                fill_body(&endpoint.body, &missing),
                            )
                            .await;
                        assert_eq!(
                            (status, code(&answer), &answer["error"]["message"]),
                            (
                                missing_status,
                                code(&missing_answer),
                                &missing_answer["error"]["message"]
                            ),
                            "{cell}"
                        );
                        assert_eq!(audit_rows(api).await, before, "{cell} changed something");
                    }
                }
            }
        }
    }
}

async fn admin_only_matrix(api: &Api, fleet: &Fleet) {
    let mut n = 0;
    for endpoint in admin_only() {
        for who in Who::ALL {
            n += 1;
            let user = api.user(&format!("cell-{n}"), Role::Operator, &[]).await;
            let group = api.group(&format!("cell-{n}")).await;
            let values = [("user", user.id.get()), ("group", group.id.get()), ("n", n)];
            let cell = format!("{endpoint:?} as {who:?}");
            let before = audit_rows(api).await;
            let (status, answer) = api
                .call(
                    endpoint.method.clone(),
                    &fill(endpoint.path, &values),
                    Some(who.token(fleet)),
                    fill_body(&endpoint.body, &values),
                )
                .await;
            match (who, endpoint.expect) {
                (Who::Admin, Expect::Status(ok)) => assert_eq!(status, ok, "{cell}: {answer}"),
                (Who::Admin, _) => unreachable!("admin-only endpoints expect a status"),
                _ => {
                    assert_eq!(
                        (status, code(&answer)),
                        (StatusCode::FORBIDDEN, "admin_required"),
                        "{cell}: {answer}"
                    );
                    assert_eq!(audit_rows(api).await, before, "{cell} changed something");
                }
            }
        }
    }
}

/// Groups are scoped too: an operator sees their own group, and another's is a 404.
async fn group_reads(api: &Api, fleet: &Fleet) {
    for who in Who::ALL {
        for (target, group) in [
            (Target::InGroupA, &fleet.group_a),
            (Target::InGroupB, &fleet.group_b),
        ] {
            let cell = format!("get group as {who:?} of {target:?}");
            let id = group.id.get();
            let (status, answer) = api
                .get(who.token(fleet), &format!("/api/v1/groups/{id}"))
                .await;
            let expected = if who.reaches(target) {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(status, expected, "{cell}: {answer}");
            let (_, page) = api
                .get(who.token(fleet), "/api/v1/groups?per_page=500")
                .await;
            assert_eq!(
                ids(&page).contains(&id),
                who.reaches(target),
                "{cell}: {page}"
            );
        }
    }
}

async fn run_matrix(backend: Backend) {
    let api = Api::start_on(backend).await;
    let fleet = api.fleet().await;
    host_scoped_matrix(&api, &fleet).await;
    admin_only_matrix(&api, &fleet).await;
    group_reads(&api, &fleet).await;
    api.stop().await;
}

#[tokio::test]
async fn rbac_matrix_on_sqlite() {
    run_matrix(Backend::Sqlite).await;
}

#[tokio::test]
async fn rbac_matrix_on_postgres() {
    run_matrix(Backend::Postgres).await;
}
