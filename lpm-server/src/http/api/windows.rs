//! Maintenance windows per host: one-time periods or recurring rules in an IANA time zone, in
//! the JSON form of `lpm_core::window::MaintenanceWindow`, with their next openings.
//!
//! Windows are host-scoped: a window of a host outside the caller's groups answers 404 like a
//! missing one. A schedule that cannot be a window (an end before its start, an unknown zone, a
//! duration over seven days ...) is a 422 naming the field.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveTime, Utc, Weekday};
use lpm_core::ids::{HostId, WindowId};
use lpm_core::model::Name;
use lpm_core::window::{MaintenanceWindow, Recurrence, WeekOfMonth, WindowError};
use lpm_store::windows::{StoredWindow, WindowListing, WindowQuery, WindowSort};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiPath, Caller, PageParams, Paged, id_or_404, parse_sort};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiQuery, ApiResult, AppState};

/// How many future openings a window view shows.
pub const NEXT_OPENINGS: usize = 3;

/// A window's schedule (the JSON form of `lpm_core::window::MaintenanceWindow`).
// Each variant has a schema title, so that a generated client names its class after it
// (`OneTimeWindowSpec`) rather than after its position (`WindowSpecType0`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum WindowSpec {
    /// Open once, from `start` (inclusive) to `end` (exclusive).
    #[schema(title = "OneTimeWindowSpec")]
    OneTime {
        /// When it opens.
        start: DateTime<Utc>,
        /// When it closes; after `start`.
        end: DateTime<Utc>,
    },
    /// Open on every local day the rule matches, from `local_start` in `time_zone`, for
    /// `duration_minutes` of real time. A start time skipped by a clock change opens with the
    /// offset in force before it; one repeated opens once, at its first instance.
    #[schema(title = "RecurringWindowSpec")]
    Recurring {
        /// Which local days.
        rule: RuleSpec,
        /// Wall-clock opening time, `HH:MM`.
        #[schema(example = "02:30", pattern = r"^\d{2}:\d{2}$")]
        local_start: String,
        /// How long each opening lasts: 1 minute to 7 days.
        #[schema(minimum = 1, maximum = 10080)]
        duration_minutes: i64,
        /// An IANA time-zone name.
        #[schema(example = "Europe/Berlin")]
        time_zone: String,
    },
}

/// The calendar rule of a recurring window: `weekly`, `monthly_by_day` or
/// `monthly_by_weekday`, holding that rule's fields.
// Each rule's fields are a named schema and each variant has a schema title: a generated
// client then has one class per rule (`WeeklyRuleSpec` holding a `WeeklyRule`), where
// anonymous nested objects gave classes named after positions, some of them generated twice.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RuleSpec {
    /// Every week on these weekdays.
    #[schema(title = "WeeklyRuleSpec")]
    Weekly(WeeklyRule),
    /// Every month on this day; months without it are skipped.
    #[schema(title = "MonthlyByDayRuleSpec")]
    MonthlyByDay(MonthlyByDayRule),
    /// Every month on the `week`-th `weekday`.
    #[schema(title = "MonthlyByWeekdayRuleSpec")]
    MonthlyByWeekday(MonthlyByWeekdayRule),
}

/// Every week on these weekdays.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeeklyRule {
    /// At least one weekday.
    #[schema(min_items = 1)]
    pub days: Vec<WeekdayName>,
}

/// Every month on this day; months without it are skipped.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonthlyByDayRule {
    /// Day of month.
    #[schema(minimum = 1, maximum = 31)]
    pub day: u8,
}

/// Every month on the `week`-th `weekday`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonthlyByWeekdayRule {
    /// Which one.
    pub week: WeekOfMonthName,
    /// The weekday.
    pub weekday: WeekdayName,
}

/// A weekday. English names in any case are accepted too ("Monday", "MON").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WeekdayName {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl From<WeekdayName> for Weekday {
    fn from(day: WeekdayName) -> Self {
        match day {
            WeekdayName::Mon => Weekday::Mon,
            WeekdayName::Tue => Weekday::Tue,
            WeekdayName::Wed => Weekday::Wed,
            WeekdayName::Thu => Weekday::Thu,
            WeekdayName::Fri => Weekday::Fri,
            WeekdayName::Sat => Weekday::Sat,
            WeekdayName::Sun => Weekday::Sun,
        }
    }
}

