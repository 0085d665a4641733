//! Maintenance windows: the per-host periods in which patch jobs may be dispatched.
//!
//! A [`MaintenanceWindow`] is either a one-time period between two UTC instants or a
//! recurring rule (weekly, monthly by day, monthly by "nth weekday") whose start time is
//! wall-clock time in an IANA time zone. Everything here is pure: no I/O, and the clock is
//! never read — every query takes the instant it is about as a parameter.
//!
//! # Occurrences
//!
//! A window consists of *occurrences*, each a half-open interval
//! `[opens_at, closes_at)` of real (UTC) time, see [`Occurrence`].
//!
//! * **One-time**: the single occurrence `[start, end)`. Its length is not limited.
//! * **Recurring**: the rule is checked against *local calendar days* in the window's time
//!   zone. On every matching day ("rule day") one occurrence opens at the local start time
//!   (resolved to an instant by the DST rules below) and closes `duration` later.
//!   The duration is between one minute and seven days (inclusive) and is whole minutes,
//!   as is the local start time.
//! * **Monthly by day of month**: months that do not have that day are *skipped*, exactly like
//!   cron's `0 2 31 * *`: day 31 occurs in only seven months, day 30 never in February, day 29
//!   in February of leap years only. There is no clamping to the last day of the month — use
//!   [`WeekOfMonth::Last`] style rules when "end of month" is meant.
//! * **Monthly by weekday**: [`WeekOfMonth::First`] is the weekday falling on days 1–7 of the
//!   month, `Second` on days 8–14, `Third` on 15–21, `Fourth` on 22–28 and `Last` on the last
//!   seven days of the month. Every month has each of these, so no month is skipped.
//! * **Overlapping occurrences** (possible because the duration may exceed the gap between
//!   rule days, e.g. a daily window of 30 hours) are *not merged*. The window is open whenever
//!   at least one occurrence covers the instant. [`MaintenanceWindow::closes_at`] returns the
//!   latest closing among the occurrences covering the instant; since all occurrences of a
//!   window have the same length, that is the closing of the covering occurrence that opened
//!   last, and [`MaintenanceWindow::current_or_next`] returns that occurrence. An occurrence
//!   that opens *after* the queried instant may still keep the window open past that closing
//!   time (then [`MaintenanceWindow::is_open`] is true at the returned instant); a dispatcher
//!   should query again at `closes_at` rather than assume the window is shut.
//!
//! # Daylight-saving time rules
//!
//! The local start time is wall-clock time in the window's zone. Transitions are handled as
//! follows (the same rules apply to any change of UTC offset, not only DST):
//!
//! 1. **Nonexistent local start (spring forward).** When the local start time falls into a
//!    gap, it is read with the **UTC offset in force before the gap**, which is the same as
//!    shifting it forward by the length of the gap. Europe/Berlin on 2026-03-29 jumps from
//!    02:00 CET to 03:00 CEST, so a 02:30 window opens at 02:30+01:00 = 01:30 UTC, which is
//!    03:30 CEST; America/New_York 02:30 on 2026-03-08 opens at 07:30 UTC = 03:30 EDT; with
//!    Australia/Lord_Howe's 30-minute shift, 02:15 becomes 02:45. A start time exactly at the
//!    beginning of the gap (02:00 in Berlin) opens at the end of the gap (03:00 CEST).
//!
//!    This is the rule of RFC 5545 (iCalendar, section 3.3.5), and also what `java.time`
//!    (`ZonedDateTime.of`), Python's `zoneinfo` (`fold=0`) and JavaScript Temporal
//!    (`disambiguation: "compatible"`) do. It was chosen over the alternatives because:
//!    systemd timers *skip* a nonexistent `OnCalendar=` time (systemd issue #5595), which
//!    would silently cost a host its patch window — for a monthly rule, a whole month.
//!    Vixie cron catches up jobs of the skipped hour "immediately" after the jump, i.e. at
//!    about the end of the gap; that is a catch-up mechanism of a minute-polling daemon rather
//!    than a mapping of local times to instants, and it collapses every start time in the gap
//!    onto one instant. The iCalendar rule keeps windows exported to calendars consistent with
//!    the instants used here and places the opening exactly 24 hours of real time after the
//!    previous day's opening (a daily 02:30 window in Berlin opens at 01:30 UTC on both 28 and
//!    29 March 2026).
//! 2. **Ambiguous local start (fall back).** When the local start time exists twice, the
//!    occurrence opens **once**, at the **first (earlier) instance**, which is the one still
//!    using the offset in force before the transition (summer time). Europe/Berlin 02:30 on
//!    2026-10-25 opens at 02:30 CEST = 00:30 UTC only; the second 02:30 (CET, 01:30 UTC) is
//!    not an opening. This also follows RFC 5545 and matches cron's "jobs are not run twice".
//!
//!    Rules 1 and 2 together: *a local start time affected by an offset change is read with
//!    the UTC offset that was in force before the change.*
//! 3. **The duration is elapsed (absolute) time.** A 2-hour window always lasts exactly
//!    2 hours of real time, even when the wall clock jumps during it: the 02:30 window on
//!    2026-10-25 in Berlin closes at 02:30 UTC, which is 03:30 CET on the wall.
//! 4. The *rule day* is always the local calendar day in the window's zone. The opening's own
//!    local date differs from the rule day only when a gap shift (rule 1) crosses midnight.
//!
//! Time-zone data is the tz database compiled into `chrono-tz`; when a newer release changes a
//! zone's rules, future occurrences follow the new rules.
//!
//! # Cost
//!
//! No query iterates minute by minute; each looks at a bounded number of candidate local days
//! (at most [`MAX_SCAN_DAYS`]), resolving the local start time only on days the rule matches.
//!
//! # Serialization
//!
//! The serde form is stable, readable JSON, for example
//! `{"kind":"recurring","rule":{"weekly":{"days":["mon","thu"]}},"local_start":"02:30",
//! "duration_minutes":120,"time_zone":"Europe/Berlin"}` and
//! `{"kind":"one_time","start":"2026-05-01T22:00:00Z","end":"2026-05-02T02:00:00Z"}`.
//! Other rule forms are `{"monthly_by_day":{"day":31}}` and
//! `{"monthly_by_weekday":{"week":"last","weekday":"sun"}}`. Deserialization runs the same
//! validation as the constructors, so an invalid window can never be deserialized; unknown
//! fields are rejected.

