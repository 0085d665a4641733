//! Request extractors whose rejections use the error envelope: a body that is not JSON is a
//! 400, JSON of the wrong shape a 422 naming the field (SDD §8.5), a bad query string a 422.

use axum::extract::rejection::{JsonRejection, QueryRejection};
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
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
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
        JsonRejection::BytesRejection(_) => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "The request body could not be read (too large or cut off).",
        ),
        _ => ApiError::bad_request("The request body could not be read."),
    }
}

/// `axum::extract::Query`, with rejections in the envelope.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
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
