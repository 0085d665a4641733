//! Input validation and the time rules: names, SANs, serials, expiry and renewal windows.

use lpm_ca::time::Duration;
use lpm_ca::{Ca, CaError, Lifetimes, expiring_within, normalize_serial, renewal_due};

use crate::support::{new_ca, now};

#[test]
fn invalid_dns_names_are_rejected() {
    let ca = new_ca("Test CA");
    let too_long = format!(
        "{}.{}.{}.{}",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(62)
    );
    assert_eq!(too_long.len(), 254);
    for bad in [
        "",
        "bad_name",
        "*.wild",
        "a..b",
        too_long.as_str(),
        "-a.example",
        "10.0.0.1",
    ] {
        match ca.issue_agent_server(Some(bad), None, now()) {
            Err(CaError::InvalidName { name, .. }) => assert_eq!(name, bad),
            other => panic!("{bad:?}: expected InvalidName, got {other:?}"),
        }
        assert!(matches!(
            ca.issue_web_server(&["localhost", bad], &[], now()),
            Err(CaError::InvalidName { .. })
        ));
        assert!(matches!(
            ca.agent_bundle(Some(bad), None, now()),
            Err(CaError::InvalidName { .. })
        ));
    }
}

#[test]
fn a_server_cert_needs_a_san() {
    let ca = new_ca("Test CA");
    assert!(matches!(
        ca.issue_agent_server(None, None, now()),
        Err(CaError::NoSubjectAltName)
    ));
    let none: &[&str] = &[];
    assert!(matches!(
        ca.issue_web_server(none, &[], now()),
        Err(CaError::NoSubjectAltName)
    ));
    assert!(matches!(
        ca.issue_agent_server(None, Some("0.0.0.0".parse().unwrap()), now()),
        Err(CaError::InvalidIpAddress { .. })
    ));
}

#[test]
fn invalid_common_names_are_rejected() {
    let ca = new_ca("Test CA");
    for bad in ["", " padded ", "line\nbreak", &"x".repeat(65)] {
        assert!(matches!(
            ca.issue_manager_client(bad, now()),
            Err(CaError::InvalidName { .. })
        ));
        assert!(matches!(
            Ca::generate(bad, now()),
            Err(CaError::InvalidName { .. })
        ));
    }
}

#[test]
fn normalize_serial_cases() {
    assert_eq!(normalize_serial("0a:1B:2c:3D").unwrap(), "0A1B2C3D");
    assert_eq!(normalize_serial("0A1B2C3D").unwrap(), "0A1B2C3D");
    assert_eq!(normalize_serial("0a1b2c3d").unwrap(), "0A1B2C3D");
    assert_eq!(normalize_serial("00:9f:01").unwrap(), "9F01");
    assert_eq!(normalize_serial("fff").unwrap(), "0FFF");
    for bad in ["", "xyz", "0a-1b", "0a 1b", "0x0a", "g0"] {
        assert!(
            matches!(normalize_serial(bad), Err(CaError::InvalidSerial { .. })),
            "{bad:?}"
        );
    }
    // Round trip with issued certificates.
    let ca = new_ca("Test CA");
    let c = ca.issue_manager_client("m", now()).unwrap();
    assert_eq!(
        normalize_serial(&c.info.serial.to_lowercase()).unwrap(),
        c.info.serial
    );
}

#[test]
fn expiry_query_and_renewal_rule_on_issued_certs() {
    let t = now();
    let ca = new_ca("Test CA");
    let mgr = ca.issue_manager_client("m", t).unwrap().info;
    let agent = ca
        .issue_agent_server(Some("a.example"), None, t)
        .unwrap()
        .info;
    let web = ca.issue_web_server(&["localhost"], &[], t).unwrap().info;
    let old = ca
        .issue_agent_server(Some("old.example"), None, t - Duration::days(100))
        .unwrap()
        .info;
    let all = vec![mgr.clone(), agent.clone(), web.clone(), old.clone()];

    // 30 days ahead: the manager cert (30-day lifetime) and the expired one.
    let soon: Vec<_> = expiring_within(&all, t, 30)
        .into_iter()
        .map(|c| &c.serial)
        .collect();
    assert_eq!(soon, [&mgr.serial, &old.serial]);
    assert!(old.is_expired(t) && !mgr.is_expired(t));
    // 61 days later everything is within 30 days of its end.
    assert_eq!(expiring_within(&all, t + Duration::days(61), 30).len(), 4);

    // Manager renews itself at two thirds (day 20) of its 30 days.
    assert!(!renewal_due(&mgr, t));
    assert!(!renewal_due(&mgr, t + Duration::days(19)));
    assert!(renewal_due(&mgr, t + Duration::days(20)));
    assert!(!renewal_due(&web, t + Duration::days(59)));
    assert!(renewal_due(&web, t + Duration::days(60)));
    assert!(renewal_due(&old, t));
}

#[test]
fn custom_lifetimes_apply() {
    let t = now();
    let lifetimes = Lifetimes {
        manager_client: Duration::hours(24),
        agent_server: Duration::days(365),
        backdate: Duration::ZERO,
        ..Lifetimes::default()
    };
    let ca = new_ca("Test CA").with_lifetimes(lifetimes).unwrap();
    assert_eq!(ca.lifetimes(), &lifetimes);
    let mgr = ca.issue_manager_client("m", t).unwrap().info;
    assert_eq!(mgr.not_after - mgr.not_before, Duration::hours(24));
    let agent = ca
        .issue_agent_server(Some("a.example"), None, t)
        .unwrap()
        .info;
    assert_eq!(agent.not_after - agent.not_before, Duration::days(365));
    assert!(matches!(
        Ca::generate_with_lifetimes(
            "x",
            Lifetimes {
                backdate: Duration::minutes(-1),
                ..Lifetimes::default()
            },
            t
        ),
        Err(CaError::InvalidDuration { .. })
    ));
}