use std::iter::FusedIterator;

use chrono::{
    DateTime, Datelike, Days, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The longest allowed duration of a recurring window's occurrence: seven days.
pub const MAX_DURATION: Duration = Duration::days(7);

/// Upper bound on the number of local candidate days any single query examines.
///
/// The longest distance between two consecutive rule days is 61 days (day of month 31,
/// e.g. 31 May → 31 July); the queries add a few days of margin before and after the
/// instant they are asked about (see the private constants in this module), which keeps
/// them well below this bound. A query that reaches the bound without finding an
/// occurrence returns `None`; with a valid rule that only happens at the far end of the
/// range `chrono` can represent.
pub const MAX_SCAN_DAYS: usize = 100;

/// Days before the local date of `after` at which [`MaintenanceWindow::next_opening`] starts
/// looking. An opening's wall-clock time is at most one gap (< 48 h) after its rule day's
/// start time, and any instant's wall-clock time is less than 24 h away from the instant
/// itself (offsets are below 24 h), so a rule day more than 4 days before the local date of
/// `after` cannot open at or after `after`.
const NEXT_LOOKBACK_DAYS: u64 = 5;

/// Once an opening at or after `after` was found on rule day `d`, rule days up to `d + 4` are
/// still examined: a rule day `d + 5` or later opens at least 5 × 24 h − 48 h (gap) − 2 × 24 h
/// (offsets) > 0 after `d`'s opening, so it cannot be earlier. For all real zones openings are
/// monotonic in the rule day anyway; this keeps the result exact even if they were not.
const NEXT_SETTLE_DAYS: u64 = 4;

/// Days before the local date of `at` that can hold a rule day whose occurrence covers `at`:
/// seven days of maximal duration plus the gap and offset margins of [`NEXT_LOOKBACK_DAYS`].
const COVER_LOOKBACK_DAYS: u64 = 7 + NEXT_LOOKBACK_DAYS;

/// Days after the local date of `at` that can hold a rule day opening at or before `at`
/// (an instant's local date is less than one day away from its UTC date, plus margin).
const COVER_LOOKAHEAD_DAYS: u64 = 3;

/// How far before a nonexistent local time the offset "in force before the gap" is sampled.
const GAP_PROBE: Duration = Duration::days(1);

/// Why a maintenance window (or one of its parts) is invalid.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum WindowError {
    /// A one-time window whose end is before or equal to its start.
    #[error("the window ends at {end}, which is not after its start at {start}")]
    EndNotAfterStart {
        /// The requested start.
        start: DateTime<Utc>,
        /// The requested end.
        end: DateTime<Utc>,
    },
    /// A recurring window whose duration is zero or negative.
    #[error("the window duration must be positive, but it is {}", describe_duration(.duration))]
    NonPositiveDuration {
        /// The requested duration.
        duration: Duration,
    },
    /// A recurring window whose duration is longer than [`MAX_DURATION`] (seven days).
    #[error("the window duration must be at most 7 days, but it is {}", describe_duration(.duration))]
    DurationTooLong {
        /// The requested duration.
        duration: Duration,
    },
    /// A recurring window whose duration is not a whole number of minutes.
    #[error("the window duration must be whole minutes, but it is {}", describe_duration(.duration))]
    DurationNotWholeMinutes {
        /// The requested duration.
        duration: Duration,
    },
    /// A local start time with seconds or fractions of a second.
    #[error("the local start time must be whole minutes (HH:MM), but it is {local_start}")]
    LocalStartNotWholeMinute {
        /// The requested local start time.
        local_start: NaiveTime,
    },
    /// A local start time in serialized form that is not `HH:MM`.
    #[error("the local start time {value:?} is not a time of day in HH:MM form")]
    InvalidLocalStart {
        /// The text that could not be read.
        value: String,
    },
    /// A time-zone name that is not in the IANA time-zone database.
    #[error("unknown time zone {name:?}; expected an IANA name such as \"Europe/Berlin\"")]
    UnknownTimeZone {
        /// The name that was not recognised.
        name: String,
    },
    /// A weekly recurrence without any weekday.
    #[error("a weekly recurrence needs at least one weekday, but none was given")]
    EmptyWeekdaySet,
    /// A monthly recurrence with a day of month outside 1..=31.
    #[error("day of month {day} is out of range; it must be between 1 and 31")]
    DayOfMonthOutOfRange {
        /// The requested day of month.
        day: u8,
    },
}

