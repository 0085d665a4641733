//! Settings over HTTP: typed sections with bounds, admin only, audited, and an IP allowlist that
//! takes effect on the next request but never shuts out the admin saving it.

use std::net::IpAddr;

use lpm_server::settings::{ConcurrencySettings, PollingSettings, load};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::harness::{Api, code};

async fn settings_changes(api: &Api) -> Vec<lpm_store::audit::AuditRecord> {
    let filter = lpm_store::audit::AuditFilter {
        action_prefix: Some("settings.changed".to_owned()),
        ..Default::default()
    };
    api.store
        .list_audit(&filter, lpm_store::PageRequest::default())
        .await
        .unwrap()
        .items
}

#[tokio::test]
async fn defaults_read_only_sections_and_admin_only_access() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    // The web certificate the internal-CA strategy keeps in the data directory.
    let issued_at = lpm_ca::time::OffsetDateTime::now_utc();
    let web = api
        .ca
        .issue_web_server(&["localhost"], &["127.0.0.1".parse().unwrap()], issued_at)
        .unwrap();
    let data_dir = api.state.data_dir.clone().unwrap();
    std::fs::write(data_dir.join("web.crt"), &web.cert_pem).unwrap();

    let (status, all) = api.get(&fleet.admin, "/api/v1/settings").await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(
        all["polling"],
        json!({"health_interval_s": 300, "patch_interval_s": 1800})
    );
    assert_eq!(all["concurrency"], json!({"max_agents": 64}));
    assert_eq!(all["security"], json!({"ip_allowlist": []}));
    assert_eq!(all["smtp"]["port"], 587);
    assert_eq!(all["sso"]["enabled"], false);
    assert_eq!(all["web_tls"]["strategy"], "internal_ca");
    assert_eq!(all["web_tls"]["certificate"]["subject"], "localhost");
    assert_eq!(
        all["web_tls"]["certificate"]["sans"],
        json!(["localhost", "127.0.0.1"])
    );
    assert_eq!(
        all["auth"],
        json!({"argon2": {"m_kib": 65536, "t": 3, "p": 1}, "calibrated": false})
    );
    let (_, web_tls) = api.get(&fleet.admin, "/api/v1/settings/web_tls").await;
    assert_eq!(web_tls, all["web_tls"]);
    let (_, auth) = api.get(&fleet.admin, "/api/v1/settings/auth").await;
    assert_eq!(auth, all["auth"]);
    for section in ["polling", "concurrency", "security", "smtp", "sso"] {
        let (status, body) = api
            .get(&fleet.admin, &format!("/api/v1/settings/{section}"))
            .await;
        assert_eq!((status, &body), (StatusCode::OK, &all[section]));
    }

    for path in ["/api/v1/settings", "/api/v1/settings/polling"] {
        let (status, body) = api.get(&fleet.op_a, path).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, "admin_required")
        );
    }
    let (status, body) = api
        .put(
            &fleet.op_a,
            "/api/v1/settings/concurrency",
            json!({"max_agents": 8}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "admin_required")
    );
    let (status, _) = api
        .put(&fleet.admin, "/api/v1/settings/auth", json!({}))
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "auth is read-only");
    assert!(settings_changes(&api).await.is_empty());
    api.stop().await;
}

