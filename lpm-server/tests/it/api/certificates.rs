//! Certificates over HTTP: bundles checked with OpenSSL, scoping, the public root and CRL,
//! renewal and revocation, and the audit trail.

use std::path::Path;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::harness::{Api, code, hid};
use crate::support::openssl;

/// Writes a bundle's three files into `dir` as the agent would install them.
fn install(dir: &Path, bundle: &Value) {
    for (file, field) in [
        ("ca.crt", "ca_pem"),
        ("agent.crt", "cert_pem"),
        ("agent.key", "key_pem"),
    ] {
        let text = bundle[field]
            .as_str()
            .unwrap_or_else(|| panic!("no {field}"));
        std::fs::write(dir.join(file), text).unwrap();
    }
}

fn openssl_ok(dir: &Path, args: &[&str]) -> String {
    let (ok, out) = openssl(dir, args);
    assert!(ok, "openssl {args:?} failed:\n{out}");
    out
}

/// `GET path` answering the status, headers and raw text.
async fn get_text(
    api: &Api,
    token: Option<&str>,
    path: &str,
) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let mut request = api.client().get(api.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

async fn audit_actions(api: &Api, action: &str) -> Vec<lpm_store::audit::AuditRecord> {
    let filter = lpm_store::audit::AuditFilter {
        action_prefix: Some(action.to_owned()),
        ..Default::default()
    };
    api.store
        .list_audit(&filter, lpm_store::PageRequest::default())
        .await
        .unwrap()
        .items
}

#[tokio::test]
async fn a_bundle_chains_to_the_root_names_the_host_and_is_audited_without_its_key() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let a = hid(&fleet.host_a);

    let response = api
        .client()
        .post(api.url(&format!("/api/v1/hosts/{a}/certificate-bundle")))
        .bearer_auth(&fleet.op_a)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        response.headers()["cache-control"],
        "no-store",
        "the key must not be cached"
    );
    let bundle: Value = response.json().await.unwrap();
    let serial = bundle["certificate"]["serial"].as_str().unwrap().to_owned();
    assert_eq!(bundle["certificate"]["purpose"], "agent_server");
    assert_eq!(bundle["certificate"]["host_id"], a);
    assert_eq!(bundle["ca_pem"], api.ca.root_pem());

    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), &bundle);
    let verified = openssl_ok(
        dir.path(),
        &[
            "verify",
            "-CAfile",
            "ca.crt",
            "-purpose",
            "sslserver",
            "agent.crt",
        ],
    );
    assert!(verified.contains("agent.crt: OK"), "{verified}");
    let text = openssl_ok(dir.path(), &["x509", "-in", "agent.crt", "-noout", "-text"]);
    assert!(text.contains("DNS:a-01.example.com"), "{text}");
    assert!(text.contains("CN = a-01.example.com"), "{text}");
    let openssl_serial = openssl_ok(
        dir.path(),
        &["x509", "-in", "agent.crt", "-noout", "-serial"],
    );
    assert_eq!(
        openssl_serial.trim().trim_start_matches("serial=").trim(),
        serial
    );
    let cert_key = openssl_ok(
        dir.path(),
        &["x509", "-in", "agent.crt", "-noout", "-pubkey"],
    );
    let key_pub = openssl_ok(dir.path(), &["pkey", "-in", "agent.key", "-pubout"]);
    assert_eq!(
        cert_key.trim(),
        key_pub.trim(),
        "the key belongs to the certificate"
    );

    // The registry and the host's certificate download agree with the bundle.
    let (status, headers, pem) = get_text(
        &api,
        Some(&fleet.op_a),
        &format!("/api/v1/hosts/{a}/client.crt"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/x-pem-file");
    assert_eq!(pem, bundle["cert_pem"].as_str().unwrap());

    let issued = audit_actions(&api, "certificate.issued").await;
    assert_eq!(issued.len(), 1);
    assert_eq!(
        (
            issued[0].actor.as_str(),
            issued[0].target_id.as_deref(),
            issued[0].ip.as_deref()
        ),
        ("op-a", Some(serial.as_str()), Some("127.0.0.1"))
    );
    assert!(issued[0].details.contains("bundle download"));
    let downloaded = audit_actions(&api, "certificate.downloaded").await;
    assert_eq!(downloaded.len(), 1);
    assert_eq!(downloaded[0].target_id.as_deref(), Some(serial.as_str()));
    let everything = api
        .store
        .testing_strings("SELECT details FROM audit_log")
        .await
        .unwrap()
        .join("\n");
    assert!(!everything.contains("PRIVATE KEY"), "a key was audited");

    // A second download issues a new certificate: keys are never kept to hand out again.
    let (status, second) = api
        .post(
            &fleet.op_a,
            &format!("/api/v1/hosts/{a}/certificate-bundle"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_ne!(
        second["certificate"]["serial"].as_str(),
        Some(serial.as_str())
    );
    assert_ne!(second["key_pem"], bundle["key_pem"]);
    api.stop().await;
}

#[tokio::test]
async fn hosts_out_of_scope_are_not_found_and_lists_are_scoped() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let a = hid(&fleet.host_a);
    let b = hid(&fleet.host_b);
    for (token, host) in [
        (&fleet.op_a, a),
        (&fleet.op_b, b),
        (&fleet.admin, hid(&fleet.host_free)),
    ] {
        let (status, body) = api
            .post(
                token,
                &format!("/api/v1/hosts/{host}/certificate-bundle"),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    let (status, body) = api
        .post(
            &fleet.op_b,
            &format!("/api/v1/hosts/{a}/certificate-bundle"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "host_not_found")
    );
    let (status, _, _) = get_text(
        &api,
        Some(&fleet.op_b),
        &format!("/api/v1/hosts/{a}/client.crt"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, missing) =
        get_text(&api, Some(&fleet.admin), "/api/v1/hosts/999999/client.crt").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
    assert_eq!(audit_actions(&api, "certificate.issued").await.len(), 3);

    let hosts_of = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["host_id"].as_i64().unwrap())
            .collect()
    };
    let (status, page) = api
        .get(&fleet.op_a, "/api/v1/certificates?sort=issued")
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(
        hosts_of(&page),
        vec![a, hid(&fleet.host_free)],
        "op-a sees group A's and the ungrouped host's certificates only"
    );
    let (_, page) = api
        .get(
            &fleet.admin,
            "/api/v1/certificates?sort=-issued&purpose=agent_server",
        )
        .await;
    assert_eq!(hosts_of(&page), vec![hid(&fleet.host_free), b, a]);
    assert_eq!(page["total"], 3);
    let (_, page) = api
        .get(&fleet.admin, &format!("/api/v1/certificates?host={b}"))
        .await;
    assert_eq!(hosts_of(&page), vec![b]);
    let (_, page) = api
        .get(&fleet.admin, "/api/v1/certificates?expiring_within_days=1")
        .await;
    assert_eq!(
        page["total"], 0,
        "fresh certificates do not expire tomorrow"
    );
    let (_, page) = api
        .get(
            &fleet.admin,
            "/api/v1/certificates?expiring_within_days=3650",
        )
        .await;
    assert_eq!(page["total"], 3);
    let (_, page) = api
        .get(&fleet.admin, "/api/v1/certificates?revoked=true")
        .await;
    assert_eq!(page["total"], 0);

    for bad in [
        "sort=serial",
        "purpose=laptop",
        "revoked=maybe",
        "expiring_within_days=-1",
        "expiring_within_days=40000",
        "host=0",
    ] {
        let (status, body) = api
            .get(&fleet.admin, &format!("/api/v1/certificates?{bad}"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    api.stop().await;
}

#[tokio::test]
async fn the_root_and_the_crl_are_public_and_a_revocation_reaches_both_crls() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let a = hid(&fleet.host_a);

    let (status, headers, root) = get_text(&api, None, "/api/v1/ca/root.crt").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/x-pem-file");
    assert_eq!(root, api.ca.root_pem());

    let (_, bundle) = api
        .post(
            &fleet.admin,
            &format!("/api/v1/hosts/{a}/certificate-bundle"),
            json!({}),
        )
        .await;
    let serial = bundle["certificate"]["serial"].as_str().unwrap().to_owned();
    // As `openssl x509 -text` prints it: lower case with colons.
    let spelled = serial
        .to_lowercase()
        .as_bytes()
        .chunks(2)
        .map(|pair| std::str::from_utf8(pair).unwrap())
        .collect::<Vec<_>>()
        .join(":");

    let (status, body) = api
        .post(
            &fleet.op_a,
            &format!("/api/v1/certificates/{spelled}/revoke"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "admin_required")
    );
    let (status, revoked) = api
        .post(
            &fleet.admin,
            &format!("/api/v1/certificates/{spelled}/revoke"),
            json!({"reason": "key_compromise"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    assert_eq!(revoked["serial"], serial.as_str());
    assert_eq!(revoked["revocation_reason"], "key_compromise");
    assert!(revoked["revoked_at"].is_string());
    let (status, body) = api
        .post(
            &fleet.admin,
            &format!("/api/v1/certificates/{serial}/revoke"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "already_revoked")
    );
    for unknown in ["ABCDEF", "not-hex"] {
        let (status, body) = api
            .post(
                &fleet.admin,
                &format!("/api/v1/certificates/{unknown}/revoke"),
                json!({}),
            )
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::NOT_FOUND, "certificate_not_found")
        );
    }
    let (status, _) = api
        .post(
            &fleet.admin,
            &format!("/api/v1/certificates/{serial}/revoke"),
            json!({"reason": "bored"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.crt"), api.ca.root_pem()).unwrap();
    let (status, _, served) = get_text(&api, None, "/api/v1/ca/crl.pem").await;
    assert_eq!(status, StatusCode::OK);
    std::fs::write(dir.path().join("served.pem"), &served).unwrap();
    let data_dir = api.state.data_dir.clone().unwrap();
    std::fs::copy(data_dir.join("ca/crl.pem"), dir.path().join("file.pem")).unwrap();
    for crl in ["served.pem", "file.pem"] {
        let out = openssl_ok(
            dir.path(),
            &["crl", "-in", crl, "-CAfile", "ca.crt", "-noout", "-text"],
        );
        assert!(out.contains("verify OK"), "{crl}: {out}");
        assert!(
            out.contains(&format!("Serial Number: {serial}")),
            "{crl}: {out}"
        );
        assert!(out.contains("Key Compromise"), "{crl}: {out}");
    }

    let (_, page) = api
        .get(&fleet.admin, "/api/v1/certificates?revoked=true")
        .await;
    assert_eq!(page["total"], 1);
    let (status, _, _) = get_text(
        &api,
        Some(&fleet.admin),
        &format!("/api/v1/hosts/{a}/client.crt"),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a revoked certificate is not the host's certificate"
    );
    let revocations = audit_actions(&api, "certificate.revoked").await;
    assert_eq!(revocations.len(), 1);
    assert_eq!(
        (
            revocations[0].actor.as_str(),
            revocations[0].target_id.as_deref()
        ),
        ("root-admin", Some(serial.as_str()))
    );
    api.stop().await;
}

#[tokio::test]
async fn pem_downloads_are_plain_text_to_a_client_that_asks_only_for_text() {
    // Generated API clients read `text/*` as a string and know nothing of
    // `application/x-pem-file`; browsers and desktops keep getting the PEM type.
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let a = hid(&fleet.host_a);
    let (status, bundle) = api
        .post(
            &fleet.admin,
            &format!("/api/v1/hosts/{a}/certificate-bundle"),
            json!({}),
        )
        .await;
    assert!(status.is_success(), "{status}: {bundle}");
    let host_certificate = format!("/api/v1/hosts/{a}/client.crt");
    for (path, token) in [
        ("/api/v1/ca/root.crt", None),
        ("/api/v1/ca/crl.pem", None),
        (host_certificate.as_str(), Some(fleet.admin.as_str())),
    ] {
        let (_, _, as_pem) = get_text(&api, token, path).await;
        assert!(as_pem.starts_with("-----BEGIN "), "{path}: {as_pem}");
        for (accept, media_type) in [
            (None, "application/x-pem-file"),
            (Some("*/*"), "application/x-pem-file"),
            (Some("application/json"), "application/x-pem-file"),
            (Some("text/plain"), "text/plain; charset=utf-8"),
            (Some("Text/Plain; q=0.5"), "text/plain; charset=utf-8"),
            (
                Some("application/json, text/*"),
                "text/plain; charset=utf-8",
            ),
            (
                Some("text/plain, application/x-pem-file"),
                "application/x-pem-file",
            ),
        ] {
            let mut request = api.client().get(api.url(path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(accept) = accept {
                request = request.header(reqwest::header::ACCEPT, accept);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path} {accept:?}");
            assert_eq!(
                response.headers()["content-type"],
                media_type,
                "{path} with Accept {accept:?}"
            );
            assert!(
                response.headers()["content-disposition"]
                    .to_str()
                    .unwrap()
                    .starts_with("attachment;"),
                "{path} {accept:?}"
            );
            // The CRL is signed afresh at each call; the others are the same text.
            let body = response.text().await.unwrap();
            assert!(body.starts_with("-----BEGIN "), "{path} {accept:?}: {body}");
            if !path.ends_with("crl.pem") {
                assert_eq!(body, as_pem, "{path} {accept:?}");
            }
        }
    }
    api.stop().await;
}

#[tokio::test]
async fn renewal_issues_a_new_certificate_for_the_same_names() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let a = hid(&fleet.host_a);
    let (_, bundle) = api
        .post(
            &fleet.op_a,
            &format!("/api/v1/hosts/{a}/certificate-bundle"),
            json!({}),
        )
        .await;
    let serial = bundle["certificate"]["serial"].as_str().unwrap().to_owned();

    let path = format!("/api/v1/certificates/{}/renew", serial.to_lowercase());
    let (status, body) = api.post(&fleet.op_a, &path, json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "admin_required")
    );
    let response = api
        .client()
        .post(api.url(&path))
        .bearer_auth(&fleet.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let renewed: Value = response.json().await.unwrap();
    assert_ne!(
        renewed["certificate"]["serial"].as_str(),
        Some(serial.as_str())
    );
    assert_eq!(
        renewed["certificate"]["sans"],
        bundle["certificate"]["sans"]
    );
    assert_eq!(renewed["certificate"]["host_id"], a);
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), &renewed);
    let verified = openssl_ok(
        dir.path(),
        &[
            "verify",
            "-CAfile",
            "ca.crt",
            "-purpose",
            "sslserver",
            "agent.crt",
        ],
    );
    assert!(verified.contains("agent.crt: OK"), "{verified}");

    let (_, _, current) = get_text(
        &api,
        Some(&fleet.op_a),
        &format!("/api/v1/hosts/{a}/client.crt"),
    )
    .await;
    assert_eq!(current, renewed["cert_pem"].as_str().unwrap());
    let issued = audit_actions(&api, "certificate.issued").await;
    assert!(issued[0].details.contains(&format!("renewal of {serial}")));

    let (status, body) = api
        .post(&fleet.admin, "/api/v1/certificates/0A0B/renew", json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "certificate_not_found")
    );
    api.stop().await;
}

#[tokio::test]
async fn without_a_ca_certificate_operations_answer_503() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let mut state = api.state.clone();
    state.ca = None;
    let app = lpm_server::http::app(state);
    let a = hid(&fleet.host_a);
    for (method, path, token) in [
        (Method::GET, "/api/v1/ca/root.crt".to_owned(), None),
        (Method::GET, "/api/v1/ca/crl.pem".to_owned(), None),
        (
            Method::POST,
            format!("/api/v1/hosts/{a}/certificate-bundle"),
            Some(&fleet.admin),
        ),
    ] {
        use tower::ServiceExt;
        let mut request = axum::http::Request::builder().method(method).uri(&path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = app
            .clone()
            .oneshot(request.body(axum::body::Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(code(&body), "ca_unavailable");
    }
    assert!(audit_actions(&api, "certificate.").await.is_empty());
    api.stop().await;
}
