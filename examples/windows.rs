//! Maintenance windows with lpm-core alone: what a 02:30 Berlin window does on the days the
//! clocks change.
//!
//! Run with `cargo run -p lpm-examples --example windows`.

use chrono::{Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Berlin;
use lpm_core::window::{MaintenanceWindow, Recurrence};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let every_day = Recurrence::weekly([
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ])?;
    let start = NaiveTime::from_hms_opt(2, 30, 0).ok_or("bad time")?;
    let window =
        MaintenanceWindow::recurring(every_day, start, Duration::hours(2), "Europe/Berlin")?;

    for (label, from) in [
        (
            "spring forward (2026-03-29, 02:00 -> 03:00)",
            Utc.with_ymd_and_hms(2026, 3, 27, 12, 0, 0),
        ),
        (
            "fall back (2026-10-25, 03:00 -> 02:00)",
            Utc.with_ymd_and_hms(2026, 10, 23, 12, 0, 0),
        ),
    ] {
        let from = from.single().ok_or("bad date")?;
        println!("{label}:");
        for occurrence in window.openings(from, 4) {
            println!(
                "  opens {} ({} Berlin), closes {} ({} Berlin)",
                occurrence.opens_at,
                occurrence
                    .opens_at
                    .with_timezone(&Berlin)
                    .format("%a %H:%M %Z"),
                occurrence.closes_at,
                occurrence
                    .closes_at
                    .with_timezone(&Berlin)
                    .format("%a %H:%M %Z"),
            );
        }
    }

    let bad = MaintenanceWindow::recurring(
        Recurrence::monthly_by_day(31)?,
        start,
        Duration::days(8),
        "Europe/Berlin",
    );
    println!(
        "an 8-day window is refused: {}",
        bad.err().map(|e| e.to_string()).unwrap_or_default()
    );
    Ok(())
}
