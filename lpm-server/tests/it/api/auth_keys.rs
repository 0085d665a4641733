//! JWT signing-key rotation against the running API, in manual-clock time: a key signs for 90
//! days, its tokens verify 24 hours past its replacement, then its file is deleted.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::sync::Arc;

use chrono::Duration;
use lpm_server::auth::rotation::{CHECK_EVERY, KeyDir, KeyRotation};
use lpm_server::auth::{Amr, issue};
use reqwest::StatusCode;

use super::harness::{Api, code};

fn key_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn kid_of(jwt: &str) -> String {
    use base64::Engine as _;
    let header = jwt.split('.').next().unwrap();
    let header: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(header)
            .unwrap(),
    )
    .unwrap();
    header["kid"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn keys_rotate_after_90_days_and_old_tokens_verify_24_hours_more() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let admin = fleet.admin_user.clone();
    let data = tempfile::tempdir().unwrap();
    let keys = KeyDir::open(data.path()).unwrap();
    let rotation = KeyRotation::new(api.store.clone(), keys.clone());
    let ring = &api.state.auth.keys;
    let start = api.now();

    // First start: a key is generated, saved privately, published, and signs.
    let first = rotation.check(ring, start).await.unwrap().unwrap();
    assert_eq!(mode(keys.path()), 0o700);
    assert_eq!(key_files(keys.path()), [format!("{first}.pem")]);
    assert_eq!(mode(&keys.path().join(format!("{first}.pem"))), 0o600);
    let old_key = ring.keys().signing.clone();
    assert_eq!(kid_of(&api.token(&admin)), first);

    // Day 89: nothing to do.
    api.clock.advance(Duration::days(89));
    assert_eq!(rotation.check(ring, api.now()).await.unwrap(), None);

    // The last token of the old key, a second before day 90; then the rotation.
    api.clock
        .set(start + Duration::days(90) - Duration::seconds(1));
    let last_old = api.token(&admin);
    api.clock.advance(Duration::seconds(1));
    let second = rotation.check(ring, api.now()).await.unwrap().unwrap();
    assert_ne!(second, first);
    assert_eq!(key_files(keys.path()).len(), 2);
    let new_token = api.token(&admin);
    assert_eq!(kid_of(&new_token), second);
    api.clock.advance(Duration::minutes(10));
    for token in [&last_old, &new_token] {
        let (status, body) = api.get(token, "/api/v1/hosts").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    // The old key verifies until its 24 hours of overlap end, and not a second longer (a
    // token it signed just before is still within its own 15 minutes).
    let overlap_end = start + Duration::days(91);
    api.clock.set(overlap_end - Duration::minutes(1));
    let late = issue(&old_key, &admin, Amr::PwdTotp, api.now()).unwrap();
    let (status, _) = api.get(&late, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::OK);
    api.clock.set(overlap_end);
    let (status, body) = api.get(&late, "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );
    let fresh = api.token(&admin);
    let (status, _) = api.get(&fresh, "/api/v1/hosts").await;
    assert_eq!(status, StatusCode::OK, "the new key signs on");

    // The next check deletes the retired key's file.
    assert_eq!(rotation.check(ring, api.now()).await.unwrap(), None);
    assert_eq!(key_files(keys.path()), [format!("{second}.pem")]);

    // A restart picks the same key up again.
    let restarted = KeyRotation::new(api.store.clone(), KeyDir::open(data.path()).unwrap());
    let set = restarted.current(api.now()).await.unwrap();
    assert_eq!((set.signing.kid(), set.generated), (second.as_str(), false));
    api.stop().await;
}

#[tokio::test]
async fn the_background_task_rotates_on_the_servers_clock() {
    let api = Api::start().await;
    let data = tempfile::tempdir().unwrap();
    let rotation = KeyRotation::new(api.store.clone(), KeyDir::open(data.path()).unwrap());
    let first = rotation
        .check(&api.state.auth.keys, api.now())
        .await
        .unwrap()
        .unwrap();
    let task = rotation.spawn(
        Arc::clone(&api.state.auth),
        Arc::new(api.clock.clone()),
        CHECK_EVERY,
    );
    // Let the task start and go to sleep on the manual clock.
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    api.clock.advance(Duration::days(90) + CHECK_EVERY);
    let mut kid = first.clone();
    for _ in 0..500 {
        kid = api.state.auth.keys.keys().signing.kid().to_owned();
        if kid != first {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_ne!(kid, first, "the task rotated the key");
    assert_eq!(
        api.store.jwt_verifying_keys(api.now()).await.unwrap().len(),
        2
    );
    task.abort();
    api.stop().await;
}
