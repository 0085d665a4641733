//! The web UI (SDD §5.4, AD-06): the single-page app built from `lpm-server/web` into
//! `web/dist` and embedded in the binary, served as the router's fallback. A path that names an
//! embedded file gets that file; any other page path gets `index.html`, so the app's own routes
//! (`/hosts/42`) load directly; `/api/…` and `/status/…` keep their JSON 404s.
//!
//! The committed `web/dist` is what gets embedded, so building the server needs no Node.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

/// The built UI, embedded at compile time (in debug builds too, so tests see what ships).
#[derive(Embed)]
#[folder = "web/dist/"]
struct Assets;

/// What the browser may load and from where: only this origin (the socket to the job stream
/// included), no inline scripts, no framing.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Hashed build outputs never change under their name: browsers may keep them for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Everything else (index.html, the icon) is checked again on every load.
const REVALIDATE: &str = "no-cache";

/// The router's fallback: the UI for page paths, the JSON 404 for API paths and other methods.
pub async fn fallback(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if is_api(path) || (method != Method::GET && method != Method::HEAD) {
        return super::not_found(uri).await.into_response();
    }
    let name = path.trim_start_matches('/');
    let name = if name.is_empty() { "index.html" } else { name };
    match Assets::get(name) {
        Some(file) => asset(name, file, &headers),
        // A missing file (an old hashed bundle, a typo) is a 404, not the app.
        None if looks_like_file(name) => super::not_found(uri).await.into_response(),
        None => match Assets::get("index.html") {
            Some(index) => asset("index.html", index, &headers),
            None => super::not_found(uri).await.into_response(),
        },
    }
}

fn is_api(path: &str) -> bool {
    ["/api", "/status"]
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")))
}

fn looks_like_file(name: &str) -> bool {
    name.starts_with("assets/")
        || name
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
}

fn asset(name: &str, file: rust_embed::EmbeddedFile, headers: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..16]));
    let cache = if name.starts_with("assets/") {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = Response::new(Body::from(file.data.into_owned()));
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(name)),
        );
        response
    };
    let out = response.headers_mut();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, value);
    }
    out.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if name.ends_with(".html") {
        out.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        out.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        out.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    response
}

/// The media type of a build output, by extension (Vite emits only these).
fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" | "webmanifest" => "application/json",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_and_status_paths_are_never_the_app() {
        for path in ["/api", "/api/", "/api/v1/nope", "/status", "/status/nope"] {
            assert!(is_api(path), "{path}");
        }
        for path in ["/", "/hosts", "/apiary", "/statusboard", "/hosts/api"] {
            assert!(!is_api(path), "{path}");
        }
    }

    #[test]
    fn file_like_paths_are_not_app_routes() {
        assert!(looks_like_file("assets/index-abc.js"));
        assert!(looks_like_file("robots.txt"));
        assert!(!looks_like_file("hosts/42"));
        assert!(!looks_like_file("jobs"));
    }

    #[test]
    fn the_build_is_embedded_with_an_index() {
        let index = Assets::get("index.html").map(|f| f.data.into_owned());
        let index = String::from_utf8(index.unwrap_or_default()).unwrap_or_default();
        assert!(index.contains("<div id=\"root\">"), "{index}");
        // Everything index.html loads is embedded under assets/ and local to this origin.
        assert!(!index.contains("http://") && !index.contains("https://"));
        let bundles: Vec<_> = Assets::iter()
            .filter(|name| name.starts_with("assets/") && name.ends_with(".js"))
            .collect();
        assert!(!bundles.is_empty());
        assert!(!Assets::iter().any(|name| name.ends_with(".map")));
    }
}
