//! Request extractors whose rejections use the error envelope: a body that is not JSON is a
//! 400, JSON of the wrong shape a 422 naming the field (SDD §8.5), a bad query string a 422, a
//! path segment that cannot be what the route expects (`/hosts/abc`) a 404.
//!
//! Text containing a NUL character is refused (422) before it reaches a handler: PostgreSQL
//! cannot store it, so it would otherwise fail inside the database as a 500.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::ApiError;

/// `axum::Json`, with rejections in the envelope.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !has_json_content_type(&req) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as JSON with Content-Type: application/json.",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| body_unreadable())?;
        if json_has_nul_escape(&bytes) {
            return Err(nul_rejection("request body"));
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

/// `application/json` or `application/…+json`, parameters allowed, as `axum::Json` wants.
fn has_json_content_type(req: &Request) -> bool {
    let Some(value) = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence
        .strip_prefix("application/")
        .is_some_and(|subtype| subtype == "json" || subtype.ends_with("+json"))
}

/// Whether a JSON text holds a string with an escaped NUL (`\u0000`). Outside strings a JSON
/// text has no backslashes, and inside one a backslash starts an escape, so `u0000` after an
/// odd run of backslashes is exactly an escaped NUL.
fn json_has_nul_escape(json: &[u8]) -> bool {
    json.windows(5)
        .enumerate()
        .filter(|(_, w)| *w == b"u0000")
        .any(|(at, _)| {
            let backslashes = json[..at].iter().rev().take_while(|&&b| b == b'\\').count();
            backslashes % 2 == 1
        })
}

fn nul_rejection(place: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        format!("The {place} contains a NUL character, which no field accepts."),
    )
}

fn body_unreadable() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        "The request body could not be read (too large or cut off).",
    )
}

fn json_rejection(rejection: &JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::JsonDataError(e) => {
            // serde's message names the field and what was wrong with it.
            let detail = std::error::Error::source(e)
                .map(ToString::to_string)
                .unwrap_or_else(|| e.body_text());
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                format!("Invalid request body: {detail}"),
            )
            .with_details(serde_json::json!({ "body": detail }))
        }
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::bad_request("The request body is not valid JSON.")
        }
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the body as JSON with Content-Type: application/json.",
        ),
        JsonRejection::BytesRejection(_) => body_unreadable(),
        _ => ApiError::bad_request("The request body could not be read."),
    }
}

/// `axum::extract::Query`, with rejections in the envelope. A key given twice is refused.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

/// [`ApiQuery`] for parameters that include comma-separated lists (`group=1,2`, the
/// document's `explode: false`): a key given more than once (`group=1&group=2`, what many
/// generated clients send) is joined into one comma list before parsing, so both encodings
/// mean the same. A repeated key that is not a list then fails as an invalid value.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListQuery<T>(pub T);

/// The URI with repeated query keys joined into one comma-separated value, or `None` when no
/// key repeats.
fn join_repeated_keys(uri: &axum::http::Uri) -> Option<axum::http::Uri> {
    let query = uri.query()?;
    let mut joined: Vec<(String, String)> = Vec::new();
    let mut position: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut repeated = false;
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match position.get(key.as_ref()) {
            Some(&at) => {
                repeated = true;
                joined[at].1.push(',');
                joined[at].1.push_str(&value);
            }
            None => {
                position.insert(key.to_string(), joined.len());
                joined.push((key.into_owned(), value.into_owned()));
            }
        }
    }
    if !repeated {
        return None;
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&joined)
        .finish();
    format!("{}?{query}", uri.path()).parse().ok()
}

/// Parses the query string into `T`, joining repeated keys first when `join_lists`.
async fn parse_query<T: DeserializeOwned, S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
    join_lists: bool,
) -> Result<T, ApiError> {
    // A NUL can only arrive percent-encoded: `%2500` is the text `%00`, not a NUL.
    if parts.uri.query().is_some_and(|q| q.contains("%00")) {
        return Err(nul_rejection("query string"));
    }
    let joined = if join_lists {
        join_repeated_keys(&parts.uri)
    } else {
        None
    };
    let parsed = match joined {
        Some(joined) => axum::extract::Query::<T>::try_from_uri(&joined),
        None => axum::extract::Query::<T>::from_request_parts(parts, state).await,
    };
    match parsed {
        Ok(axum::extract::Query(value)) => Ok(value),
        Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
            let detail = e.body_text();
            Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                detail.clone(),
            )
            .with_details(serde_json::json!({ "query": detail })))
        }
        Err(_) => Err(ApiError::bad_request("The query string could not be read.")),
    }
}

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts, state, false).await.map(Self)
    }
}