impl<'de> Deserialize<'de> for WeekdayName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let day: Weekday = text.parse().map_err(|_| {
            serde::de::Error::custom(format_args!(
                "{text:?} is not a weekday name such as \"mon\""
            ))
        })?;
        Ok(match day {
            Weekday::Mon => WeekdayName::Mon,
            Weekday::Tue => WeekdayName::Tue,
            Weekday::Wed => WeekdayName::Wed,
            Weekday::Thu => WeekdayName::Thu,
            Weekday::Fri => WeekdayName::Fri,
            Weekday::Sat => WeekdayName::Sat,
            Weekday::Sun => WeekdayName::Sun,
        })
    }
}

/// Which occurrence of a weekday in a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WeekOfMonthName {
    /// On days 1–7.
    First,
    /// On days 8–14.
    Second,
    /// On days 15–21.
    Third,
    /// On days 22–28.
    Fourth,
    /// On the last seven days.
    Last,
}

impl From<WeekOfMonthName> for WeekOfMonth {
    fn from(week: WeekOfMonthName) -> Self {
        match week {
            WeekOfMonthName::First => WeekOfMonth::First,
            WeekOfMonthName::Second => WeekOfMonth::Second,
            WeekOfMonthName::Third => WeekOfMonth::Third,
            WeekOfMonthName::Fourth => WeekOfMonth::Fourth,
            WeekOfMonthName::Last => WeekOfMonth::Last,
        }
    }
}

impl WindowSpec {
    /// The validated window, or 422 naming the field at fault.
    pub fn into_window(self) -> ApiResult<MaintenanceWindow> {
        let invalid = |e: WindowError| ApiError::invalid_field(window_field(&e), e.to_string());
        match self {
            WindowSpec::OneTime { start, end } => {
                MaintenanceWindow::one_time(start, end).map_err(invalid)
            }
            WindowSpec::Recurring {
                rule,
                local_start,
                duration_minutes,
                time_zone,
            } => {
                let rule = match rule {
                    RuleSpec::Weekly(WeeklyRule { days }) => {
                        Recurrence::weekly(days.into_iter().map(Weekday::from)).map_err(invalid)?
                    }
                    RuleSpec::MonthlyByDay(MonthlyByDayRule { day }) => {
                        Recurrence::monthly_by_day(day).map_err(invalid)?
                    }
                    RuleSpec::MonthlyByWeekday(MonthlyByWeekdayRule { week, weekday }) => {
                        Recurrence::monthly_by_weekday(week.into(), weekday.into())
                    }
                };
                let start = NaiveTime::parse_from_str(&local_start, "%H:%M")
                    .or_else(|_| NaiveTime::parse_from_str(&local_start, "%H:%M:%S"))
                    .map_err(|_| {
                        invalid(WindowError::InvalidLocalStart {
                            value: local_start.clone(),
                        })
                    })?;
                let duration = Duration::try_minutes(duration_minutes).ok_or_else(|| {
                    let reason = if duration_minutes < 0 {
                        "the window duration must be positive"
                    } else {
                        "the window duration must be at most 7 days"
                    };
                    ApiError::invalid_field("window.duration_minutes", reason)
                })?;
                MaintenanceWindow::recurring(rule, start, duration, &time_zone).map_err(invalid)
            }
        }
    }
}

/// The request field a window error is about.
fn window_field(err: &WindowError) -> &'static str {
    match err {
        WindowError::EndNotAfterStart { .. } => "window.end",
        WindowError::NonPositiveDuration { .. }
        | WindowError::DurationTooLong { .. }
        | WindowError::DurationNotWholeMinutes { .. } => "window.duration_minutes",
        WindowError::LocalStartNotWholeMinute { .. } | WindowError::InvalidLocalStart { .. } => {
            "window.local_start"
        }
        WindowError::UnknownTimeZone { .. } => "window.time_zone",
        WindowError::EmptyWeekdaySet => "window.rule.weekly.days",
        WindowError::DayOfMonthOutOfRange { .. } => "window.rule.monthly_by_day.day",
    }
}

/// A window, named, with its schedule.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowInput {
    /// A name people recognise ("Sunday night"), 1 to 100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// The schedule.
    pub window: WindowSpec,
}