#[tokio::test]
async fn sections_are_validated_saved_audited_and_read_by_the_worker() {
    let api = Api::start().await;
    let fleet = api.fleet().await;

    let (status, body) = api
        .put(
            &fleet.admin,
            "/api/v1/settings/polling",
            json!({"health_interval_s": 59, "patch_interval_s": 86401}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = body["error"]["details"]["fields"].as_object().unwrap();
    assert_eq!(
        fields.keys().collect::<Vec<_>>(),
        ["polling.health_interval_s", "polling.patch_interval_s"]
    );
    for bad in [
        json!({"health_interval_s": "often"}),
        json!({"health_interval_s": 120, "colour": "blue"}),
        json!({"health_interval_s": -5}),
    ] {
        let (status, body) = api
            .put(&fleet.admin, "/api/v1/settings/polling", bad.clone())
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    assert_eq!(
        load::<PollingSettings>(&api.store).await.unwrap(),
        PollingSettings::default(),
        "refused changes change nothing"
    );

    let (status, saved) = api
        .put(
            &fleet.admin,
            "/api/v1/settings/polling",
            json!({"health_interval_s": 60, "patch_interval_s": 86400}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        saved,
        json!({"health_interval_s": 60, "patch_interval_s": 86400})
    );
    let (_, omitted) = api
        .put(&fleet.admin, "/api/v1/settings/concurrency", json!({}))
        .await;
    assert_eq!(
        omitted,
        json!({"max_agents": 64}),
        "omitted fields take defaults"
    );
    let (status, _) = api
        .put(
            &fleet.admin,
            "/api/v1/settings/concurrency",
            json!({"max_agents": 1025}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    api.put(
        &fleet.admin,
        "/api/v1/settings/concurrency",
        json!({"max_agents": 8}),
    )
    .await;

    // What a worker sees.
    let polling: PollingSettings = load(&api.store).await.unwrap();
    assert_eq!(
        (polling.health_interval_s, polling.patch_interval_s),
        (60, 86400)
    );
    let concurrency: ConcurrencySettings = load(&api.store).await.unwrap();
    assert_eq!(concurrency.max_agents, 8);

    let changes = settings_changes(&api).await;
    let polling_change = changes
        .iter()
        .find(|c| c.target_id.as_deref() == Some("polling"))
        .unwrap();
    assert_eq!(polling_change.actor, "root-admin");
    let details: Value = serde_json::from_str(&polling_change.details).unwrap();
    assert_eq!(
        (details["from"].clone(), details["to"].clone()),
        (
            Value::Null,
            json!({"health_interval_s": 60, "patch_interval_s": 86400})
        )
    );
    assert_eq!(
        changes.len(),
        3,
        "two concurrency saves and one polling save"
    );
    api.stop().await;
}

#[tokio::test]
async fn smtp_and_sso_name_secret_files_and_check_their_fields() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let smtp = json!({
        "host": "smtp.example.com",
        "port": 465,
        "username": "lpm",
        "password_file": "/etc/patch-manager/secrets/smtp-password",
        "from": "lpm@example.com",
        "starttls": false
    });
    let (status, saved) = api
        .put(&fleet.admin, "/api/v1/settings/smtp", smtp.clone())
        .await;
    assert_eq!((status, &saved), (StatusCode::OK, &smtp));
    let (status, body) = api
        .put(
            &fleet.admin,
            "/api/v1/settings/smtp",
            json!({"host": "bad host", "password_file": "secret.txt", "from": "nobody"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = body["error"]["details"]["fields"].as_object().unwrap();
    assert_eq!(
        fields.keys().collect::<Vec<_>>(),
        ["smtp.from", "smtp.host", "smtp.password_file"]
    );
    let (status, _) = api
        .put(
            &fleet.admin,
            "/api/v1/settings/smtp",
            json!({"password": "hunter2"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a secret is never accepted inline"
    );

    let (status, body) = api
        .put(
            &fleet.admin,
            "/api/v1/settings/sso",
            json!({"enabled": true}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"]["details"]["fields"]["sso.client_id"],
        "required when enabled"
    );
    let sso = json!({
        "enabled": true,
        "tenant_id": "contoso.onmicrosoft.com",
        "client_id": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "client_secret_file": "/etc/patch-manager/secrets/sso-secret",
        "redirect_uri": "https://lpm.example.com/api/v1/auth/oidc/callback"
    });
    let (status, saved) = api
        .put(&fleet.admin, "/api/v1/settings/sso", sso.clone())
        .await;
    assert_eq!((status, &saved), (StatusCode::OK, &sso));
    let (_, all) = api.get(&fleet.admin, "/api/v1/settings").await;
    assert_eq!((&all["smtp"], &all["sso"]), (&smtp, &sso));
    api.stop().await;
}

/// A client that trusts the test CA and connects from `local`.
fn client_from(api: &Api, local: IpAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(api.ca.root_pem().as_bytes()).unwrap()])
        .local_address(local)
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_allowlist_applies_on_the_next_request_and_never_excludes_its_author() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let other = client_from(&api, "127.0.0.2".parse().unwrap());
    let status_from_other = || async {
        other
            .get(api.url("/api/v1/hosts"))
            .bearer_auth(&fleet.op_a)
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(status_from_other().await, StatusCode::OK);

    let (status, body) = api
        .put(
            &fleet.admin,
            "/api/v1/settings/security",
            json!({"ip_allowlist": ["10.0.0.0/8"]}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "allowlist_excludes_caller")
    );
    assert_eq!(body["error"]["details"]["caller_ip"], "127.0.0.1");
    assert!(api.state.allowlist.networks().is_empty(), "nothing changed");
    for bad in [
        json!({"ip_allowlist": ["10.0.0.0/33"]}),
        json!({"ip_allowlist": ["nope"]}),
    ] {
        let (status, _) = api
            .put(&fleet.admin, "/api/v1/settings/security", bad)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    let (status, saved) = api
        .put(
            &fleet.admin,
            "/api/v1/settings/security",
            json!({"ip_allowlist": ["127.0.0.1/32", "10.1.2.3/8", "10.0.0.0/8"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        saved,
        json!({"ip_allowlist": ["127.0.0.1/32", "10.0.0.0/8"]}),
        "host bits cleared, duplicates dropped"
    );
    let response = other
        .get(api.url("/api/v1/hosts"))
        .bearer_auth(&fleet.op_a)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    assert_eq!(code(&body), "ip_not_allowed");
    let (status, _) = api.get(&fleet.admin, "/api/v1/settings/security").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the admin's own address still gets in"
    );

    let (status, _) = api
        .put(
            &fleet.admin,
            "/api/v1/settings/security",
            json!({"ip_allowlist": []}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        status_from_other().await,
        StatusCode::OK,
        "an empty list lets everyone in again"
    );
    let changes = settings_changes(&api).await;
    assert_eq!(changes.len(), 2);
    assert!(
        changes
            .iter()
            .all(|c| c.target_id.as_deref() == Some("security.ip_allowlist"))
    );
    api.stop().await;
}
