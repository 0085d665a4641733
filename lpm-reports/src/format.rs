//! How numbers, dates and percentages are written in reports, the same in PDF and CSV where
//! both show them.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// `2026-11-22 10:00 UTC`: the human form used in PDFs.
pub(crate) fn datetime(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// `2026-11-22`.
pub(crate) fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// RFC 3339 in UTC with as many fractional digits as needed: the machine form used in CSV.
pub(crate) fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// `1,234,567`.
pub(crate) fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `71.5%`, or `n/a` when there is nothing to divide by.
pub(crate) fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "n/a".to_owned(), |p| format!("{p:.1}%"))
}

/// Days with one decimal: `3.5`.
pub(crate) fn days(d: f64) -> String {
    format!("{d:.1}")
}

/// `yes` / `no`.
pub(crate) fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn percentages_round_to_one_decimal() {
        assert_eq!(percent(Some(71.54)), "71.5%");
        assert_eq!(percent(None), "n/a");
    }
}