impl WindowInput {
    fn validate(self) -> ApiResult<(Name, MaintenanceWindow)> {
        let name =
            Name::new(&self.name).map_err(|e| ApiError::invalid_field("name", e.to_string()))?;
        Ok((name, self.window.into_window()?))
    }
}

/// One period in which a window is open: `[opens_at, closes_at)`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningView {
    /// When it opens.
    pub opens_at: DateTime<Utc>,
    /// When it closes.
    pub closes_at: DateTime<Utc>,
}

/// A maintenance window with its host and next openings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WindowView {
    /// Its id.
    pub id: i64,
    /// The host it belongs to.
    pub host_id: i64,
    /// The host's FQDN, else its address.
    pub host_name: String,
    /// Its name.
    pub name: String,
    /// The schedule.
    #[schema(value_type = WindowSpec)]
    pub window: MaintenanceWindow,
    /// Open at this moment.
    pub open_now: bool,
    /// The next openings from now (at most three; none for a one-time window that has passed).
    pub next_openings: Vec<OpeningView>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl WindowView {
    fn new(stored: StoredWindow, host_name: String, now: DateTime<Utc>) -> Self {
        let next_openings = stored
            .window
            .openings(now, NEXT_OPENINGS)
            .into_iter()
            .map(|o| OpeningView {
                opens_at: o.opens_at,
                closes_at: o.closes_at,
            })
            .collect();
        Self {
            id: stored.id.get(),
            host_id: stored.host.get(),
            host_name,
            name: stored.name.as_str().to_owned(),
            open_now: stored.window.is_open(now),
            window: stored.window,
            next_openings,
            created_at: stored.created_at,
        }
    }

    fn listed(listing: WindowListing, now: DateTime<Utc>) -> Self {
        Self::new(listing.window, listing.host_name, now)
    }
}

/// Order of a host's windows.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HostWindowFilters {
    /// `name` or `created`; a leading `-` sorts descending.
    pub sort: Option<String>,
}

/// Filters and order of the windows overview.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WindowFilters {
    /// Only this host's windows.
    pub host: Option<i64>,
    /// Only windows whose name, or whose host's name or address, contains this text.
    pub search: Option<String>,
    /// `host`, `name` or `created`; a leading `-` sorts descending.
    pub sort: Option<String>,
}

fn window_sort(sort: Option<&str>) -> ApiResult<(WindowSort, lpm_store::Direction)> {
    parse_sort(sort, "host, name, created", |field| match field {
        "host" => Some(WindowSort::Host),
        "name" => Some(WindowSort::Name),
        "created" => Some(WindowSort::Created),
        _ => None,
    })
}

fn host_name(host: &lpm_core::model::Host) -> String {
    match (host.address.fqdn(), host.address.ip()) {
        (Some(fqdn), _) => fqdn.as_str().to_owned(),
        (None, Some(ip)) => ip.to_string(),
        (None, None) => host.id.to_string(),
    }
}

/// A host's maintenance windows.
#[utoipa::path(
    get,
    path = "/api/v1/hosts/{id}/windows",
    tag = "windows",
    operation_id = "list_host_windows",
    params(("id" = i64, Path, description = "Host id"), PageParams, HostWindowFilters),
    responses(
        (status = 200, description = "A page of the host's windows", body = Paged<WindowView>),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such host in the caller's scope", body = ErrorBody),
        (status = 422, description = "A bad sort or page", body = ErrorBody),
    )
)]
pub async fn list_host_windows(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<HostWindowFilters>,
) -> ApiResult<Json<Paged<WindowView>>> {
    let id = id_or_404(id, "host", HostId::new)?;
    let (sort, direction) = parse_sort(
        filters.sort.as_deref(),
        "name, created",
        |field| match field {
            "name" => Some(WindowSort::Name),
            "created" => Some(WindowSort::Created),
            _ => None,
        },
    )?;
    let paging = paging.request()?;
    state.store.get_host(&caller.scope, id).await?;
    let query = WindowQuery {
        host: Some(id),
        search: None,
        sort,
        direction,
    };
    let page = state
        .store
        .list_windows_in_scope(&caller.scope, &query, paging)
        .await?;
    let now = state.clock.now();
    Ok(Json(Paged::from_page(page, |w| WindowView::listed(w, now))))
}

