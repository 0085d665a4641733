//! Reports over HTTPS in every format: JSON checked field by field, CSV parsed back, PDFs read
//! back with `pdftotext`; scoping (an operator never sees another group's host), filters, the
//! admin-only audit report, streamed CSV, and an audit row for every download.

use std::process::Command;

use chrono::Duration;
use lpm_core::agent::{AvailablePatch, ChangeAction, PackageChange, PatchReport, Severity};
use lpm_core::ids::HostId;
use lpm_core::job::{JobKind, JobOptions, Schedule};
use lpm_core::ports::HostOutcome;
use lpm_core::rbac::Scope;
use lpm_store::jobs::{JobTarget, NewJob};
use lpm_store::{Actor, Store};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use super::harness::{Api, Backend, Fleet, code, hid};

/// Reads a PDF back as text. Without poppler-utils the test fails: reading the PDF is the
/// point.
fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = match Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!(
                "`pdftotext` is not on PATH: install poppler-utils (Debian package poppler-utils)"
            )
        }
        Err(e) => panic!("running pdftotext: {e}"),
    };
    assert!(
        output.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A CSV body as header-keyed rows.
fn parse_csv(body: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(body);
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// `GET path` as `token`: status, headers and raw body.
async fn download(api: &Api, token: &str, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let response = api
        .client()
        .get(api.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

/// Downloads a report in each format, checks the framing, and answers JSON, CSV rows and
/// PDF text.
async fn all_formats(
    api: &Api,
    token: &str,
    report: &str,
    query: &str,
) -> (
    Value,
    Vec<std::collections::HashMap<String, String>>,
    String,
) {
    let path = |format: &str| format!("/api/v1/reports/{report}?format={format}{query}");
    let (status, headers, body) = download(api, token, &path("json")).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert_eq!(headers["content-type"], "application/json");
    let json: Value = serde_json::from_slice(&body).unwrap();

    let (status, headers, csv) = download(api, token, &path("csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"{report}-"))
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let rows = parse_csv(&csv);

    let (status, headers, pdf) = download(api, token, &path("pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(".pdf\"")
    );
    assert!(pdf.starts_with(b"%PDF"));
    (json, rows, pdftotext(&pdf))
}

fn patch(package: &str, severity: Severity, cves: &[&str], advisories: &[&str]) -> AvailablePatch {
    AvailablePatch {
        package: package.into(),
        current_version: "1.0-1".into(),
        available_version: "1.0-2".into(),
        arch: "amd64".into(),
        security: !cves.is_empty(),
        severity,
        advisories: advisories.iter().map(|a| a.to_string()).collect(),
        cves: cves.iter().map(|c| c.to_string()).collect(),
        reboot_required: false,
    }
}

async fn snapshot(
    store: &Store,
    host: HostId,
    patches: Vec<AvailablePatch>,
    at: chrono::DateTime<chrono::Utc>,
) {
    store
        .record_patch_snapshot(
            host,
            &PatchReport {
                patches,
                checked_at: at,
            },
            at,
        )
        .await
        .unwrap();
}

fn upgraded(package: &str) -> HostOutcome {
    HostOutcome::Succeeded {
        changes: vec![PackageChange {
            package: package.into(),
            from: Some("3.0.1-1".into()),
            to: Some("3.0.2-1".into()),
            action: ChangeAction::Upgrade,
        }],
        reboot_required: false,
        log_tail: vec![],
    }
}

/// Runs a job over `hosts` to its end, each host's outcome from `outcome`.
async fn run_job(
    api: &Api,
    scope: &Scope,
    actor: &Actor,
    kind: JobKind,
    hosts: &[HostId],
    outcome: impl Fn(HostId) -> HostOutcome,
) {
    let now = api.now();
    let job = NewJob {
        kind,
        schedule: Schedule::Immediate,
        options: JobOptions::default(),
        parent: None,
        targets: hosts
            .iter()
            .map(|h| JobTarget {
                host: *h,
                due_at: Some(now),
                waiting_reason: None,
            })
            .collect(),
    };
    api.store.create_job(scope, &job, actor, now).await.unwrap();
    let work = api
        .store
        .claim("test-worker", now, Duration::minutes(5), 100)
        .await
        .unwrap();
    for w in work {
        api.store
            .record_dispatch(&w.lease, &format!("key-{}", w.lease.job_host), now)
            .await
            .unwrap();
        api.store
            .complete(&w.lease, &outcome(w.host), now)
            .await
            .unwrap();
    }
}

/// The fleet's patch states, CVE history and two finished jobs:
/// - a-01: a critical security update (CVE-2026-1111, USN-1111-1) and a moderate one;
/// - b-01: an important one (CVE-2026-2222) and two low ones; CVE-2026-3333 fixed after two days;
/// - free-01: polled, nothing pending.
/// - job 1 (admin) over a-01 (openssl upgraded) and b-01 (failed); job 2 (op-a) on a-01 (curl).
async fn seed(api: &Api, fleet: &Fleet) {
    let (a, b, free) = (fleet.host_a.id, fleet.host_b.id, fleet.host_free.id);
    let start = api.now() - Duration::days(10);
    snapshot(
        &api.store,
        b,
        vec![patch(
            "libxml2",
            Severity::Important,
            &["CVE-2026-2222", "CVE-2026-3333"],
            &["RHSA-2026:2222"],
        )],
        start,
    )
    .await;
    snapshot(
        &api.store,
        b,
        vec![
            patch(
                "libxml2",
                Severity::Important,
                &["CVE-2026-2222"],
                &["RHSA-2026:2222"],
            ),
            patch("tzdata", Severity::Low, &[], &[]),
            patch("vim", Severity::Low, &[], &[]),
        ],
        start + Duration::days(2),
    )
    .await;
    snapshot(
        &api.store,
        a,
        vec![
            patch(
                "openssl",
                Severity::Critical,
                &["CVE-2026-1111"],
                &["USN-1111-1"],
            ),
            patch("curl", Severity::Moderate, &[], &[]),
        ],
        start + Duration::days(3),
    )
    .await;
    snapshot(&api.store, free, vec![], start + Duration::days(3)).await;

    let admin_actor = Actor::user(fleet.admin_user.id, "root-admin", Some("127.0.0.1".into()));
    let admin_scope = Scope::for_user(&fleet.admin_user).unwrap();
    run_job(
        api,
        &admin_scope,
        &admin_actor,
        JobKind::ApplyPatches,
        &[a, b],
        |h| {
            if h == b {
                HostOutcome::Failed {
                    error: "dpkg returned 1".into(),
                    changes: vec![],
                    log_tail: vec![],
                }
            } else {
                upgraded("openssl")
            }
        },
    )
    .await;
    let op_scope = Scope::for_user(&fleet.op_a_user).unwrap();
    let op_actor = Actor::user(fleet.op_a_user.id, "op-a", Some("127.0.0.1".into()));
    run_job(api, &op_scope, &op_actor, JobKind::Update, &[a], |_| {
        upgraded("curl")
    })
    .await;
}

fn names_in(json: &Value, list: &str, field: &str) -> Vec<String> {
    json[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h[field].as_str().unwrap().to_owned())
        .collect()
}

async fn downloads(api: &Api) -> Vec<lpm_store::audit::AuditRecord> {
    let filter = lpm_store::audit::AuditFilter {
        action_prefix: Some("report.downloaded".into()),
        ..Default::default()
    };
    api.store
        .list_audit(&filter, lpm_store::PageRequest::new(1, 500).unwrap())
        .await
        .unwrap()
        .items
}

#[tokio::test]
async fn compliance_in_every_format_matches_the_seeded_fleet() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    seed(&api, &fleet).await;
    let (json, rows, pdf) = all_formats(&api, &fleet.admin, "compliance", "").await;

    assert_eq!(
        names_in(&json, "hosts", "name"),
        [
            "a-01.example.com",
            "b-01.example.com",
            "free-01.example.com"
        ]
    );
    let figures = &json["fleet"];
    assert_eq!(
        (
            figures["hosts"].as_u64(),
            figures["fully_patched"].as_u64(),
            figures["security_patches"].as_u64()
        ),
        (Some(3), Some(1), Some(2))
    );
    assert_eq!(
        figures["pending"],
        serde_json::json!({"critical": 1, "important": 1, "moderate": 1, "low": 2, "unknown": 0})
    );
    assert_eq!(json["hosts"][0]["groups"], serde_json::json!(["group-a"]));
    assert_eq!(json["meta"]["generated_by"], "root-admin");

    assert_eq!(rows.len(), 3);
    let b = rows
        .iter()
        .find(|r| r["host"] == "b-01.example.com")
        .unwrap();
    assert_eq!(
        (
            b["pending_important"].as_str(),
            b["pending_low"].as_str(),
            b["pending_total"].as_str(),
            b["security_patches"].as_str(),
            b["groups"].as_str()
        ),
        ("1", "2", "3", "1", "group-b")
    );

    assert!(pdf.contains("Compliance report"), "{pdf}");
    for name in [
        "a-01.example.com",
        "b-01.example.com",
        "free-01.example.com",
        "root-admin",
    ] {
        assert!(pdf.contains(name), "{name} missing from the PDF:\n{pdf}");
    }
    assert!(pdf.contains("33.3%"), "1 of 3 hosts fully patched:\n{pdf}");

    // Only critical updates count: a-01 is the one host not compliant.
    let (_, _, body) = download(
        &api,
        &fleet.admin,
        "/api/v1/reports/compliance?severity=critical",
    )
    .await;
    let critical: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(critical["fleet"]["fully_patched"], 2);
    assert_eq!(
        critical["meta"]["filters"]["severities"],
        serde_json::json!(["critical"])
    );

    let audited = downloads(&api).await;
    assert_eq!(audited.len(), 4, "every download is audited");
    let formats: Vec<String> = audited
        .iter()
        .map(|r| {
            let details: Value = serde_json::from_str(&r.details).unwrap();
            assert_eq!(
                (r.actor.as_str(), r.target_id.as_deref()),
                ("root-admin", Some("compliance"))
            );
            details["format"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(formats, ["json", "pdf", "csv", "json"]);
    let last: Value = serde_json::from_str(&audited[0].details).unwrap();
    assert_eq!(last["severity"], serde_json::json!(["critical"]));
    api.stop().await;
}

#[tokio::test]
async fn patch_history_and_vulnerability_in_every_format() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    seed(&api, &fleet).await;

    let (json, rows, pdf) = all_formats(&api, &fleet.admin, "patch-history", "").await;
    assert_eq!(json["summary"]["jobs"], 2);
    assert_eq!(json["summary"]["changes"], 2);
    assert_eq!(json["summary"]["by_state"]["partially_failed"], 1);
    let newest = &json["jobs"][0];
    assert_eq!(
        (newest["kind"].as_str(), newest["started_by"].as_str()),
        (Some("update"), Some("op-a"))
    );
    let first = &json["jobs"][1];
    assert_eq!(first["started_by"], "root-admin");
    assert_eq!(first["hosts"][1]["error"], "dpkg returned 1");
    assert_eq!(first["hosts"][0]["changes"][0]["package"], "openssl");
    let packages: Vec<&str> = rows.iter().map(|r| r["package"].as_str()).collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(packages.contains(&"openssl") && packages.contains(&"curl"));
    let failed = rows
        .iter()
        .find(|r| r["host"] == "b-01.example.com")
        .unwrap();
    assert_eq!(failed["host_outcome"], "failed");
    assert!(pdf.contains("Patch history report"), "{pdf}");
    // The job table gives each job's outcome; the change table lists the changes made.
    for text in [
        "openssl",
        "curl",
        "op-a",
        "partially failed",
        "a-01.example.com",
    ] {
        assert!(pdf.contains(text), "{text} missing:\n{pdf}");
    }

    let (json, rows, pdf) = all_formats(&api, &fleet.admin, "vulnerability", "").await;
    assert_eq!(json["open_findings"], 2);
    assert_eq!(json["affected_hosts"], 2);
    assert_eq!(
        json["open_cves_by_severity"],
        serde_json::json!({"critical": 1, "important": 1, "moderate": 0, "low": 0, "unknown": 0})
    );
    let cves = names_in(&json, "cves", "cve");
    assert_eq!(cves, ["CVE-2026-1111", "CVE-2026-2222", "CVE-2026-3333"]);
    let important = json["time_to_patch"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["severity"] == "important")
        .unwrap();
    assert_eq!(
        (
            important["fixed"].as_u64(),
            important["median_days"].as_f64()
        ),
        (Some(1), Some(2.0)),
        "CVE-2026-3333 took two days"
    );
    let by_cve: std::collections::HashMap<&str, &std::collections::HashMap<String, String>> =
        rows.iter().map(|r| (r["cve"].as_str(), r)).collect();
    assert_eq!(by_cve.len(), 3);
    assert_eq!(by_cve["CVE-2026-1111"]["advisories"], "USN-1111-1");
    assert_eq!(
        by_cve["CVE-2026-1111"]["affected_hosts"],
        "a-01.example.com"
    );
    assert_eq!(by_cve["CVE-2026-3333"]["fixed_hosts"], "1");
    assert!(pdf.contains("Vulnerability report"), "{pdf}");
    for text in [
        "CVE-2026-1111",
        "CVE-2026-2222",
        "a-01.example.com",
        "USN-1111-1",
    ] {
        assert!(pdf.contains(text), "{text} missing:\n{pdf}");
    }

    // The range: findings open at some time after the fix leave CVE-2026-3333 out.
    let since = (api.now() - Duration::days(5)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (status, _, body) = download(
        &api,
        &fleet.admin,
        &format!("/api/v1/reports/vulnerability?since={since}&severity=important,critical"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let ranged: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        names_in(&ranged, "cves", "cve"),
        ["CVE-2026-1111", "CVE-2026-2222"]
    );
    assert_eq!(downloads(&api).await.len(), 7);
    api.stop().await;
}

async fn operators_never_see_hosts_out_of_scope(backend: Backend) {
    let api = Api::start_on(backend).await;
    let fleet = api.fleet().await;
    seed(&api, &fleet).await;
    for report in ["compliance", "patch-history", "vulnerability"] {
        let (json, rows, pdf) = all_formats(&api, &fleet.op_a, report, "").await;
        let csv_text = format!("{rows:?}");
        for (form, text) in [("json", json.to_string()), ("csv", csv_text), ("pdf", pdf)] {
            assert!(
                !text.contains("b-01.example.com"),
                "{report} as {form} names an out-of-scope host:\n{text}"
            );
            assert!(
                text.contains("a-01.example.com"),
                "{report} as {form}:\n{text}"
            );
        }
    }
    let (_, _, body) = download(&api, &fleet.op_a, "/api/v1/reports/compliance").await;
    let json: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        names_in(&json, "hosts", "name"),
        ["a-01.example.com", "free-01.example.com"]
    );
    let (status, body) = api.get(&fleet.op_a, "/api/v1/reports/audit").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "admin_required")
    );
    let (status, body) = api
        .get(
            &fleet.op_a,
            &format!(
                "/api/v1/reports/compliance?group={}",
                fleet.group_b.id.get()
            ),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "a group out of scope is refused like a missing one"
    );
    let (status, _) = api
        .get(
            &fleet.op_a,
            &format!("/api/v1/reports/compliance?host={}", hid(&fleet.host_b)),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let audited = downloads(&api).await;
    assert_eq!(audited.len(), 10);
    assert!(audited.iter().all(|r| r.actor == "op-a"));
    api.stop().await;
}

#[tokio::test]
async fn operators_never_see_hosts_out_of_scope_on_sqlite() {
    operators_never_see_hosts_out_of_scope(Backend::Sqlite).await;
}

#[tokio::test]
async fn operators_never_see_hosts_out_of_scope_on_postgres() {
    operators_never_see_hosts_out_of_scope(Backend::Postgres).await;
}

#[tokio::test]
async fn filters_narrow_reports_and_bad_ones_are_refused() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    seed(&api, &fleet).await;
    let get = |query: String| {
        let api = &api;
        let token = fleet.admin.clone();
        async move { api.get(&token, &format!("/api/v1/reports/{query}")).await }
    };

    let (status, json) = get(format!("compliance?group={}", fleet.group_b.id.get())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names_in(&json, "hosts", "name"), ["b-01.example.com"]);
    assert_eq!(
        json["meta"]["filters"]["groups"],
        serde_json::json!(["group-b"])
    );
    let (_, json) = get(format!(
        "compliance?host={},{}",
        hid(&fleet.host_free),
        hid(&fleet.host_a)
    ))
    .await;
    assert_eq!(
        names_in(&json, "hosts", "name"),
        ["a-01.example.com", "free-01.example.com"]
    );
    // The key repeated (what generated clients send) means the same as a comma list.
    let (status, repeated) = get(format!(
        "compliance?host={}&host={}",
        hid(&fleet.host_free),
        hid(&fleet.host_a)
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        names_in(&repeated, "hosts", "name"),
        names_in(&json, "hosts", "name")
    );
    let (_, json) = get(format!("patch-history?host={}", hid(&fleet.host_b))).await;
    assert_eq!(json["summary"]["jobs"], 1);
    let later =
        (api.now() + Duration::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (_, json) = get(format!("patch-history?since={later}")).await;
    assert_eq!(json["summary"]["jobs"], 0);

    let now = api.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for bad in [
        "compliance?format=docx".to_owned(),
        "compliance?format=csv&format=pdf".to_owned(),
        "compliance?group=abc".to_owned(),
        "compliance?group=999".to_owned(),
        "compliance?host=0".to_owned(),
        "compliance?severity=urgent".to_owned(),
        format!("compliance?since={now}"),
        "patch-history?severity=critical".to_owned(),
        format!("vulnerability?since={now}&until={now}"),
        "vulnerability?since=yesterday".to_owned(),
        "audit?host=1".to_owned(),
        format!(
            "compliance?host={}",
            vec![hid(&fleet.host_a).to_string(); 501].join(",")
        ),
    ] {
        let (status, body) = get(bad.clone()).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "{bad}: {body}"
        );
    }
    // Elsewhere a key given twice is still an error, not a silently joined value.
    let (status, body) = api.get(&fleet.admin, "/api/v1/audit?actor=a&actor=b").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "{body}"
    );
    assert_eq!(
        downloads(&api).await.len(),
        5,
        "refused requests are not downloads"
    );
    api.stop().await;
}

#[tokio::test]
async fn the_audit_report_verifies_the_chain_and_streams_its_csv() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    // More rows than one database page, so the stream has to page.
    let entries: Vec<_> = (0..2500)
        .map(|i| Actor::system().entry("host.refreshed", "host", i))
        .collect();
    api.store.audit_many(&entries, api.now()).await.unwrap();
    let total = api
        .store
        .list_audit(
            &Default::default(),
            lpm_store::PageRequest::new(1, 1).unwrap(),
        )
        .await
        .unwrap()
        .total;

    let (json, rows, pdf) = all_formats(&api, &fleet.admin, "audit", "").await;
    assert_eq!(json["chain"]["status"], "intact");
    let json_rows = json["rows"].as_array().unwrap();
    assert_eq!(json_rows.len() as i64, total);
    assert_eq!(
        rows.len() as i64,
        total + 2,
        "the CSV also holds the JSON download's audit row and its own"
    );
    let ids: Vec<i64> = rows.iter().map(|r| r["id"].parse().unwrap()).collect();
    assert!(
        ids.windows(2).all(|w| w[1] == w[0] + 1),
        "every row once, in order"
    );
    let last = rows.last().unwrap();
    assert_eq!(
        (
            last["action"].as_str(),
            last["actor"].as_str(),
            last["target"].as_str()
        ),
        ("report.downloaded", "root-admin", "report:audit")
    );
    assert!(pdf.contains("Audit report"), "{pdf}");
    assert!(pdf.contains("Audit chain intact"), "{pdf}");
    assert!(pdf.contains("host.refreshed"), "{pdf}");

    let until =
        (api.now() - Duration::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (status, _, body) = download(
        &api,
        &fleet.admin,
        &format!("/api/v1/reports/audit?until={until}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let early: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(early["rows"].as_array().unwrap().len(), 0);

    let audited = downloads(&api).await;
    assert_eq!(audited.len(), 4);
    let details: Value = serde_json::from_str(&audited[0].details).unwrap();
    assert_eq!(details["until"], until.as_str());
    api.stop().await;
}

#[tokio::test]
async fn json_reports_match_the_published_schema() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    seed(&api, &fleet).await;
    let doc = lpm_server::http::openapi_json();
    for (report, schema) in [
        ("compliance", "ComplianceReportDoc"),
        ("patch-history", "PatchHistoryReportDoc"),
        ("vulnerability", "VulnerabilityReportDoc"),
        ("audit", "AuditReportDoc"),
    ] {
        let (status, json) = api
            .get(&fleet.admin, &format!("/api/v1/reports/{report}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let declared = &doc["paths"][format!("/api/v1/reports/{report}")]["get"]["responses"]["200"]
            ["content"]["application/json"]["schema"]["$ref"];
        assert_eq!(declared, &format!("#/components/schemas/{schema}"));
        conforms(&doc, &serde_json::json!({"$ref": declared}), &json, report);
    }
    api.stop().await;
}

/// Checks that `value` has exactly the properties `schema` declares, recursively.
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return conforms(doc, &doc["components"]["schemas"][name], value, at);
    }
    if let Some(options) = schema["oneOf"].as_array() {
        let concrete: Vec<&Value> = options.iter().filter(|o| o["type"] != "null").collect();
        if value.is_null() {
            return;
        }
        return conforms(doc, concrete[0], value, at);
    }
    match value {
        Value::Object(map) if schema["properties"].is_object() => {
            let properties = schema["properties"].as_object().unwrap();
            for key in map.keys() {
                assert!(
                    properties.contains_key(key),
                    "{at}.{key} is not in the schema"
                );
            }
            for required in schema["required"].as_array().into_iter().flatten() {
                let required = required.as_str().unwrap();
                assert!(map.contains_key(required), "{at}.{required} is missing");
            }
            for (key, item) in map {
                conforms(doc, &properties[key], item, &format!("{at}.{key}"));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                conforms(doc, &schema["items"], item, &format!("{at}[{i}]"));
            }
        }
        _ => {}
    }
}