/// Renders a duration in plain words for error messages.
fn describe_duration(duration: &Duration) -> String {
    if duration.subsec_nanos() == 0 && duration.num_seconds() % 60 == 0 {
        format!("{} minutes", duration.num_minutes())
    } else {
        let nanos = duration.subsec_nanos();
        if nanos == 0 {
            format!("{} seconds", duration.num_seconds())
        } else {
            format!(
                "{} seconds and {} nanoseconds",
                duration.num_seconds(),
                nanos
            )
        }
    }
}

/// Which occurrence of a weekday within a month a [`Recurrence::MonthlyByWeekday`] means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeekOfMonth {
    /// The weekday falling on days 1–7 of the month.
    First,
    /// The weekday falling on days 8–14 of the month.
    Second,
    /// The weekday falling on days 15–21 of the month.
    Third,
    /// The weekday falling on days 22–28 of the month.
    Fourth,
    /// The weekday falling on the last seven days of the month.
    Last,
}

impl WeekOfMonth {
    /// Whether `date` is in this week of its month (the weekday is not checked).
    fn contains(self, date: NaiveDate) -> bool {
        let day = date.day();
        match self {
            Self::First => day <= 7,
            Self::Second => (8..=14).contains(&day),
            Self::Third => (15..=21).contains(&day),
            Self::Fourth => (22..=28).contains(&day),
            Self::Last => day + 7 > u32::from(date.num_days_in_month()),
        }
    }
}

/// The calendar rule of a recurring maintenance window, evaluated on local days.
///
/// The variants can be built directly; [`MaintenanceWindow::recurring`] validates and
/// normalizes the rule (see [`Recurrence::validate`]), and deserialization validates as well.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "RecurrenceRepr")]
pub enum Recurrence {
    /// Every week on the given weekdays.
    ///
    /// Must not be empty. A validated rule holds each weekday once, Monday first.
    Weekly {
        /// The weekdays on which the window opens.
        #[serde(serialize_with = "weekday_serde::serialize_list")]
        days: Vec<Weekday>,
    },
    /// Every month on the given day of month (1..=31); months without that day are skipped.
    MonthlyByDay {
        /// The day of month, 1..=31.
        day: u8,
    },
    /// Every month on the nth (or last) given weekday, e.g. the second Tuesday.
    MonthlyByWeekday {
        /// Which occurrence of the weekday within the month.
        week: WeekOfMonth,
        /// The weekday.
        #[serde(serialize_with = "weekday_serde::serialize_one")]
        weekday: Weekday,
    },
}