/// Adds a maintenance window to a host.
#[utoipa::path(
    post,
    path = "/api/v1/hosts/{id}/windows",
    tag = "windows",
    operation_id = "create_window",
    params(("id" = i64, Path, description = "Host id")),
    request_body = WindowInput,
    responses(
        (status = 201, description = "The new window", body = WindowView),
        (status = 400, description = "The body is not JSON, or the id not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such host in the caller's scope", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "An invalid field (name, window.*)", body = ErrorBody),
    )
)]
pub async fn create_window(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<WindowInput>,
) -> ApiResult<(StatusCode, Json<WindowView>)> {
    let id = id_or_404(id, "host", HostId::new)?;
    let host = state.store.get_host(&caller.scope, id).await?;
    let (name, window) = body.validate()?;
    let now = state.clock.now();
    let stored = state
        .store
        .create_window(&caller.scope, id, &name, &window, &caller.actor, now)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(WindowView::new(stored, host_name(&host), now)),
    ))
}

/// One maintenance window.
#[utoipa::path(
    get,
    path = "/api/v1/windows/{id}",
    tag = "windows",
    operation_id = "get_window",
    params(("id" = i64, Path, description = "Window id")),
    responses(
        (status = 200, description = "The window", body = WindowView),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such window on a host in the caller's scope", body = ErrorBody),
    )
)]
pub async fn get_window(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<WindowView>> {
    let id = id_or_404(id, "maintenance window", WindowId::new)?;
    let stored = state.store.get_window(&caller.scope, id).await?;
    let host = state.store.get_host(&caller.scope, stored.host).await?;
    Ok(Json(WindowView::new(
        stored,
        host_name(&host),
        state.clock.now(),
    )))
}

/// Replaces a window's name and schedule.
#[utoipa::path(
    put,
    path = "/api/v1/windows/{id}",
    tag = "windows",
    operation_id = "update_window",
    params(("id" = i64, Path, description = "Window id")),
    request_body = WindowInput,
    responses(
        (status = 200, description = "The changed window", body = WindowView),
        (status = 400, description = "The body is not JSON, or the id not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such window on a host in the caller's scope", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "An invalid field (name, window.*)", body = ErrorBody),
    )
)]
pub async fn update_window(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<WindowInput>,
) -> ApiResult<Json<WindowView>> {
    let id = id_or_404(id, "maintenance window", WindowId::new)?;
    // The window first: one out of scope is a 404 whatever the body says.
    let current = state.store.get_window(&caller.scope, id).await?;
    let (name, window) = body.validate()?;
    let now = state.clock.now();
    let stored = state
        .store
        .update_window(&caller.scope, id, &name, &window, &caller.actor, now)
        .await?;
    let host = state.store.get_host(&caller.scope, current.host).await?;
    Ok(Json(WindowView::new(stored, host_name(&host), now)))
}

/// Deletes a maintenance window.
#[utoipa::path(
    delete,
    path = "/api/v1/windows/{id}",
    tag = "windows",
    operation_id = "delete_window",
    params(("id" = i64, Path, description = "Window id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such window on a host in the caller's scope", body = ErrorBody),
    )
)]
pub async fn delete_window(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let id = id_or_404(id, "maintenance window", WindowId::new)?;
    state
        .store
        .delete_window(&caller.scope, id, &caller.actor, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every window on the hosts the caller can reach, with each one's next openings.
#[utoipa::path(
    get,
    path = "/api/v1/windows",
    tag = "windows",
    operation_id = "list_windows",
    params(PageParams, WindowFilters),
    responses(
        (status = 200, description = "A page of windows", body = Paged<WindowView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A bad filter or page", body = ErrorBody),
    )
)]
pub async fn list_windows(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<WindowFilters>,
) -> ApiResult<Json<Paged<WindowView>>> {
    let (sort, direction) = window_sort(filters.sort.as_deref())?;
    let query = WindowQuery {
        host: filters
            .host
            .map(|h| HostId::new(h).map_err(|e| ApiError::invalid_field("host", e.to_string())))
            .transpose()?,
        search: filters.search,
        sort,
        direction,
    };
    let page = state
        .store
        .list_windows_in_scope(&caller.scope, &query, paging.request()?)
        .await?;
    let now = state.clock.now();
    Ok(Json(Paged::from_page(page, |w| WindowView::listed(w, now))))
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_host_windows, create_window))
        .routes(routes!(get_window, update_window, delete_window))
        .routes(routes!(list_windows))
}
