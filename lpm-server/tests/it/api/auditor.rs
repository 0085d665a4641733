//! The auditor role, checked against the whole OpenAPI document rather than a hand-picked
//! list: every authenticated GET answers 200 to an auditor (by access token and by API token),
//! and every other authenticated operation answers 403 `read_only` and writes nothing, except
//! those the document marks `x-lpm-auditor-allowed: true`, which must not answer `read_only`.

use lpm_core::model::Role;
use lpm_store::PageRequest;
use lpm_store::audit::AuditFilter;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::harness::{Api, Fleet, code, hid};

/// Real ids for every path parameter, so no answer is a 404 that hides the rule.
struct Fixture {
    host: i64,
    job: i64,
    window: i64,
    group: i64,
    user: i64,
    discovery: i64,
    api_token: i64,
    serial: String,
}

impl Fixture {
    async fn seed(api: &Api, fleet: &Fleet) -> Self {
        let host = hid(&fleet.host_a);
        let admin = &fleet.admin;
        let created = |(status, body): (StatusCode, Value)| {
            assert!(status.is_success(), "{status}: {body}");
            body
        };
        created(
            api.post(
                admin,
                &format!("/api/v1/hosts/{host}/certificate-bundle"),
                json!({}),
            )
            .await,
        );
        let certificates = created(api.get(admin, "/api/v1/certificates").await);
        let serial = certificates["items"][0]["serial"]
            .as_str()
            .unwrap()
            .to_owned();
        let job = created(
            api.post(
                admin,
                "/api/v1/jobs",
                json!({"kind": "reboot", "host_ids": [host], "mode": "queued"}),
            )
            .await,
        );
        let window = created(
            api.post(
                admin,
                &format!("/api/v1/hosts/{host}/windows"),
                json!({"name": "Nightly", "window": {
                    "kind": "recurring",
                    "rule": {"weekly": {"days": ["sun"]}},
                    "local_start": "02:00",
                    "duration_minutes": 60,
                    "time_zone": "UTC",
                }}),
            )
            .await,
        );
        let discovery = created(
            api.post(
                admin,
                "/api/v1/discovery/cidr",
                json!({"cidr": "127.77.0.0/30"}),
            )
            .await,
        );
        let token = created(
            api.post(
                admin,
                "/api/v1/api-tokens",
                json!({"name": "fixture", "role": "admin"}),
            )
            .await,
        );
        Fixture {
            host,
            job: job["id"].as_i64().unwrap(),
            window: window["id"].as_i64().unwrap(),
            group: fleet.group_a.id.get(),
            user: fleet.op_a_user.id.get(),
            discovery: discovery["id"].as_i64().unwrap(),
            api_token: token["id"].as_i64().unwrap(),
            serial,
        }
    }

    /// The path with its parameters filled in from the resource it names.
    fn fill(&self, template: &str) -> String {
        let id = if template.starts_with("/api/v1/hosts/") {
            self.host
        } else if template.starts_with("/api/v1/jobs/") {
            self.job
        } else if template.starts_with("/api/v1/windows/") {
            self.window
        } else if template.starts_with("/api/v1/groups/") {
            self.group
        } else if template.starts_with("/api/v1/users/") {
            self.user
        } else if template.starts_with("/api/v1/discovery/") {
            self.discovery
        } else if template.starts_with("/api/v1/api-tokens/") {
            self.api_token
        } else {
            0
        };
        let path = template
            .replace("{id}", &id.to_string())
            .replace("{serial}", &self.serial);
        assert!(
            !path.contains('{'),
            "no fixture for a parameter of {template}"
        );
        path
    }
}

/// Every `(method, path template, operation)` of the document that needs a login.
fn authenticated_operations(document: &Value) -> Vec<(Method, String, Value)> {
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Ok(method) = Method::from_bytes(method.to_uppercase().as_bytes()) else {
                continue;
            };
            // `security: [{}]`: public (login, the CA's root, the WebSocket upgrade).
            let public = operation["security"].as_array().is_some_and(|s| {
                s.iter()
                    .all(|r| r.as_object().is_some_and(|o| o.is_empty()))
            });
            if !public {
                operations.push((method, path.clone(), operation.clone()));
            }
        }
    }
    operations
}