impl Recurrence {
    /// A validated weekly rule on the given weekdays (duplicates are removed, Monday first).
    ///
    /// # Errors
    ///
    /// [`WindowError::EmptyWeekdaySet`] when `days` yields no weekday.
    pub fn weekly(days: impl IntoIterator<Item = Weekday>) -> Result<Self, WindowError> {
        Self::Weekly {
            days: days.into_iter().collect(),
        }
        .normalized()
    }

    /// A validated monthly rule on day of month `day`.
    ///
    /// # Errors
    ///
    /// [`WindowError::DayOfMonthOutOfRange`] unless `day` is in 1..=31.
    pub fn monthly_by_day(day: u8) -> Result<Self, WindowError> {
        Self::MonthlyByDay { day }.normalized()
    }

    /// A monthly rule on the `week`-th `weekday` (always valid).
    pub fn monthly_by_weekday(week: WeekOfMonth, weekday: Weekday) -> Self {
        Self::MonthlyByWeekday { week, weekday }
    }

    /// Checks the rule.
    ///
    /// # Errors
    ///
    /// [`WindowError::EmptyWeekdaySet`] for a weekly rule without days and
    /// [`WindowError::DayOfMonthOutOfRange`] for a day of month outside 1..=31.
    pub fn validate(&self) -> Result<(), WindowError> {
        match self {
            Self::Weekly { days } if days.is_empty() => Err(WindowError::EmptyWeekdaySet),
            Self::MonthlyByDay { day } if !(1..=31).contains(day) => {
                Err(WindowError::DayOfMonthOutOfRange { day: *day })
            }
            Self::Weekly { .. } | Self::MonthlyByDay { .. } | Self::MonthlyByWeekday { .. } => {
                Ok(())
            }
        }
    }

    /// Validates the rule and brings it into canonical form (weekdays sorted Monday first,
    /// without duplicates).
    fn normalized(self) -> Result<Self, WindowError> {
        self.validate()?;
        Ok(match self {
            Self::Weekly { mut days } => {
                days.sort_by_key(Weekday::num_days_from_monday);
                days.dedup();
                Self::Weekly { days }
            }
            other @ (Self::MonthlyByDay { .. } | Self::MonthlyByWeekday { .. }) => other,
        })
    }

    /// Whether the rule matches the local calendar day `date`.
    pub fn matches(&self, date: NaiveDate) -> bool {
        match self {
            Self::Weekly { days } => days.contains(&date.weekday()),
            Self::MonthlyByDay { day } => date.day() == u32::from(*day),
            Self::MonthlyByWeekday { week, weekday } => {
                date.weekday() == *weekday && week.contains(date)
            }
        }
    }
}

/// One period in which a maintenance window is open: `[opens_at, closes_at)`.
///
/// A plain value produced by the queries of [`MaintenanceWindow`]; building or deserializing
/// one does not check that `opens_at < closes_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Occurrence {
    /// The first instant at which the occurrence is open.
    pub opens_at: DateTime<Utc>,
    /// The first instant at which the occurrence is no longer open.
    pub closes_at: DateTime<Utc>,
}

impl Occurrence {
    /// Whether `at` is inside `[opens_at, closes_at)`.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.opens_at <= at && at < self.closes_at
    }

    /// The length of the occurrence (elapsed time).
    pub fn duration(&self) -> Duration {
        self.closes_at - self.opens_at
    }
}

/// A validated recurring schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RecurringSchedule {
    rule: Recurrence,
    local_start: NaiveTime,
    duration: Duration,
    zone: Tz,
}

impl RecurringSchedule {
    /// The occurrence whose rule day is `day`, if the rule matches that day.
    ///
    /// `None` also when the instants cannot be represented (far end of `chrono`'s range).
    fn occurrence_on(&self, day: NaiveDate) -> Option<Occurrence> {
        if !self.rule.matches(day) {
            return None;
        }
        let opens_at = resolve_local(self.zone, day.and_time(self.local_start))?;
        let closes_at = opens_at.checked_add_signed(self.duration)?;
        Some(Occurrence {
            opens_at,
            closes_at,
        })
    }