impl<T, S> FromRequestParts<S> for ListQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts, state, true).await.map(Self)
    }
}

/// `axum::extract::Path`, with rejections in the envelope: a segment that cannot be what the
/// route expects (`/hosts/abc`, an id past `i64`) names nothing there, so it is a 404 like a
/// missing row.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            // Only a text segment can hold a NUL; a number that failed to parse is a 404 below.
            Ok(_) if parts.uri.path().contains("%00") => Err(nul_rejection("path")),
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("Nothing at {}.", parts.uri.path()),
            )),
            Err(rejection) => Err(ApiError::internal(rejection.body_text())),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::post;
    use tower::ServiceExt;

    #[derive(Debug, serde::Deserialize)]
    struct Host {
        #[allow(dead_code)]
        fqdn: lpm_core::net::Fqdn,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Paging {
        #[allow(dead_code)]
        page: u32,
    }

    async fn create(ApiQuery(_): ApiQuery<Paging>, ApiJson(_): ApiJson<Host>) -> &'static str {
        "ok"
    }

    #[derive(Debug, serde::Deserialize)]
    struct Note {
        #[allow(dead_code)]
        text: String,
    }

    async fn note(ApiJson(_): ApiJson<Note>) -> &'static str {
        "ok"
    }

    async fn host(ApiPath(_): ApiPath<i64>) -> &'static str {
        "ok"
    }

    async fn name(ApiPath(_): ApiPath<String>) -> &'static str {
        "ok"
    }

    async fn send(method: &str, uri: &str, body: &str) -> (StatusCode, serde_json::Value) {
        let app = Router::new()
            .route("/hosts", post(create))
            .route("/notes", post(note))
            .route("/hosts/{id}", axum::routing::get(host))
            .route("/names/{name}", axum::routing::get(name));
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json; charset=utf-8")
            .body(Body::from(body.to_owned()))
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
        )
    }

    #[tokio::test]
    async fn nul_characters_are_refused_wherever_they_arrive() {
        assert_eq!(
            send("POST", "/notes", r#"{"text":"a"}"#).await.0,
            StatusCode::OK
        );
        let (status, body) = send("POST", "/notes", r#"{"text":"a\u0000b"}"#).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["code"], "validation_failed");
        // An escaped backslash followed by the text `u0000` is no NUL.
        assert_eq!(
            send("POST", "/notes", r#"{"text":"a\\u0000b"}"#).await.0,
            StatusCode::OK
        );
        let (status, _) = send("POST", "/notes", r#"{"text":"a\\\u0000b"}"#).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let (status, body) = send(
            "POST",
            "/hosts?page=1%00",
            r#"{"fqdn":"web-01.example.com"}"#,
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
        );
        let (status, _) = send("GET", "/names/a%00b", "").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[tokio::test]
    async fn a_path_segment_of_the_wrong_type_names_nothing() {
        assert_eq!(send("GET", "/hosts/7", "").await.0, StatusCode::OK);
        assert_eq!(send("GET", "/names/a%20b", "").await.0, StatusCode::OK);
        for path in [
            "/hosts/abc",
            "/hosts/99999999999999999999",
            "/hosts/1.5",
            "/hosts/1%00",
        ] {
            let (status, body) = send("GET", path, "").await;
            assert_eq!(
                (status, body["error"]["code"].as_str()),
                (StatusCode::NOT_FOUND, Some("not_found")),
                "{path}"
            );
        }
    }

    async fn call(
        uri: &str,
        content_type: Option<&str>,
        body: &str,
    ) -> (StatusCode, serde_json::Value) {
        let app = Router::new().route("/hosts", post(create));
        let mut request = Request::builder().method("POST").uri(uri);
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        let response = app
            .oneshot(request.body(Body::from(body.to_owned())).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
        )
    }

    #[tokio::test]
    async fn rejections_are_enveloped_with_the_right_status() {
        let json = Some("application/json");
        assert_eq!(
            call("/hosts?page=1", json, r#"{"fqdn":"web-01.example.com"}"#)
                .await
                .0,
            StatusCode::OK
        );

        let (status, body) = call("/hosts?page=1", json, r#"{"fqdn":"not a host"}"#).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["code"], "validation_failed");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("invalid FQDN"),
            "{body}"
        );

        let (status, body) = call("/hosts?page=1", json, "{not json").await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("bad_request"))
        );

        let (status, _) = call("/hosts?page=1", None, r#"{"fqdn":"web-01.example.com"}"#).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

        let (status, body) =
            call("/hosts?page=zero", json, r#"{"fqdn":"web-01.example.com"}"#).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["details"]["query"].is_string());
    }
}