async fn audit_rows(api: &Api) -> i64 {
    api.store
        .list_audit(&AuditFilter::default(), PageRequest::new(1, 1).unwrap())
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn an_auditor_reads_everything_and_changes_nothing_across_the_whole_document() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let fixture = Fixture::seed(&api, &fleet).await;
    let auditor = api.user("compliance", Role::Auditor, &[]).await;
    let session = api.token(&auditor);
    let (status, minted) = api
        .post(
            &session,
            "/api/v1/api-tokens",
            json!({"name": "reports", "role": "auditor"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{minted}");
    let api_token = minted["token"].as_str().unwrap().to_owned();
    // Its first use is audited (a new address); use it once before counting rows.
    assert_eq!(
        api.get(&api_token, "/api/v1/auth/me").await.0,
        StatusCode::OK
    );

    let document = serde_json::to_value(lpm_server::http::api::openapi()).unwrap();
    let operations = authenticated_operations(&document);
    let (mut reads, mut refused, mut allowed) = (0, 0, 0);
    for (method, template, operation) in &operations {
        let path = fixture.fill(template);
        if method == Method::GET {
            for (who, credential) in [("session", &session), ("API token", &api_token)] {
                let (status, body) = api.get(credential, &path).await;
                assert_eq!(
                    status,
                    StatusCode::OK,
                    "GET {path} as an auditor's {who}: {body}"
                );
            }
            reads += 1;
            continue;
        }
        let body = operation.get("requestBody").map(|_| json!({}));
        if operation["x-lpm-auditor-allowed"] == json!(true) {
            let (status, reply) = api.call(method.clone(), &path, Some(&session), body).await;
            assert_ne!(
                code(&reply),
                "read_only",
                "{method} {path}: {status} {reply}"
            );
            allowed += 1;
            continue;
        }
        for (who, credential) in [("session", &session), ("API token", &api_token)] {
            let before = audit_rows(&api).await;
            let (status, reply) = api
                .call(method.clone(), &path, Some(credential), body.clone())
                .await;
            assert_eq!(
                (status, code(&reply)),
                (StatusCode::FORBIDDEN, "read_only"),
                "{method} {path} as an auditor's {who}: {reply}"
            );
            assert_eq!(
                audit_rows(&api).await,
                before,
                "{method} {path} wrote something"
            );
        }
        refused += 1;
    }
    // The document is the whole API: the counts guard against an empty or truncated walk.
    assert!(reads >= 36, "only {reads} reads");
    assert!(refused >= 32, "only {refused} refusals");
    assert_eq!(
        allowed,
        lpm_server::http::api::caller::NON_GET_POLICIES.len(),
        "every exception in the policy table is an operation of the document"
    );

    // What the refusals protected is all still there.
    let (_, job) = api
        .get(&fleet.admin, &format!("/api/v1/jobs/{}", fixture.job))
        .await;
    assert_eq!(job["state"], "queued", "{job}");
    let (status, _) = api
        .get(&fleet.admin, &format!("/api/v1/hosts/{}", fixture.host))
        .await;
    assert_eq!(status, StatusCode::OK);
    api.stop().await;
}

#[tokio::test]
async fn an_auditor_sees_settings_without_secrets_and_every_host() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let auditor = api.user("compliance", Role::Auditor, &[]).await;
    let session = api.token(&auditor);
    let (status, _) = api
        .put(
            &fleet.admin,
            "/api/v1/settings/smtp",
            json!({"host": "mail.example.com", "port": 587, "from": "lpm@example.com",
                   "password_file": "/etc/lpm/smtp-password", "starttls": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Secrets live in files the settings only name; the auditor sees the names.
    let (status, settings) = api.get(&session, "/api/v1/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["smtp"]["host"], "mail.example.com", "{settings}");
    assert_eq!(settings["smtp"]["password_file"], "/etc/lpm/smtp-password");
    let (_, hosts) = api.get(&session, "/api/v1/hosts").await;
    assert_eq!(
        hosts["total"], 3,
        "an auditor reads every host, grouped or not"
    );
    let (status, body) = api.get(&fleet.op_a, "/api/v1/audit").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "admin_required")
    );
    api.stop().await;
}
