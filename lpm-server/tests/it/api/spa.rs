//! The embedded web UI over real HTTPS: page paths load the app, its hashed assets are served
//! with long-lived caching, and API and status paths keep their JSON 404s.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::Value;

use super::harness::Api;

async fn get(api: &Api, path: &str) -> reqwest::Response {
    api.client().get(api.url(path)).send().await.unwrap()
}

#[tokio::test]
async fn page_paths_load_the_app_with_its_security_headers() {
    let api = Api::start().await;
    for path in [
        "/",
        "/hosts",
        "/hosts/42?tab=patches",
        "/jobs/7",
        "/settings",
    ] {
        let response = get(&api, path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let headers = response.headers().clone();
        assert_eq!(headers[CONTENT_TYPE], "text/html; charset=utf-8", "{path}");
        assert_eq!(headers[CACHE_CONTROL], "no-cache", "{path}");
        let csp = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
        let body = response.text().await.unwrap();
        assert!(body.contains("<div id=\"root\"></div>"), "{path}: {body}");
    }
}

#[tokio::test]
async fn assets_are_served_immutable_and_revalidate_by_etag() {
    let api = Api::start().await;
    let index = get(&api, "/").await.text().await.unwrap();
    let script = index
        .split("src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(
        script.starts_with("/assets/") && script.ends_with(".js"),
        "{script}"
    );
    let response = get(&api, &script).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(
        response.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let etag = response.headers()[ETAG].clone();
    assert!(!response.bytes().await.unwrap().is_empty());

    let again = api
        .client()
        .get(api.url(&script))
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn api_status_and_missing_files_answer_the_json_404() {
    let api = Api::start().await;
    for path in [
        "/api",
        "/api/v1/no-such-thing",
        "/api/v2/hosts",
        "/status/nope",
        "/assets/index-gone.js",
        "/robots.txt",
    ] {
        let response = get(&api, path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "route_not_found", "{path}");
    }
    // Only reads get the app: other methods on a page path are the JSON 404 too.
    let response = api.client().post(api.url("/hosts")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "route_not_found");
}
