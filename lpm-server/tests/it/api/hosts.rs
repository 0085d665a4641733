//! Hosts over HTTP: lists are scoped, paged and sorted; a host out of scope is a 404.

use reqwest::StatusCode;

use super::harness::{Api, code, hid, ids};

#[tokio::test]
async fn host_list_is_scoped_paged_and_sorted() {
    let api = Api::start().await;
    let fleet = api.fleet().await;

    let (status, page) = api.get(&fleet.admin, "/api/v1/hosts?sort=name").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(
        ids(&page),
        vec![
            hid(&fleet.host_a),
            hid(&fleet.host_b),
            hid(&fleet.host_free)
        ]
    );
    assert_eq!(
        (
            page["total"].as_i64(),
            page["page"].as_u64(),
            page["per_page"].as_u64()
        ),
        (Some(3), Some(1), Some(50))
    );

    let (_, page) = api.get(&fleet.op_a, "/api/v1/hosts?sort=-name").await;
    assert_eq!(ids(&page), vec![hid(&fleet.host_free), hid(&fleet.host_a)]);

    let (_, page) = api
        .get(&fleet.op_b, "/api/v1/hosts?per_page=1&page=2")
        .await;
    assert_eq!(ids(&page), vec![hid(&fleet.host_free)]);
    assert_eq!(page["total"], 2);

    let (status, body) = api.get(&fleet.admin, "/api/v1/hosts?sort=colour").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    let (status, _) = api.get(&fleet.admin, "/api/v1/hosts?per_page=501").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    api.stop().await;
}

#[tokio::test]
async fn a_host_out_of_scope_is_not_found_like_a_missing_one() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let a = hid(&fleet.host_a);

    let (status, host) = api.get(&fleet.op_a, &format!("/api/v1/hosts/{a}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(host["fqdn"], "a-01.example.com");

    let (status, hidden) = api.get(&fleet.op_b, &format!("/api/v1/hosts/{a}")).await;
    let (_, missing) = api.get(&fleet.op_b, "/api/v1/hosts/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(code(&hidden), code(&missing));
    assert_eq!(hidden["error"]["message"], missing["error"]["message"]);
    api.stop().await;
}

#[tokio::test]
async fn requests_without_a_valid_token_are_refused() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (status, body) = api
        .call(reqwest::Method::GET, "/api/v1/hosts", None, None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    let (status, body) = api.get("not-a-jwt", "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );
    api.clock.advance(chrono::Duration::minutes(16));
    let (status, body) = api.get(&fleet.admin, "/api/v1/hosts").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "token_expired")
    );
    api.stop().await;
}
