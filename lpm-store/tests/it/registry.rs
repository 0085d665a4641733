//! The certificate registry and discovery runs.

use chrono::Duration;
use lpm_core::net::{Cidr, Port};
use lpm_core::ports::{Channel, Received};
use lpm_store::certificates::{CertificateQuery, CertificateSort, NewCertificate};
use lpm_store::discovery::DiscoveryQuery;
use lpm_store::{Direction, PageRequest, StoreError};

use crate::harness::{TestStore, actor, admin_scope, group, hosts, operator, t0};

fn cert(serial: &str, host: Option<lpm_core::ids::HostId>, days: i64) -> NewCertificate {
    NewCertificate {
        serial: serial.into(),
        kind: "agent_server".into(),
        host,
        subject: "agent".into(),
        sans: vec!["web-01.example.com".into(), "127.0.1.1".into()],
        not_before: t0(),
        not_after: t0() + Duration::days(days),
        fingerprint: "ab".repeat(32),
        cert_pem: Some(format!("PEM of {serial}")),
    }
}

fn serials(page: &lpm_store::Page<lpm_store::certificates::CertificateRecord>) -> Vec<&str> {
    page.items
        .iter()
        .map(|c| c.certificate.serial.as_str())
        .collect()
}

async fn certificates_are_recorded_listed_and_revoked(t: TestStore) {
    let s = &t.store;
    let admin = admin_scope().require_admin().unwrap();
    let host = hosts(s, 1, &[]).await[0];
    s.record_certificate(
        &cert("0A1B", Some(host), 90),
        "bundle download",
        &actor(),
        t0(),
    )
    .await
    .unwrap();
    s.record_certificate(&cert("0C2D", None, 10), "issue", &actor(), t0())
        .await
        .unwrap();
    let dup = s
        .record_certificate(&cert("0A1B", None, 1), "issue", &actor(), t0())
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict { .. })));
    assert!(
        s.record_certificate(&cert("0a:1b", None, 1), "issue", &actor(), t0())
            .await
            .is_err(),
        "serials are normalised first"
    );

    let soon = CertificateQuery {
        expiring_before: Some(t0() + Duration::days(30)),
        ..Default::default()
    };
    let expiring = s
        .list_certificates(&admin_scope(), &soon, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(serials(&expiring), ["0C2D"]);
    let for_host = CertificateQuery {
        host: Some(host),
        ..Default::default()
    };
    let listed = s
        .list_certificates(&admin_scope(), &for_host, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(listed.items[0].certificate, cert("0A1B", Some(host), 90));

    s.revoke_certificate(&admin, "0A1B", Some("key compromise"), &actor(), t0())
        .await
        .unwrap();
    assert!(matches!(
        s.revoke_certificate(&admin, "0A1B", None, &actor(), t0())
            .await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(matches!(
        s.revoke_certificate(&admin, "FFFF", None, &actor(), t0())
            .await,
        Err(StoreError::NotFound { .. })
    ));
    let revoked = s.revoked_certificates().await.unwrap();
    assert_eq!(
        revoked,
        vec![("0A1B".to_owned(), t0(), Some("key compromise".to_owned()))]
    );
    let valid = CertificateQuery {
        revoked: Some(false),
        ..Default::default()
    };
    let page = s
        .list_certificates(&admin_scope(), &valid, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(serials(&page), ["0C2D"]);
    let revoked_only = CertificateQuery {
        revoked: Some(true),
        ..Default::default()
    };
    let page = s
        .list_certificates(&admin_scope(), &revoked_only, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(serials(&page), ["0A1B"]);
    assert_eq!(
        page.items[0].revocation_reason.as_deref(),
        Some("key compromise")
    );
    assert_eq!(
        s.list_certificates(
            &admin_scope(),
            &CertificateQuery::default(),
            PageRequest::default()
        )
        .await
        .unwrap()
        .total,
        2
    );
    let audited = s
        .testing_strings(
            "SELECT action FROM audit_log WHERE target_type = 'certificate' ORDER BY id",
        )
        .await
        .unwrap();
    assert_eq!(
        audited,
        [
            "certificate.issued",
            "certificate.issued",
            "certificate.revoked"
        ]
    );
}

async fn certificates_are_scoped_sorted_and_found_per_host(t: TestStore) {
    let s = &t.store;
    let admin = admin_scope().require_admin().unwrap();
    let mine = group(s, "mine").await;
    let theirs = group(s, "theirs").await;
    let (_, op) = operator(s, "op", &[mine]).await;
    let in_scope = hosts(s, 1, &[mine]).await[0];
    let out_of_scope = s
        .create_host(
            &admin_scope(),
            &crate::harness::ip_host(50),
            &[theirs],
            &actor(),
            t0(),
        )
        .await
        .unwrap()
        .id;
    let later = |serial: &'static str, host, days, issued_days: i64| async move {
        s.record_certificate(
            &cert(serial, host, days),
            "bundle download",
            &actor(),
            t0() + Duration::days(issued_days),
        )
        .await
        .unwrap();
    };
    later("01", Some(in_scope), 30, 0).await;
    later("02", Some(in_scope), 20, 1).await;
    later("03", Some(out_of_scope), 10, 2).await;
    later("04", None, 5, 3).await;

    let all = |sort, direction| CertificateQuery {
        sort,
        direction,
        ..Default::default()
    };
    let page = s
        .list_certificates(
            &admin_scope(),
            &all(CertificateSort::NotAfter, Direction::Ascending),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(serials(&page), ["04", "03", "02", "01"]);
    let page = s
        .list_certificates(
            &admin_scope(),
            &all(CertificateSort::Issued, Direction::Descending),
            PageRequest::new(1, 2).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!((serials(&page), page.total), (vec!["04", "03"], 4));

    let page = s
        .list_certificates(
            &op,
            &all(CertificateSort::Issued, Direction::Ascending),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        (serials(&page), page.total),
        (vec!["01", "02"], 2),
        "an operator sees only the certificates of hosts in scope"
    );
    assert!(matches!(
        s.get_certificate(&op, "03").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        s.get_certificate(&op, "04").await,
        Err(StoreError::NotFound { .. })
    ));
    let found = s.get_certificate(&op, "02").await.unwrap();
    assert_eq!(found.certificate.cert_pem.as_deref(), Some("PEM of 02"));
    assert_eq!(found.issued_at, t0() + Duration::days(1));

    let current = s.current_host_certificate(&op, in_scope).await.unwrap();
    assert_eq!(current.unwrap().certificate.serial, "02");
    s.revoke_certificate(&admin, "02", None, &actor(), t0())
        .await
        .unwrap();
    let current = s.current_host_certificate(&op, in_scope).await.unwrap();
    assert_eq!(
        current.unwrap().certificate.serial,
        "01",
        "a revoked certificate is never the current one"
    );
    assert!(matches!(
        s.current_host_certificate(&op, out_of_scope).await,
        Err(StoreError::NotFound { .. })
    ));
    let fresh = s
        .create_host(
            &admin_scope(),
            &crate::harness::ip_host(60),
            &[],
            &actor(),
            t0(),
        )
        .await
        .unwrap()
        .id;
    assert_eq!(s.current_host_certificate(&op, fresh).await.unwrap(), None);
}

async fn discovery_runs_progress_and_cancel(t: TestStore) {
    let s = &t.store;
    let admin = admin_scope().require_admin().unwrap();
    let mut wake = s.subscribe(&[Channel::DiscoveryEnqueued]).await.unwrap();
    let cidr = Cidr::new("127.20.0.0/22").unwrap();
    let id = s
        .create_discovery(&admin, &cidr, Port::default(), &actor(), t0())
        .await
        .unwrap();
    let woke = tokio::time::timeout(std::time::Duration::from_secs(10), wake.recv())
        .await
        .unwrap();
    assert!(matches!(woke, Some(Received::Notice(n)) if n.payload == id.to_string()));

    let run = s.claim_discovery(t0()).await.unwrap().unwrap();
    assert_eq!(
        (run.id, run.state.as_str(), run.total),
        (id.get(), "running", 1022)
    );
    assert!(
        s.claim_discovery(t0()).await.unwrap().is_none(),
        "one worker per run"
    );
    assert!(s.discovery_progress(id, 1, 100, 1, t0()).await.unwrap());
    let ip = "127.20.0.5".parse().unwrap();
    s.add_discovery_result(
        id,
        ip,
        Port::default(),
        Some("agent-5.lpm.test"),
        Some("1.4.2"),
        t0(),
    )
    .await
    .unwrap();
    s.add_discovery_result(id, ip, Port::default(), None, None, t0())
        .await
        .unwrap();
    let (run, results) = s.get_discovery(id).await.unwrap();
    assert_eq!((run.done, run.found, results.len()), (100, 1, 1));

    s.cancel_discovery(&admin, id, &actor(), t0())
        .await
        .unwrap();
    assert!(
        !s.discovery_progress(id, 1, 200, 1, t0()).await.unwrap(),
        "the scanner learns it was cancelled"
    );
    s.finish_discovery(id, 1, None, t0()).await.unwrap();
    assert_eq!(s.get_discovery(id).await.unwrap().0.state, "cancelled");
    assert!(matches!(
        s.cancel_discovery(&admin, id, &actor(), t0()).await,
        Err(StoreError::Conflict { .. })
    ));

    let host = hosts(s, 1, &[]).await[0];
    s.mark_discovery_registered(results[0].id, host)
        .await
        .unwrap();
    assert_eq!(
        s.get_discovery(id).await.unwrap().1[0].registered_host_id,
        Some(host.get())
    );
    assert_eq!(
        s.list_discoveries(&Default::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );
}

async fn discovery_results_are_listed_and_registered(t: TestStore) {
    let s = &t.store;
    let admin = admin_scope().require_admin().unwrap();
    let cidr = Cidr::new("127.21.0.0/24").unwrap();
    let first = s
        .create_discovery(&admin, &cidr, Port::default(), &actor(), t0())
        .await
        .unwrap();
    let second = s
        .create_discovery(&admin, &cidr, Port::default(), &actor(), t0())
        .await
        .unwrap();
    s.cancel_discovery(&admin, first, &actor(), t0())
        .await
        .unwrap();
    let cancelled = DiscoveryQuery {
        state: Some("cancelled".into()),
        ..Default::default()
    };
    let runs = s
        .list_discoveries(&cancelled, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        (runs.total, runs.items[0].id),
        (1, first.get()),
        "filtered by state"
    );
    let oldest_first = DiscoveryQuery {
        oldest_first: true,
        ..Default::default()
    };
    let runs = s
        .list_discoveries(&oldest_first, PageRequest::default())
        .await
        .unwrap();
    let ids: Vec<i64> = runs.items.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![first.get(), second.get()]);
    assert_eq!(s.get_discovery_run(second).await.unwrap().state, "queued");

    for (i, fqdn) in [
        (1, Some("agent-1.lpm.test")),
        (2, Some("not a name")),
        (3, None),
    ] {
        let ip = format!("127.21.0.{i}").parse().unwrap();
        s.add_discovery_result(second, ip, Port::default(), fqdn, Some("1.4.2"), t0())
            .await
            .unwrap();
    }
    // The third address is already a host, registered by hand.
    let by_hand = s
        .create_host(
            &admin_scope(),
            &lpm_core::model::HostAddress::new(
                None,
                Some("127.21.0.3".parse().unwrap()),
                Port::default(),
            )
            .unwrap(),
            &[],
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    let results = s
        .list_discovery_results(second, None, PageRequest::new(1, 2).unwrap())
        .await
        .unwrap();
    assert_eq!((results.total, results.items.len()), (3, 2));
    // The address registered by hand is reported as that host before any registration.
    let (_, found) = s.get_discovery(second).await.unwrap();
    assert_eq!(
        found
            .iter()
            .map(|r| r.registered_host_id)
            .collect::<Vec<_>>(),
        [None, None, Some(by_hand.id.get())]
    );
    let unregistered = s
        .list_discovery_results(second, Some(false), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(unregistered.total, 2);
    let already = s
        .list_discovery_results(second, Some(true), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        already
            .items
            .iter()
            .map(|r| r.ip.as_str())
            .collect::<Vec<_>>(),
        ["127.21.0.3"]
    );
    let all: Vec<i64> = s
        .list_discovery_results(second, None, PageRequest::default())
        .await
        .unwrap()
        .items
        .iter()
        .map(|r| r.id)
        .collect();

    let g = crate::harness::group(s, "found").await;
    let audit_before = s.verify_audit().await.unwrap().rows_checked;
    let mut registered = Vec::new();
    for result in &all {
        registered.push(
            s.register_discovery_result(&admin, second, *result, &[g], &actor(), t0())
                .await
                .unwrap(),
        );
    }
    assert_eq!(
        registered.iter().map(|r| r.created).collect::<Vec<_>>(),
        [true, true, false]
    );
    assert_eq!(registered[2].host, by_hand.id);
    let named = s
        .get_host(&admin_scope(), registered[0].host)
        .await
        .unwrap();
    assert_eq!(
        named.address.fqdn().map(|f| f.as_str()),
        Some("agent-1.lpm.test")
    );
    assert_eq!(named.groups, vec![g]);
    let unnamed = s
        .get_host(&admin_scope(), registered[1].host)
        .await
        .unwrap();
    assert_eq!(
        (unnamed.address.fqdn(), unnamed.address.ip()),
        (None, Some("127.21.0.2".parse().unwrap())),
        "a name that is not an FQDN is left out"
    );
    assert_eq!(
        s.verify_audit().await.unwrap().rows_checked,
        audit_before + 2,
        "each new host audited once"
    );
    let again = s
        .register_discovery_result(&admin, second, all[0], &[], &actor(), t0())
        .await
        .unwrap();
    assert_eq!((again.host, again.created), (registered[0].host, false));
    let unregistered = s
        .list_discovery_results(second, Some(false), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(unregistered.total, 0);

    assert!(matches!(
        s.discovery_results(first, &all).await,
        Err(StoreError::NotFound {
            what: "discovery result"
        })
    ));
    assert!(matches!(
        s.register_discovery_result(&admin, first, all[0], &[], &actor(), t0())
            .await,
        Err(StoreError::NotFound {
            what: "discovery result"
        })
    ));
    assert!(matches!(
        s.get_discovery_run(lpm_core::ids::DiscoveryId::new(999).unwrap())
            .await,
        Err(StoreError::NotFound { what: "discovery" })
    ));
}

/// A worker that dies mid-scan stops writing progress; once the run is stale another worker
/// takes it over, and a live one keeps it.
async fn a_dead_worker_s_discovery_run_is_taken_over(t: TestStore) {
    let s = &t.store;
    let admin = admin_scope().require_admin().unwrap();
    let cidr = Cidr::new("127.21.0.0/30").unwrap();
    let id = s
        .create_discovery(&admin, &cidr, Port::default(), &actor(), t0())
        .await
        .unwrap();
    assert_eq!(
        s.claim_discovery(t0()).await.unwrap().map(|r| r.id),
        Some(id.get())
    );
    let beat = t0() + lpm_store::discovery::DISCOVERY_STALE_AFTER;
    assert!(s.discovery_progress(id, 1, 2, 0, beat).await.unwrap());
    let just_before = beat + lpm_store::discovery::DISCOVERY_STALE_AFTER;
    assert!(
        s.claim_discovery(just_before).await.unwrap().is_none(),
        "a run with a live heartbeat stays with its worker"
    );
    let later = just_before + chrono::Duration::seconds(1);
    let taken = s.claim_discovery(later).await.unwrap().unwrap();
    assert_eq!(
        (taken.id, taken.state.as_str(), taken.done, taken.claims),
        (id.get(), "running", 0, 2)
    );
    assert!(
        s.claim_discovery(later).await.unwrap().is_none(),
        "taken over once"
    );

    // The first worker, slow rather than dead, can no longer write to the run.
    assert!(
        !s.discovery_progress(id, 1, 3, 0, later).await.unwrap(),
        "the earlier claim learns it lost the run"
    );
    s.finish_discovery(id, 1, None, later).await.unwrap();
    assert_eq!(s.get_discovery(id).await.unwrap().0.state, "running");
    assert!(s.discovery_progress(id, 2, 4, 0, later).await.unwrap());
    s.finish_discovery(id, 2, None, later).await.unwrap();
    let (run, _) = s.get_discovery(id).await.unwrap();
    assert_eq!((run.state.as_str(), run.done), ("succeeded", 4));
}

crate::on_both_backends!(
    a_dead_worker_s_discovery_run_is_taken_over,
    certificates_are_recorded_listed_and_revoked,
    certificates_are_scoped_sorted_and_found_per_host,
    discovery_runs_progress_and_cancel,
    discovery_results_are_listed_and_registered,
);