    /// The local calendar day of `at` in the window's zone.
    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        wall_clock(self.zone, at).date()
    }

    /// The latest-opened occurrence covering `at`.
    fn covering(&self, at: DateTime<Utc>) -> Option<Occurrence> {
        let today = self.local_date(at);
        let first = today
            .checked_sub_days(Days::new(COVER_LOOKBACK_DAYS))
            .unwrap_or(NaiveDate::MIN);
        let last = today
            .checked_add_days(Days::new(COVER_LOOKAHEAD_DAYS))
            .unwrap_or(NaiveDate::MAX);
        first
            .iter_days()
            .take_while(|day| *day <= last)
            .filter_map(|day| self.occurrence_on(day))
            .filter(|occurrence| occurrence.contains(at))
            .max_by_key(|occurrence| occurrence.opens_at)
    }

    /// The earliest occurrence opening at or after `after`.
    fn next_occurrence(&self, after: DateTime<Utc>) -> Option<Occurrence> {
        let first = self
            .local_date(after)
            .checked_sub_days(Days::new(NEXT_LOOKBACK_DAYS))
            .unwrap_or(NaiveDate::MIN);
        let mut best: Option<Occurrence> = None;
        let mut settle_until: Option<NaiveDate> = None;
        // Bounded: at most MAX_SCAN_DAYS candidate days (see its documentation).
        for day in first.iter_days().take(MAX_SCAN_DAYS) {
            if settle_until.is_some_and(|limit| day > limit) {
                break;
            }
            let Some(occurrence) = self.occurrence_on(day) else {
                continue;
            };
            if occurrence.opens_at < after {
                continue;
            }
            if best.is_none_or(|current| occurrence.opens_at < current.opens_at) {
                best = Some(occurrence);
            }
            if settle_until.is_none() {
                settle_until = Some(
                    day.checked_add_days(Days::new(NEXT_SETTLE_DAYS))
                        .unwrap_or(NaiveDate::MAX),
                );
            }
        }
        best
    }
}

/// The wall-clock time of `at` in `zone`.
///
/// Unlike `DateTime::naive_local` this does not panic at the ends of `chrono`'s range: a
/// wall-clock time beyond them saturates to [`NaiveDateTime::MIN`] or [`NaiveDateTime::MAX`].
fn wall_clock(zone: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    let offset = zone.offset_from_utc_datetime(&at.naive_utc()).fix();
    at.naive_utc()
        .checked_add_offset(offset)
        .unwrap_or(if offset.local_minus_utc() < 0 {
            NaiveDateTime::MIN
        } else {
            NaiveDateTime::MAX
        })
}

/// Resolves the wall-clock time `local` in `zone` to an instant, following the DST rules of
/// the module documentation: the earlier instance of an ambiguous time, and a nonexistent
/// time read with the offset in force before the gap.
fn resolve_local(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(instant) => Some(instant.to_utc()),
        LocalResult::Ambiguous(a, b) => Some(a.to_utc().min(b.to_utc())),
        LocalResult::None => resolve_in_gap(zone, local),
    }
}

/// Resolves a nonexistent wall-clock time: it is read with the UTC offset in force before the
/// gap, which lands it the gap's length later on the wall clock.
///
/// The offset before the gap is sampled [`GAP_PROBE`] earlier than the wall-clock time read as
/// UTC; that instant is before the transition for any offset below 24 h. The result is checked
/// to land after `local` on the wall clock. That holds whenever no other transition lies within
/// the probed day, which the tests verify for every gap of every zone of the bundled tz
/// database from 1850 to 2100; should it ever fail, `None` is returned and that occurrence is
/// skipped rather than placed at a wrong instant.
fn resolve_in_gap(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    let as_utc = local.and_utc();
    let probe = as_utc.checked_sub_signed(GAP_PROBE)?;
    let offset_before = zone.offset_from_utc_datetime(&probe.naive_utc()).fix();
    let offset = Duration::try_seconds(i64::from(offset_before.local_minus_utc()))?;
    let candidate = as_utc.checked_sub_signed(offset)?;
    let landed = wall_clock(zone, candidate);
    (landed > local).then_some(candidate)
}

/// The validated schedule of a window.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Schedule {
    OneTime {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    Recurring(RecurringSchedule),
}

/// A validated maintenance window: a one-time period or a recurring rule in a time zone.
///
/// See the [module documentation](self) for the meaning of occurrences, overlaps and the
/// daylight-saving rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WindowRepr", into = "WindowRepr")]
pub struct MaintenanceWindow {
    schedule: Schedule,
}

