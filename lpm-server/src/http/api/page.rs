//! List conventions shared by every collection: `page` (1-based), `per_page` (default 50, at
//! most 500) and `sort=field` or `sort=-field`, answered as `{items, total, page, per_page}`.

use lpm_store::{Direction, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::{ApiError, ApiResult};

/// The paging part of a list's query string.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1.
    #[param(minimum = 1, default = 1)]
    pub page: Option<u32>,
    /// Rows per page, 1 to 500.
    #[param(minimum = 1, maximum = 500, default = 50)]
    pub per_page: Option<u32>,
}

impl PageParams {
    /// The validated request, or 422 naming the field.
    pub fn request(&self) -> ApiResult<PageRequest> {
        PageRequest::new(self.page.unwrap_or(1), self.per_page.unwrap_or(50))
            .map_err(ApiError::from)
    }
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Paged<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Rows matching the filters across all pages.
    pub total: i64,
    /// This page's number.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

impl<T> Paged<T> {
    /// Converts a store page, mapping each row.
    pub fn from_page<U>(page: lpm_store::Page<U>, f: impl FnMut(U) -> T) -> Self {
        Self {
            items: page.items.into_iter().map(f).collect(),
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        }
    }

    /// Converts a store page, mapping each row with a conversion that may fail.
    pub fn try_from_page<U, E>(
        page: lpm_store::Page<U>,
        f: impl FnMut(U) -> Result<T, E>,
    ) -> Result<Self, E> {
        Ok(Self {
            items: page.items.into_iter().map(f).collect::<Result<_, E>>()?,
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        })
    }
}

/// Parses `sort=field` / `sort=-field` into a field and a direction with `field_of` (which
/// knows the list's fields); no `sort` gives `F::default()` ascending. A field the list does not
/// sort by is a 422 naming the `choices`.
pub fn parse_sort<F: Default>(
    sort: Option<&str>,
    choices: &str,
    field_of: impl Fn(&str) -> Option<F>,
) -> ApiResult<(F, Direction)> {
    let Some(raw) = sort.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok((F::default(), Direction::Ascending));
    };
    let (direction, field) = match raw.strip_prefix('-') {
        Some(field) => (Direction::Descending, field),
        None => (Direction::Ascending, raw),
    };
    let field = field_of(field).ok_or_else(|| {
        ApiError::invalid_field(
            "sort",
            format!("sort by one of {choices}, with a leading - for descending"),
        )
    })?;
    Ok((field, direction))
}
