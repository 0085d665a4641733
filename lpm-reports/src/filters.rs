//! What a report was asked for: the filters the caller applied, stated on the cover page, and
//! the metadata every report carries.

use chrono::{DateTime, Utc};
use lpm_core::agent::Severity;
use serde::{Deserialize, Serialize};

use crate::format;

/// The filters a report was produced with.
///
/// The server filters in SQL and passes the filters along so the cover page (and the JSON)
/// can say what the report covers. The report constructors do not filter again; call
/// [`ReportFilters::matches_host`] and friends to filter in-memory data the same way.
/// Empty lists and `None` mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFilters {
    /// Only hosts in one of these groups.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Only these hosts (by name).
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Only these severities.
    #[serde(default)]
    pub severities: Vec<Severity>,
    /// Only events at or after this instant.
    #[serde(default)]
    pub from: Option<DateTime<Utc>>,
    /// Only events before this instant.
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
}

impl ReportFilters {
    /// Whether nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Whether a host with this name and these groups passes the group and host filters.
    pub fn matches_host<S: AsRef<str>>(&self, name: &str, groups: &[S]) -> bool {
        (self.hosts.is_empty() || self.hosts.iter().any(|h| h == name))
            && (self.groups.is_empty()
                || groups
                    .iter()
                    .any(|g| self.groups.iter().any(|f| f == g.as_ref())))
    }

    /// Whether `severity` passes the severity filter.
    pub fn matches_severity(&self, severity: Severity) -> bool {
        self.severities.is_empty() || self.severities.contains(&severity)
    }

    /// Whether `at` lies in `[from, until)`.
    pub fn matches_time(&self, at: DateTime<Utc>) -> bool {
        self.from.is_none_or(|from| at >= from) && self.until.is_none_or(|until| at < until)
    }

    /// The filters as label/value lines, as the cover page shows them.
    pub fn describe(&self) -> Vec<(String, String)> {
        fn list(items: &[String]) -> String {
            if items.is_empty() {
                "all".to_owned()
            } else {
                items.join(", ")
            }
        }
        let severities = if self.severities.is_empty() {
            "all".to_owned()
        } else {
            self.severities
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let range = match (self.from, self.until) {
            (None, None) => "all time".to_owned(),
            (Some(f), None) => format!("from {}", format::datetime(f)),
            (None, Some(u)) => format!("until {}", format::datetime(u)),
            (Some(f), Some(u)) => {
                format!("{} to {}", format::datetime(f), format::datetime(u))
            }
        };
        vec![
            ("Groups".to_owned(), list(&self.groups)),
            ("Hosts".to_owned(), list(&self.hosts)),
            ("Severities".to_owned(), severities),
            ("Time range".to_owned(), range),
        ]
    }
}

/// Who asked for a report, when, and with which filters. Every report carries one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportMeta {
    /// When the report was generated: the caller's clock (this crate never reads one).
    pub generated_at: DateTime<Utc>,
    /// Who asked for it, shown on the cover when given.
    #[serde(default)]
    pub generated_by: Option<String>,
    /// The filters it was produced with.
    #[serde(default)]
    pub filters: ReportFilters,
}

impl ReportMeta {
    /// Metadata with no filters and no requester.
    pub fn new(generated_at: DateTime<Utc>) -> Self {
        Self {
            generated_at,
            generated_by: None,
            filters: ReportFilters::default(),
        }
    }

    /// Sets the filters.
    pub fn with_filters(mut self, filters: ReportFilters) -> Self {
        self.filters = filters;
        self
    }

    /// Sets the requester.
    pub fn by(mut self, who: impl Into<String>) -> Self {
        self.generated_by = Some(who.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn empty_filters_match_everything() {
        let f = ReportFilters::default();
        assert!(f.is_empty());
        assert!(f.matches_host("a", &["x"]));
        assert!(f.matches_severity(Severity::Low));
    }

    #[test]
    fn time_range_is_half_open() {
        let t = |h| Utc.with_ymd_and_hms(2026, 1, 1, h, 0, 0).unwrap();
        let f = ReportFilters {
            from: Some(t(1)),
            until: Some(t(3)),
            ..ReportFilters::default()
        };
        assert!(!f.matches_time(t(0)));
        assert!(f.matches_time(t(1)));
        assert!(!f.matches_time(t(3)));
    }

    #[test]
    fn group_filter_matches_any_group() {
        let f = ReportFilters {
            groups: vec!["web".into()],
            ..ReportFilters::default()
        };
        assert!(f.matches_host("h", &["db", "web"]));
        assert!(!f.matches_host("h", &["db"]));
        assert!(!f.matches_host::<&str>("h", &[]));
    }
}