impl MaintenanceWindow {
    /// A window open once, from `start` (inclusive) to `end` (exclusive).
    ///
    /// # Errors
    ///
    /// [`WindowError::EndNotAfterStart`] when `end <= start`.
    pub fn one_time(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Self, WindowError> {
        if end <= start {
            return Err(WindowError::EndNotAfterStart { start, end });
        }
        Ok(Self {
            schedule: Schedule::OneTime { start, end },
        })
    }

    /// A recurring window: on every local day matching `rule` it opens at `local_start`
    /// (wall-clock time in the IANA zone `zone_name`) and stays open for `duration` of
    /// elapsed time.
    ///
    /// # Errors
    ///
    /// The rule's errors (see [`Recurrence::validate`]),
    /// [`WindowError::LocalStartNotWholeMinute`], [`WindowError::NonPositiveDuration`],
    /// [`WindowError::DurationTooLong`], [`WindowError::DurationNotWholeMinutes`] and
    /// [`WindowError::UnknownTimeZone`], checked in that order.
    pub fn recurring(
        rule: Recurrence,
        local_start: NaiveTime,
        duration: Duration,
        zone_name: &str,
    ) -> Result<Self, WindowError> {
        let rule = rule.normalized()?;
        check_local_start(local_start)?;
        check_duration(duration)?;
        let zone = parse_zone(zone_name)?;
        Ok(Self::recurring_unchecked(rule, local_start, duration, zone))
    }

    /// Like [`MaintenanceWindow::recurring`], with an already parsed time zone.
    ///
    /// # Errors
    ///
    /// As [`MaintenanceWindow::recurring`], except that the zone cannot be unknown.
    pub fn recurring_in_zone(
        rule: Recurrence,
        local_start: NaiveTime,
        duration: Duration,
        zone: Tz,
    ) -> Result<Self, WindowError> {
        let rule = rule.normalized()?;
        check_local_start(local_start)?;
        check_duration(duration)?;
        Ok(Self::recurring_unchecked(rule, local_start, duration, zone))
    }

    /// Builds a recurring window from parts the caller has validated.
    fn recurring_unchecked(
        rule: Recurrence,
        local_start: NaiveTime,
        duration: Duration,
        zone: Tz,
    ) -> Self {
        Self {
            schedule: Schedule::Recurring(RecurringSchedule {
                rule,
                local_start,
                duration,
                zone,
            }),
        }
    }

    /// Whether this is a recurring (rather than one-time) window.
    pub fn is_recurring(&self) -> bool {
        matches!(self.schedule, Schedule::Recurring(_))
    }

    /// The start of a one-time window; `None` for a recurring window.
    pub fn start(&self) -> Option<DateTime<Utc>> {
        match &self.schedule {
            Schedule::OneTime { start, .. } => Some(*start),
            Schedule::Recurring(_) => None,
        }
    }

    /// The end of a one-time window; `None` for a recurring window.
    pub fn end(&self) -> Option<DateTime<Utc>> {
        match &self.schedule {
            Schedule::OneTime { end, .. } => Some(*end),
            Schedule::Recurring(_) => None,
        }
    }

    /// The (normalized) rule of a recurring window; `None` for a one-time window.
    pub fn rule(&self) -> Option<&Recurrence> {
        match &self.schedule {
            Schedule::OneTime { .. } => None,
            Schedule::Recurring(schedule) => Some(&schedule.rule),
        }
    }

    /// The local wall-clock start time of a recurring window; `None` for a one-time window.
    pub fn local_start(&self) -> Option<NaiveTime> {
        match &self.schedule {
            Schedule::OneTime { .. } => None,
            Schedule::Recurring(schedule) => Some(schedule.local_start),
        }
    }

    /// The length of every occurrence (elapsed time); for a one-time window `end - start`.
    pub fn duration(&self) -> Duration {
        match &self.schedule {
            Schedule::OneTime { start, end } => *end - *start,
            Schedule::Recurring(schedule) => schedule.duration,
        }
    }

    /// The time zone of a recurring window; `None` for a one-time window.
    pub fn time_zone(&self) -> Option<Tz> {
        match &self.schedule {
            Schedule::OneTime { .. } => None,
            Schedule::Recurring(schedule) => Some(schedule.zone),
        }
    }

    /// Whether the window is open at `at`, i.e. `at` lies inside some occurrence
    /// `[opens_at, closes_at)`.
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        self.covering(at).is_some()
    }

    /// When the occurrences open at `at` have all closed; `None` when the window is not
    /// open at `at`.
    ///
    /// With overlapping occurrences this is the latest closing among those covering `at`; an
    /// occurrence opening after `at` may still keep the window open at the returned instant.
    pub fn closes_at(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.covering(at).map(|occurrence| occurrence.closes_at)
    }

