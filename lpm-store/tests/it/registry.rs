//! The certificate registry and discovery runs.

use chrono::Duration;
use lpm_core::net::{Cidr, Port};
use lpm_core::ports::{Channel, Received};
use lpm_store::certificates::{CertificateQuery, NewCertificate};
use lpm_store::discovery::DiscoveryQuery;
use lpm_store::{PageRequest, StoreError};

use crate::harness::{TestStore, actor, admin_scope, hosts, t0};

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
    }
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
        .list_certificates(&soon, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        expiring
            .items
            .iter()
            .map(|c| c.certificate.serial.as_str())
            .collect::<Vec<_>>(),
        ["0C2D"]
    );
    let for_host = CertificateQuery {
        host: Some(host),
        ..Default::default()
    };
    let listed = s
        .list_certificates(&for_host, PageRequest::default())
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
    assert_eq!(
        s.list_certificates(&CertificateQuery::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );
    let all = CertificateQuery {
        include_revoked: true,
        ..Default::default()
    };
    assert_eq!(
        s.list_certificates(&all, PageRequest::default())
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
    assert!(s.discovery_progress(id, 100, 1).await.unwrap());
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
        !s.discovery_progress(id, 200, 1).await.unwrap(),
        "the scanner learns it was cancelled"
    );
    s.finish_discovery(id, None, t0()).await.unwrap();
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

crate::on_both_backends!(
    certificates_are_recorded_listed_and_revoked,
    discovery_runs_progress_and_cancel,
    discovery_results_are_listed_and_registered,
);
