//! `lpm-server openapi`: prints the API's OpenAPI document, byte for byte the committed
//! `openapi/openapi.json`, so `scripts/regen-openapi` is one redirection.

use std::io::Write;

use crate::cli::CliError;

pub(crate) fn run() -> Result<(), CliError> {
    let text = crate::http::openapi_text()
        .map_err(|e| CliError::Invalid(format!("cannot render the OpenAPI document: {e}")))?;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| CliError::Io {
            path: "<stdout>".into(),
            source,
        })
}