    /// The start of the first occurrence opening at or after `after` (`>= after`).
    ///
    /// An occurrence already open at `after` is not returned unless it opens exactly at
    /// `after`. `None` for a one-time window that started before `after`.
    pub fn next_opening(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.next_occurrence(after)
            .map(|occurrence| occurrence.opens_at)
    }

    /// The first occurrence opening at or after `after`.
    pub fn next_occurrence(&self, after: DateTime<Utc>) -> Option<Occurrence> {
        match &self.schedule {
            Schedule::OneTime { start, end } => (*start >= after).then_some(Occurrence {
                opens_at: *start,
                closes_at: *end,
            }),
            Schedule::Recurring(schedule) => schedule.next_occurrence(after),
        }
    }

    /// The occurrence open at `at` (the one that closes last, if several overlap), or else
    /// the next occurrence to open.
    pub fn current_or_next(&self, at: DateTime<Utc>) -> Option<Occurrence> {
        self.covering(at).or_else(|| self.next_occurrence(at))
    }

    /// The next `limit` occurrences opening at or after `after`, in strictly increasing order.
    ///
    /// The first element (if any) opens at [`MaintenanceWindow::next_opening`]`(after)`. An
    /// occurrence already open at `after` is not included (see
    /// [`MaintenanceWindow::current_or_next`]). The work is proportional to `limit`, so a
    /// caller taking `limit` from user input must bound it.
    pub fn openings(&self, after: DateTime<Utc>, limit: usize) -> Vec<Occurrence> {
        self.occurrences_from(after).take(limit).collect()
    }

    /// A lazy iterator over the occurrences opening at or after `after`, in strictly
    /// increasing order. It is unbounded for recurring windows.
    pub fn occurrences_from(&self, after: DateTime<Utc>) -> Occurrences<'_> {
        Occurrences {
            window: self,
            next_after: Some(after),
        }
    }

    /// The latest-opened occurrence covering `at`.
    fn covering(&self, at: DateTime<Utc>) -> Option<Occurrence> {
        match &self.schedule {
            Schedule::OneTime { start, end } => {
                let occurrence = Occurrence {
                    opens_at: *start,
                    closes_at: *end,
                };
                occurrence.contains(at).then_some(occurrence)
            }
            Schedule::Recurring(schedule) => schedule.covering(at),
        }
    }
}

/// Iterator over the occurrences of a [`MaintenanceWindow`], from
/// [`MaintenanceWindow::occurrences_from`].
#[derive(Debug, Clone)]
pub struct Occurrences<'a> {
    window: &'a MaintenanceWindow,
    next_after: Option<DateTime<Utc>>,
}

impl Iterator for Occurrences<'_> {
    type Item = Occurrence;

    fn next(&mut self) -> Option<Occurrence> {
        let after = self.next_after?;
        let occurrence = self.window.next_occurrence(after);
        // Strictly after this opening; `None` (at the end of the representable range or when
        // nothing follows) ends the iteration.
        self.next_after = occurrence
            .and_then(|found| found.opens_at.checked_add_signed(Duration::nanoseconds(1)));
        occurrence
    }
}

impl FusedIterator for Occurrences<'_> {}

/// Checks that a local start time has minute precision.
fn check_local_start(local_start: NaiveTime) -> Result<(), WindowError> {
    // A leap second has `second() == 59` and `nanosecond() >= 1_000_000_000`, so it is
    // rejected as well.
    if local_start.second() == 0 && local_start.nanosecond() == 0 {
        Ok(())
    } else {
        Err(WindowError::LocalStartNotWholeMinute { local_start })
    }
}

/// Checks that a recurring duration is positive, at most seven days and whole minutes.
fn check_duration(duration: Duration) -> Result<(), WindowError> {
    if duration <= Duration::zero() {
        Err(WindowError::NonPositiveDuration { duration })
    } else if duration > MAX_DURATION {
        Err(WindowError::DurationTooLong { duration })
    } else if duration.subsec_nanos() != 0 || duration.num_seconds() % 60 != 0 {
        Err(WindowError::DurationNotWholeMinutes { duration })
    } else {
        Ok(())
    }
}

/// Parses an IANA time-zone name.
fn parse_zone(zone_name: &str) -> Result<Tz, WindowError> {
    zone_name
        .parse::<Tz>()
        .map_err(|_| WindowError::UnknownTimeZone {
            name: zone_name.to_owned(),
        })
}

/// The serialized form of a [`Recurrence`], validated on conversion.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum RecurrenceRepr {
    Weekly {
        #[serde(deserialize_with = "weekday_serde::deserialize_list")]
        days: Vec<Weekday>,
    },
    MonthlyByDay {
        day: u8,
    },
    MonthlyByWeekday {
        week: WeekOfMonth,
        #[serde(deserialize_with = "weekday_serde::deserialize_one")]
        weekday: Weekday,
    },
}

impl TryFrom<RecurrenceRepr> for Recurrence {
    type Error = WindowError;

    fn try_from(repr: RecurrenceRepr) -> Result<Self, WindowError> {
        match repr {
            RecurrenceRepr::Weekly { days } => Self::Weekly { days },
            RecurrenceRepr::MonthlyByDay { day } => Self::MonthlyByDay { day },
            RecurrenceRepr::MonthlyByWeekday { week, weekday } => {
                Self::MonthlyByWeekday { week, weekday }
            }
        }
        .normalized()
    }
}

/// The serialized form of a [`MaintenanceWindow`], validated on conversion.
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum WindowRepr {
    OneTime {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    Recurring {
        rule: Recurrence,
        local_start: String,
        duration_minutes: i64,
        time_zone: String,
    },
}

/// The serialized form of a local start time.
const LOCAL_START_FORMAT: &str = "%H:%M";

impl TryFrom<WindowRepr> for MaintenanceWindow {
    type Error = WindowError;

    fn try_from(repr: WindowRepr) -> Result<Self, WindowError> {
        match repr {
            WindowRepr::OneTime { start, end } => Self::one_time(start, end),
            WindowRepr::Recurring {
                rule,
                local_start,
                duration_minutes,
                time_zone,
            } => {
                let parsed = NaiveTime::parse_from_str(&local_start, LOCAL_START_FORMAT)
                    .or_else(|_| NaiveTime::parse_from_str(&local_start, "%H:%M:%S"))
                    .map_err(|_| WindowError::InvalidLocalStart { value: local_start })?;
                // Minute counts beyond `Duration`'s range saturate; validation then reports
                // them as too long or not positive.
                let duration =
                    Duration::try_minutes(duration_minutes).unwrap_or(if duration_minutes < 0 {
                        Duration::MIN
                    } else {
                        Duration::MAX
                    });
                Self::recurring(rule, parsed, duration, &time_zone)
            }
        }
    }
}

impl From<MaintenanceWindow> for WindowRepr {
    fn from(window: MaintenanceWindow) -> Self {
        match window.schedule {
            Schedule::OneTime { start, end } => Self::OneTime { start, end },
            Schedule::Recurring(schedule) => Self::Recurring {
                rule: schedule.rule,
                local_start: schedule.local_start.format(LOCAL_START_FORMAT).to_string(),
                // Validated durations are whole minutes, so this is exact.
                duration_minutes: schedule.duration.num_minutes(),
                time_zone: schedule.zone.name().to_owned(),
            },
        }
    }
}

/// Serde helpers writing weekdays as lowercase three-letter names ("mon" … "sun").
mod weekday_serde {
    use chrono::Weekday;
    use serde::ser::SerializeSeq as _;
    use serde::{Deserialize as _, Deserializer, Serializer};

    /// The canonical name of a weekday.
    fn name(weekday: Weekday) -> &'static str {
        match weekday {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        }
    }

    /// Reads a weekday name: the canonical form, or any case of the short or full English
    /// name ("Monday", "MON").
    fn parse<E: serde::de::Error>(text: &str) -> Result<Weekday, E> {
        text.parse::<Weekday>().map_err(|_| {
            E::custom(format_args!(
                "{text:?} is not a weekday name such as \"mon\""
            ))
        })
    }

    pub(super) fn serialize_one<S: Serializer>(
        weekday: &Weekday,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(name(*weekday))
    }

    pub(super) fn serialize_list<S: Serializer>(
        days: &[Weekday],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(days.len()))?;
        for day in days {
            seq.serialize_element(name(*day))?;
        }
        seq.end()
    }

    pub(super) fn deserialize_one<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Weekday, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text)
    }

    pub(super) fn deserialize_list<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Weekday>, D::Error> {
        Vec::<String>::deserialize(deserializer)?
            .iter()
            .map(|text| parse::<D::Error>(text))
            .collect()
    }
}

#[cfg(test)]
#[path = "window_tests.rs"]
mod tests;
