//! Tests for the maintenance-window module: concrete DST cases, validation, serde and
//! property tests against an independent brute-force model.

use super::*;
use chrono::Weekday::{Fri, Mon, Sat, Sun, Thu, Tue, Wed};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const ALL_DAYS: [Weekday; 7] = [Mon, Tue, Wed, Thu, Fri, Sat, Sun];

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn minutes(m: i64) -> Duration {
    Duration::minutes(m)
}

fn daily() -> Recurrence {
    Recurrence::weekly(ALL_DAYS).unwrap()
}

fn recurring(
    rule: Recurrence,
    start: NaiveTime,
    duration_minutes: i64,
    zone: &str,
) -> MaintenanceWindow {
    MaintenanceWindow::recurring(rule, start, minutes(duration_minutes), zone).unwrap()
}

fn opens(window: &MaintenanceWindow, after: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
    window
        .openings(after, n)
        .into_iter()
        .map(|occurrence| occurrence.opens_at)
        .collect()
}

fn offset_secs(zone: Tz, at: DateTime<Utc>) -> i64 {
    i64::from(
        zone.offset_from_utc_datetime(&at.naive_utc())
            .fix()
            .local_minus_utc(),
    )
}

fn wall(zone: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&zone).naive_local()
}

fn naive(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_time(hm(h, mi))
}

// ---------------------------------------------------------------------------------------
// DST: daily 02:30 windows on the transition days of 2026
// ---------------------------------------------------------------------------------------

#[test]
fn berlin_spring_forward_daily_0230_opens_after_the_gap() {
    // 2026-03-29: 02:00 CET (+01) -> 03:00 CEST (+02). 02:30 does not exist; it is read with
    // the offset before the gap (+01), i.e. 01:30 UTC = 03:30 CEST.
    let window = recurring(daily(), hm(2, 30), 60, "Europe/Berlin");
    assert_eq!(
        opens(&window, utc(2026, 3, 27, 12, 0), 4),
        vec![
            utc(2026, 3, 28, 1, 30), // 02:30 CET
            utc(2026, 3, 29, 1, 30), // nonexistent 02:30 -> 03:30 CEST
            utc(2026, 3, 30, 0, 30), // 02:30 CEST
            utc(2026, 3, 31, 0, 30),
        ]
    );
    let zone = chrono_tz::Europe::Berlin;
    assert_eq!(
        wall(zone, utc(2026, 3, 29, 1, 30)),
        naive(2026, 3, 29, 3, 30)
    );
    // The duration is elapsed time: open for exactly one hour.
    assert!(!window.is_open(utc(2026, 3, 29, 1, 29)));
    assert!(window.is_open(utc(2026, 3, 29, 1, 30)));
    assert_eq!(
        window.closes_at(utc(2026, 3, 29, 1, 45)),
        Some(utc(2026, 3, 29, 2, 30))
    );
    assert!(!window.is_open(utc(2026, 3, 29, 2, 30)));
    // Opening is exactly 24 h after the previous day's opening.
    assert_eq!(
        window.next_opening(utc(2026, 3, 28, 1, 31)),
        Some(utc(2026, 3, 29, 1, 30))
    );
}

#[test]
fn berlin_spring_forward_start_at_gap_start_opens_at_gap_end() {
    let window = recurring(daily(), hm(2, 0), 60, "Europe/Berlin");
    let opening = window.next_opening(utc(2026, 3, 29, 0, 0)).unwrap();
    assert_eq!(opening, utc(2026, 3, 29, 1, 0));
    assert_eq!(
        wall(chrono_tz::Europe::Berlin, opening),
        naive(2026, 3, 29, 3, 0)
    );
}

#[test]
fn berlin_fall_back_daily_0230_opens_once_at_first_instance() {
    // 2026-10-25: 03:00 CEST (+02) -> 02:00 CET (+01); 02:30 happens at 00:30 and 01:30 UTC.
    let window = recurring(daily(), hm(2, 30), 60, "Europe/Berlin");
    assert_eq!(
        opens(&window, utc(2026, 10, 24, 12, 0), 3),
        vec![
            utc(2026, 10, 25, 0, 30), // first 02:30 (CEST)
            utc(2026, 10, 26, 1, 30), // 02:30 CET
            utc(2026, 10, 27, 1, 30),
        ]
    );
    // Exactly one opening during the local day 2026-10-25 (22:00 UTC the day before to 23:00 UTC).
    let day: Vec<_> = window
        .occurrences_from(utc(2026, 10, 24, 22, 0))
        .take_while(|occurrence| occurrence.opens_at < utc(2026, 10, 25, 23, 0))
        .collect();
    assert_eq!(day.len(), 1);
    // Open for one hour of real time: 02:30 CEST until 02:30 CET.
    assert!(window.is_open(utc(2026, 10, 25, 0, 30)));
    assert!(window.is_open(utc(2026, 10, 25, 1, 29)));
    assert_eq!(
        window.closes_at(utc(2026, 10, 25, 0, 30)),
        Some(utc(2026, 10, 25, 1, 30))
    );
    // The second 02:30 is not an opening.
    assert!(!window.is_open(utc(2026, 10, 25, 1, 30)));
    assert_eq!(
        window.next_opening(utc(2026, 10, 25, 0, 31)),
        Some(utc(2026, 10, 26, 1, 30))
    );
}

#[test]
fn berlin_fall_back_duration_is_elapsed_time() {
    let window = recurring(daily(), hm(2, 30), 120, "Europe/Berlin");
    let occurrence = window.current_or_next(utc(2026, 10, 25, 0, 0)).unwrap();
    assert_eq!(occurrence.opens_at, utc(2026, 10, 25, 0, 30));
    assert_eq!(occurrence.closes_at, utc(2026, 10, 25, 2, 30));
    // On the wall clock that is 02:30 CEST -> 03:30 CET.
    let zone = chrono_tz::Europe::Berlin;
    assert_eq!(wall(zone, occurrence.closes_at), naive(2026, 10, 25, 3, 30));
}

#[test]
fn new_york_spring_forward_daily_0230() {
    // 2026-03-08: 02:00 EST (-05) -> 03:00 EDT (-04).
    let window = recurring(daily(), hm(2, 30), 60, "America/New_York");
    assert_eq!(
        opens(&window, utc(2026, 3, 7, 0, 0), 3),
        vec![
            utc(2026, 3, 7, 7, 30), // 02:30 EST
            utc(2026, 3, 8, 7, 30), // nonexistent 02:30 -> 03:30 EDT
            utc(2026, 3, 9, 6, 30), // 02:30 EDT
        ]
    );
    let zone = chrono_tz::America::New_York;
    assert_eq!(wall(zone, utc(2026, 3, 8, 7, 30)), naive(2026, 3, 8, 3, 30));
    assert!(window.is_open(utc(2026, 3, 8, 8, 29)));
    assert!(!window.is_open(utc(2026, 3, 8, 8, 30)));
}

#[test]
fn new_york_fall_back_daily_0230_and_0130() {
    // 2026-11-01: 02:00 EDT (-04) -> 01:00 EST (-05); 01:00..02:00 happens twice.
    // 02:30 is not ambiguous in New York.
    let window = recurring(daily(), hm(2, 30), 60, "America/New_York");
    assert_eq!(
        opens(&window, utc(2026, 10, 31, 0, 0), 3),
        vec![
            utc(2026, 10, 31, 6, 30), // 02:30 EDT
            utc(2026, 11, 1, 7, 30),  // 02:30 EST
            utc(2026, 11, 2, 7, 30),
        ]
    );
    // 01:30 is ambiguous: opens once, at 01:30 EDT.
    let window = recurring(daily(), hm(1, 30), 30, "America/New_York");
    assert_eq!(
        opens(&window, utc(2026, 10, 31, 0, 0), 3),
        vec![
            utc(2026, 10, 31, 5, 30), // 01:30 EDT
            utc(2026, 11, 1, 5, 30),  // first 01:30 (EDT)
            utc(2026, 11, 2, 6, 30),  // 01:30 EST
        ]
    );
    assert!(window.is_open(utc(2026, 11, 1, 5, 45)));
    assert!(!window.is_open(utc(2026, 11, 1, 6, 30))); // second 01:30 (EST)
    assert!(!window.is_open(utc(2026, 11, 1, 6, 45)));
}

#[test]
fn lord_howe_half_hour_gap_shifts_by_thirty_minutes() {
    // Australia/Lord_Howe: +10:30 -> +11:00 at 02:00 local on 2026-10-04.
    let window = recurring(daily(), hm(2, 15), 60, "Australia/Lord_Howe");
    let opening = window.next_opening(utc(2026, 10, 3, 12, 0)).unwrap();
    // 02:15 read with +10:30 is 15:45 UTC, which is 02:45 (+11:00) on the wall.
    assert_eq!(opening, utc(2026, 10, 3, 15, 45));
    assert_eq!(
        wall(chrono_tz::Australia::Lord_Howe, opening),
        naive(2026, 10, 4, 2, 45)
    );
}

// ---------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------

#[test]
fn weekly_mon_thu_next_opening() {
    let rule = Recurrence::weekly([Thu, Mon, Thu]).unwrap();
    assert_eq!(
        rule,
        Recurrence::Weekly {
            days: vec![Mon, Thu]
        }
    );
    let window = recurring(rule, hm(9, 0), 60, "Europe/Berlin");
    // Tuesday 2026-06-09 -> Thursday 2026-06-11 09:00 CEST.
    let thursday = utc(2026, 6, 11, 7, 0);
    assert_eq!(window.next_opening(utc(2026, 6, 9, 12, 0)), Some(thursday));
    // ">= after": an opening exactly at `after` counts.
    assert_eq!(window.next_opening(thursday), Some(thursday));
    let just_after = thursday + Duration::nanoseconds(1);
    assert_eq!(
        window.next_opening(just_after),
        Some(utc(2026, 6, 15, 7, 0))
    );
    assert!(window.is_open(just_after));
    assert_eq!(
        opens(&window, utc(2026, 6, 9, 0, 0), 4),
        vec![
            utc(2026, 6, 11, 7, 0),
            utc(2026, 6, 15, 7, 0),
            utc(2026, 6, 18, 7, 0),
            utc(2026, 6, 22, 7, 0),
        ]
    );
}

#[test]
fn monthly_by_day_skips_months_without_that_day() {
    let day31 = recurring(
        Recurrence::monthly_by_day(31).unwrap(),
        hm(10, 0),
        60,
        "UTC",
    );
    assert_eq!(
        opens(&day31, utc(2026, 4, 1, 0, 0), 4),
        vec![
            utc(2026, 5, 31, 10, 0), // April has 30 days: skipped
            utc(2026, 7, 31, 10, 0), // June skipped
            utc(2026, 8, 31, 10, 0),
            utc(2026, 10, 31, 10, 0), // September skipped
        ]
    );
    let day30 = recurring(
        Recurrence::monthly_by_day(30).unwrap(),
        hm(10, 0),
        60,
        "UTC",
    );
    assert_eq!(
        day30.next_opening(utc(2026, 1, 30, 10, 1)),
        Some(utc(2026, 3, 30, 10, 0))
    );
    let day29 = recurring(
        Recurrence::monthly_by_day(29).unwrap(),
        hm(10, 0),
        60,
        "UTC",
    );
    assert_eq!(
        day29.next_opening(utc(2027, 2, 1, 0, 0)),
        Some(utc(2027, 3, 29, 10, 0))
    );
    assert_eq!(
        day29.next_opening(utc(2028, 2, 1, 0, 0)),
        Some(utc(2028, 2, 29, 10, 0))
    );
}

#[test]
fn monthly_last_sunday_across_dst() {
    let rule = Recurrence::monthly_by_weekday(WeekOfMonth::Last, Sun);
    let window = recurring(rule, hm(2, 30), 60, "Europe/Berlin");
    assert_eq!(
        opens(&window, utc(2026, 3, 1, 0, 0), 3),
        vec![
            utc(2026, 3, 29, 1, 30), // spring-forward day: 03:30 CEST
            utc(2026, 4, 26, 0, 30),
            utc(2026, 5, 31, 0, 30),
        ]
    );
    assert_eq!(
        opens(&window, utc(2026, 10, 1, 0, 0), 2),
        vec![
            utc(2026, 10, 25, 0, 30), // fall-back day: first 02:30
            utc(2026, 11, 29, 1, 30),
        ]
    );
}

#[test]
fn monthly_nth_weekday() {
    let second_tuesday = recurring(
        Recurrence::monthly_by_weekday(WeekOfMonth::Second, Tue),
        hm(22, 0),
        120,
        "UTC",
    );
    assert_eq!(
        opens(&second_tuesday, utc(2026, 6, 1, 0, 0), 3),
        vec![
            utc(2026, 6, 9, 22, 0),
            utc(2026, 7, 14, 22, 0),
            utc(2026, 8, 11, 22, 0),
        ]
    );
    // March 2026 has five Sundays: 1, 8, 15, 22, 29.
    let on = |week| {
        recurring(
            Recurrence::monthly_by_weekday(week, Sun),
            hm(12, 0),
            60,
            "UTC",
        )
        .next_opening(utc(2026, 3, 1, 0, 0))
        .unwrap()
    };
    assert_eq!(on(WeekOfMonth::First), utc(2026, 3, 1, 12, 0));
    assert_eq!(on(WeekOfMonth::Third), utc(2026, 3, 15, 12, 0));
    assert_eq!(on(WeekOfMonth::Fourth), utc(2026, 3, 22, 12, 0));
    assert_eq!(on(WeekOfMonth::Last), utc(2026, 3, 29, 12, 0));
}

#[test]
fn midnight_spanning_window() {
    // Monday 23:00 + 4 h in Berlin (CEST, +02).
    let window = recurring(
        Recurrence::weekly([Mon]).unwrap(),
        hm(23, 0),
        240,
        "Europe/Berlin",
    );
    let tuesday_0100_local = utc(2026, 6, 8, 23, 0);
    assert!(window.is_open(tuesday_0100_local));
    assert_eq!(
        window.closes_at(tuesday_0100_local),
        Some(utc(2026, 6, 9, 1, 0))
    );
    assert_eq!(
        window.current_or_next(tuesday_0100_local),
        Some(Occurrence {
            opens_at: utc(2026, 6, 8, 21, 0),
            closes_at: utc(2026, 6, 9, 1, 0),
        })
    );
    assert!(!window.is_open(utc(2026, 6, 9, 1, 0)));
    assert!(!window.is_open(utc(2026, 6, 8, 20, 59)));
    assert_eq!(window.closes_at(utc(2026, 6, 9, 1, 0)), None);
}

#[test]
fn multi_day_window() {
    // Friday 18:00 EDT for 72 hours.
    let window = recurring(
        Recurrence::weekly([Fri]).unwrap(),
        hm(18, 0),
        72 * 60,
        "America/New_York",
    );
    let sunday = utc(2026, 6, 14, 16, 0);
    assert!(window.is_open(sunday));
    assert_eq!(window.closes_at(sunday), Some(utc(2026, 6, 15, 22, 0)));
    assert!(!window.is_open(utc(2026, 6, 15, 22, 0)));
    assert!(!window.is_open(utc(2026, 6, 16, 12, 0)));
    assert_eq!(
        window
            .current_or_next(utc(2026, 6, 16, 12, 0))
            .map(|o| o.opens_at),
        Some(utc(2026, 6, 19, 22, 0))
    );
}

#[test]
fn multi_day_window_across_fall_back_lasts_elapsed_duration() {
    // Saturday 22:00 CEST for 48 h over the 2026-10-25 change closes Monday 21:00 CET.
    let window = recurring(
        Recurrence::weekly([Sat]).unwrap(),
        hm(22, 0),
        48 * 60,
        "Europe/Berlin",
    );
    let occurrence = window.current_or_next(utc(2026, 10, 24, 0, 0)).unwrap();
    assert_eq!(occurrence.opens_at, utc(2026, 10, 24, 20, 0));
    assert_eq!(occurrence.closes_at, utc(2026, 10, 26, 20, 0));
    assert_eq!(
        wall(chrono_tz::Europe::Berlin, occurrence.closes_at),
        naive(2026, 10, 26, 21, 0)
    );
}

#[test]
fn seven_day_window_is_always_open_and_closes_at_the_next_boundary() {
    let window = MaintenanceWindow::recurring(
        Recurrence::weekly([Mon]).unwrap(),
        hm(0, 0),
        MAX_DURATION,
        "UTC",
    )
    .unwrap();
    for hours in 0..(24 * 14) {
        assert!(window.is_open(utc(2026, 6, 1, 0, 0) + Duration::hours(hours)));
    }
    // At the boundary the old occurrence is closed and the new one is open.
    assert_eq!(
        window.closes_at(utc(2026, 6, 15, 0, 0)),
        Some(utc(2026, 6, 22, 0, 0))
    );
    assert_eq!(
        window.closes_at(utc(2026, 6, 12, 0, 0)),
        Some(utc(2026, 6, 15, 0, 0))
    );
}

#[test]
fn overlapping_occurrences_report_the_latest_close() {
    // Daily 02:00 for 30 h: occurrences overlap for 6 h every day.
    let window = recurring(daily(), hm(2, 0), 30 * 60, "UTC");
    let at = utc(2026, 6, 9, 3, 0); // covered by Monday's and Tuesday's occurrences
    assert!(window.is_open(at));
    assert_eq!(window.closes_at(at), Some(utc(2026, 6, 10, 8, 0)));
    assert_eq!(
        window.current_or_next(at),
        Some(Occurrence {
            opens_at: utc(2026, 6, 9, 2, 0),
            closes_at: utc(2026, 6, 10, 8, 0),
        })
    );
    // Before Tuesday's opening only Monday's occurrence covers.
    assert_eq!(
        window.closes_at(utc(2026, 6, 9, 1, 0)),
        Some(utc(2026, 6, 9, 8, 0))
    );
    // ... and at that closing the window is still open through Tuesday's occurrence.
    assert!(window.is_open(utc(2026, 6, 9, 8, 0)));
}

#[test]
fn one_time_window() {
    let start = utc(2026, 5, 1, 22, 0);
    let end = utc(2026, 5, 2, 2, 0);
    let window = MaintenanceWindow::one_time(start, end).unwrap();
    let occurrence = Occurrence {
        opens_at: start,
        closes_at: end,
    };
    assert!(!window.is_recurring());
    assert_eq!((window.start(), window.end()), (Some(start), Some(end)));
    assert_eq!(window.duration(), Duration::hours(4));
    assert_eq!(
        (window.rule(), window.local_start(), window.time_zone()),
        (None, None, None)
    );

    let before = start - Duration::seconds(1);
    assert!(!window.is_open(before));
    assert!(window.is_open(start));
    assert!(window.is_open(end - Duration::nanoseconds(1)));
    assert!(!window.is_open(end));
    assert_eq!(window.next_opening(before), Some(start));
    assert_eq!(window.next_opening(start), Some(start));
    assert_eq!(window.next_opening(start + Duration::seconds(1)), None);
    assert_eq!(window.closes_at(utc(2026, 5, 2, 0, 0)), Some(end));
    assert_eq!(window.closes_at(end), None);
    assert_eq!(window.current_or_next(before), Some(occurrence));
    assert_eq!(
        window.current_or_next(utc(2026, 5, 2, 0, 0)),
        Some(occurrence)
    );
    assert_eq!(window.current_or_next(end), None);
    assert_eq!(window.openings(before, 5), vec![occurrence]);
    assert_eq!(window.openings(end, 5), vec![]);
}

#[test]
fn recurring_getters() {
    let window = recurring(
        Recurrence::weekly([Thu, Mon]).unwrap(),
        hm(2, 30),
        120,
        "Europe/Berlin",
    );
    assert!(window.is_recurring());
    assert_eq!(
        window.rule(),
        Some(&Recurrence::Weekly {
            days: vec![Mon, Thu]
        })
    );
    assert_eq!(window.local_start(), Some(hm(2, 30)));
    assert_eq!(window.duration(), Duration::hours(2));
    assert_eq!(window.time_zone(), Some(chrono_tz::Europe::Berlin));
    assert_eq!((window.start(), window.end()), (None, None));
}

#[test]
fn openings_limit_and_iterator() {
    let window = recurring(daily(), hm(2, 30), 60, "Europe/Berlin");
    assert!(window.openings(utc(2026, 1, 1, 0, 0), 0).is_empty());
    let list = window.openings(utc(2026, 1, 1, 0, 0), 400);
    assert_eq!(list.len(), 400);
    assert!(
        list.windows(2)
            .all(|pair| pair[0].opens_at < pair[1].opens_at)
    );
}

#[test]
fn extreme_instants_do_not_panic() {
    let rules = [
        daily(),
        Recurrence::monthly_by_day(31).unwrap(),
        Recurrence::monthly_by_weekday(WeekOfMonth::Last, Sun),
    ];
    for zone in ["Pacific/Kiritimati", "Etc/GMT+12", "UTC", "Europe/Berlin"] {
        for rule in &rules {
            let window = recurring(rule.clone(), hm(23, 59), 10_080, zone);
            for at in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
                let _ = window.is_open(at);
                let _ = window.closes_at(at);
                let _ = window.current_or_next(at);
                let _ = window.openings(at, 3);
                if let Some(next) = window.next_opening(at) {
                    assert!(next >= at);
                }
            }
        }
    }
    let one_time =
        MaintenanceWindow::one_time(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC).unwrap();
    assert!(one_time.is_open(DateTime::<Utc>::MIN_UTC));
    assert_eq!(one_time.openings(DateTime::<Utc>::MIN_UTC, 3).len(), 1);
}

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

#[test]
fn one_time_end_must_be_after_start() {
    let start = utc(2026, 5, 1, 22, 0);
    assert_eq!(
        MaintenanceWindow::one_time(start, start),
        Err(WindowError::EndNotAfterStart { start, end: start })
    );
    let end = start - Duration::hours(1);
    let error = MaintenanceWindow::one_time(start, end).unwrap_err();
    assert_eq!(error, WindowError::EndNotAfterStart { start, end });
    assert!(error.to_string().contains("not after its start"), "{error}");
}

#[test]
fn recurring_validation_errors_are_specific() {
    let ok_rule = daily;
    let check = |rule: Recurrence, start: NaiveTime, duration: Duration, zone: &str| {
        MaintenanceWindow::recurring(rule, start, duration, zone).unwrap_err()
    };
    assert_eq!(
        check(ok_rule(), hm(2, 0), Duration::zero(), "UTC"),
        WindowError::NonPositiveDuration {
            duration: Duration::zero()
        }
    );
    assert_eq!(
        check(ok_rule(), hm(2, 0), minutes(-5), "UTC"),
        WindowError::NonPositiveDuration {
            duration: minutes(-5)
        }
    );
    let too_long = MAX_DURATION + minutes(1);
    assert_eq!(
        check(ok_rule(), hm(2, 0), too_long, "UTC"),
        WindowError::DurationTooLong { duration: too_long }
    );
    assert!(MaintenanceWindow::recurring(ok_rule(), hm(2, 0), MAX_DURATION, "UTC").is_ok());
    assert_eq!(
        check(ok_rule(), hm(2, 0), Duration::seconds(90), "UTC"),
        WindowError::DurationNotWholeMinutes {
            duration: Duration::seconds(90)
        }
    );
    let with_seconds = NaiveTime::from_hms_opt(2, 30, 15).unwrap();
    assert_eq!(
        check(ok_rule(), with_seconds, minutes(60), "UTC"),
        WindowError::LocalStartNotWholeMinute {
            local_start: with_seconds
        }
    );
    let error = check(ok_rule(), hm(2, 0), minutes(60), "Mars/Olympus");
    assert_eq!(
        error,
        WindowError::UnknownTimeZone {
            name: "Mars/Olympus".to_owned()
        }
    );
    assert!(error.to_string().contains("Mars/Olympus"), "{error}");
    assert_eq!(
        check(
            Recurrence::Weekly { days: vec![] },
            hm(2, 0),
            minutes(60),
            "UTC"
        ),
        WindowError::EmptyWeekdaySet
    );
    for day in [0, 32, 255] {
        assert_eq!(
            check(
                Recurrence::MonthlyByDay { day },
                hm(2, 0),
                minutes(60),
                "UTC"
            ),
            WindowError::DayOfMonthOutOfRange { day }
        );
        assert_eq!(
            Recurrence::monthly_by_day(day),
            Err(WindowError::DayOfMonthOutOfRange { day })
        );
    }
    assert_eq!(Recurrence::weekly([]), Err(WindowError::EmptyWeekdaySet));
    assert!(Recurrence::monthly_by_day(1).is_ok());
    assert!(Recurrence::monthly_by_day(31).is_ok());
    // A typed zone skips the name lookup but validates the rest.
    assert_eq!(
        MaintenanceWindow::recurring_in_zone(ok_rule(), hm(2, 0), Duration::zero(), Tz::UTC),
        Err(WindowError::NonPositiveDuration {
            duration: Duration::zero()
        })
    );
}

#[test]
fn error_messages_are_plain_words() {
    let cases = [
        (
            WindowError::NonPositiveDuration {
                duration: Duration::zero(),
            },
            "must be positive, but it is 0 minutes",
        ),
        (
            WindowError::DurationTooLong {
                duration: minutes(10_081),
            },
            "at most 7 days, but it is 10081 minutes",
        ),
        (
            WindowError::DurationNotWholeMinutes {
                duration: Duration::seconds(90),
            },
            "whole minutes, but it is 90 seconds",
        ),
        (WindowError::EmptyWeekdaySet, "at least one weekday"),
        (
            WindowError::DayOfMonthOutOfRange { day: 32 },
            "day of month 32 is out of range",
        ),
    ];
    for (error, expected) in cases {
        assert!(error.to_string().contains(expected), "{error}");
    }
}

// ---------------------------------------------------------------------------------------
// Serde
// ---------------------------------------------------------------------------------------

#[test]
fn serde_recurring_json_form() {
    let window = recurring(
        Recurrence::weekly([Thu, Mon]).unwrap(),
        hm(2, 30),
        120,
        "Europe/Berlin",
    );
    let json = serde_json::to_string(&window).unwrap();
    assert_eq!(
        json,
        r#"{"kind":"recurring","rule":{"weekly":{"days":["mon","thu"]}},"local_start":"02:30","duration_minutes":120,"time_zone":"Europe/Berlin"}"#
    );
    assert_eq!(
        serde_json::from_str::<MaintenanceWindow>(&json).unwrap(),
        window
    );

    let monthly = recurring(
        Recurrence::monthly_by_day(31).unwrap(),
        hm(23, 5),
        45,
        "Asia/Kathmandu",
    );
    let json = serde_json::to_string(&monthly).unwrap();
    assert_eq!(
        json,
        r#"{"kind":"recurring","rule":{"monthly_by_day":{"day":31}},"local_start":"23:05","duration_minutes":45,"time_zone":"Asia/Kathmandu"}"#
    );
    assert_eq!(
        serde_json::from_str::<MaintenanceWindow>(&json).unwrap(),
        monthly
    );

    let nth = recurring(
        Recurrence::monthly_by_weekday(WeekOfMonth::Last, Sun),
        hm(0, 0),
        10_080,
        "UTC",
    );
    let json = serde_json::to_string(&nth).unwrap();
    assert_eq!(
        json,
        r#"{"kind":"recurring","rule":{"monthly_by_weekday":{"week":"last","weekday":"sun"}},"local_start":"00:00","duration_minutes":10080,"time_zone":"UTC"}"#
    );
    assert_eq!(
        serde_json::from_str::<MaintenanceWindow>(&json).unwrap(),
        nth
    );
}

#[test]
fn serde_one_time_json_form() {
    let window =
        MaintenanceWindow::one_time(utc(2026, 5, 1, 22, 0), utc(2026, 5, 2, 2, 0)).unwrap();
    let json = serde_json::to_string(&window).unwrap();
    assert_eq!(
        json,
        r#"{"kind":"one_time","start":"2026-05-01T22:00:00Z","end":"2026-05-02T02:00:00Z"}"#
    );
    assert_eq!(
        serde_json::from_str::<MaintenanceWindow>(&json).unwrap(),
        window
    );
    // Offsets in input are accepted and normalised to UTC.
    let with_offset = r#"{"kind":"one_time","start":"2026-05-02T00:00:00+02:00","end":"2026-05-02T04:00:00+02:00"}"#;
    assert_eq!(
        serde_json::from_str::<MaintenanceWindow>(with_offset).unwrap(),
        window
    );
}

#[test]
fn serde_occurrence_form() {
    let occurrence = Occurrence {
        opens_at: utc(2026, 3, 29, 1, 30),
        closes_at: utc(2026, 3, 29, 2, 30),
    };
    let json = serde_json::to_string(&occurrence).unwrap();
    assert_eq!(
        json,
        r#"{"opens_at":"2026-03-29T01:30:00Z","closes_at":"2026-03-29T02:30:00Z"}"#
    );
    assert_eq!(
        serde_json::from_str::<Occurrence>(&json).unwrap(),
        occurrence
    );
}

#[test]
fn serde_accepts_weekday_spellings_and_normalises() {
    let json = r#"{"kind":"recurring","rule":{"weekly":{"days":["Thursday","MON","thu"]}},"local_start":"02:30","duration_minutes":60,"time_zone":"Europe/Berlin"}"#;
    let window: MaintenanceWindow = serde_json::from_str(json).unwrap();
    assert_eq!(
        window.rule(),
        Some(&Recurrence::Weekly {
            days: vec![Mon, Thu]
        })
    );
    // A zero-second HH:MM:SS start is accepted too.
    let json = r#"{"kind":"recurring","rule":{"weekly":{"days":["mon"]}},"local_start":"02:30:00","duration_minutes":60,"time_zone":"UTC"}"#;
    let window: MaintenanceWindow = serde_json::from_str(json).unwrap();
    assert_eq!(window.local_start(), Some(hm(2, 30)));
}

#[test]
fn serde_rejects_invalid_windows() {
    let recurring_json = |rule: &str, start: &str, minutes: i64, zone: &str| {
        format!(
            r#"{{"kind":"recurring","rule":{rule},"local_start":"{start}","duration_minutes":{minutes},"time_zone":"{zone}"}}"#
        )
    };
    let weekly = r#"{"weekly":{"days":["mon"]}}"#;
    let cases = [
        (recurring_json(r#"{"monthly_by_day":{"day":0}}"#, "02:30", 60, "UTC"), "day of month 0"),
        (recurring_json(r#"{"monthly_by_day":{"day":32}}"#, "02:30", 60, "UTC"), "day of month 32"),
        (recurring_json(r#"{"monthly_by_day":{"day":300}}"#, "02:30", 60, "UTC"), "300"),
        (recurring_json(r#"{"weekly":{"days":[]}}"#, "02:30", 60, "UTC"), "at least one weekday"),
        (recurring_json(r#"{"weekly":{"days":["funday"]}}"#, "02:30", 60, "UTC"), "funday"),
        (recurring_json(r#"{"monthly_by_weekday":{"week":"fifth","weekday":"sun"}}"#, "02:30", 60, "UTC"), "fifth"),
        (recurring_json(r#"{"yearly":{}}"#, "02:30", 60, "UTC"), "yearly"),
        (recurring_json(weekly, "02:30", 0, "UTC"), "must be positive"),
        (recurring_json(weekly, "02:30", -30, "UTC"), "must be positive"),
        (recurring_json(weekly, "02:30", 10_081, "UTC"), "at most 7 days"),
        (recurring_json(weekly, "02:30", i64::MAX, "UTC"), "at most 7 days"),
        (recurring_json(weekly, "02:30", i64::MIN, "UTC"), "must be positive"),
        (recurring_json(weekly, "02:30", 60, "Mars/Olympus"), "unknown time zone \\\"Mars/Olympus\\\""),
        (recurring_json(weekly, "25:00", 60, "UTC"), "HH:MM"),
        (recurring_json(weekly, "2:30pm", 60, "UTC"), "HH:MM"),
        (recurring_json(weekly, "02:30:15", 60, "UTC"), "whole minutes"),
        (
            r#"{"kind":"one_time","start":"2026-05-02T02:00:00Z","end":"2026-05-01T22:00:00Z"}"#.to_owned(),
            "not after its start",
        ),
        (
            r#"{"kind":"one_time","start":"2026-05-02T02:00:00Z","end":"2026-05-02T02:00:00Z"}"#.to_owned(),
            "not after its start",
        ),
        (
            r#"{"kind":"one_time","start":"2026-05-02T02:00:00Z","end":"2026-05-03T02:00:00Z","extra":1}"#.to_owned(),
            "extra",
        ),
        (r#"{"kind":"sometimes"}"#.to_owned(), "sometimes"),
        (r#"{"start":"2026-05-02T02:00:00Z","end":"2026-05-03T02:00:00Z"}"#.to_owned(), "kind"),
    ];
    for (json, expected) in cases {
        let error = serde_json::from_str::<MaintenanceWindow>(&json).unwrap_err();
        let text = error.to_string();
        let expected = expected.replace("\\\"", "\"");
        assert!(text.contains(&expected), "{json}: {text}");
    }
    // Deserializing a bare rule validates as well.
    assert!(serde_json::from_str::<Recurrence>(r#"{"monthly_by_day":{"day":0}}"#).is_err());
    assert!(serde_json::from_str::<Recurrence>(r#"{"weekly":{"days":[]}}"#).is_err());
}

// ---------------------------------------------------------------------------------------
// Gap resolution against an independent model, over many zones
// ---------------------------------------------------------------------------------------

/// The instant at which `zone`'s offset changes within `(lo, hi]` (second precision),
/// assuming exactly one change in that interval.
fn transition_between(zone: Tz, lo: DateTime<Utc>, hi: DateTime<Utc>) -> DateTime<Utc> {
    let before = offset_secs(zone, lo);
    let at = |secs: i64| DateTime::from_timestamp(secs, 0).unwrap();
    let (mut lo, mut hi) = (lo.timestamp(), hi.timestamp());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if offset_secs(zone, at(mid)) == before {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    at(hi)
}

/// Independent model of the documented resolution of a wall-clock time.
fn expected_instant(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(instant) => instant.to_utc(),
        LocalResult::Ambiguous(a, b) => a.to_utc().min(b.to_utc()),
        LocalResult::None => {
            // The wall clock jumps over `local` at the transition; find it by bisection on
            // the wall-clock time (monotonic around a gap) and read `local` with the offset
            // in force just before it.
            let as_utc = local.and_utc();
            let (mut lo, mut hi) = (as_utc - Duration::hours(20), as_utc + Duration::hours(20));
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if wall(zone, mid) > local {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            let offset_before = offset_secs(zone, hi - Duration::seconds(1));
            as_utc - Duration::seconds(offset_before)
        }
    }
}

/// Checks every forward transition of `zone` between `from` and `to`: a nonexistent local
/// time at the start, middle and end of the gap resolves to the time read with the offset
/// before the gap. Returns the number of gaps checked.
fn check_gaps(zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> usize {
    let mut gaps = 0;
    let mut t = from;
    while t < to {
        let next = t + Duration::hours(6);
        let (before, after) = (offset_secs(zone, t), offset_secs(zone, next));
        if after > before {
            let transition = transition_between(zone, t, next);
            let gap_start = (transition + Duration::seconds(before)).naive_utc();
            for k in [0, (after - before) / 2, after - before - 1] {
                let local = gap_start + Duration::seconds(k);
                assert!(zone.from_local_datetime(&local).single().is_none());
                let resolved = resolve_local(zone, local);
                assert_eq!(
                    resolved,
                    Some(local.and_utc() - Duration::seconds(before)),
                    "{} {local}",
                    zone.name()
                );
                assert_eq!(
                    resolved.map(|r| wall(zone, r)),
                    Some(local + Duration::seconds(after - before))
                );
            }
            gaps += 1;
        }
        t = next;
    }
    gaps
}

#[test]
fn gap_resolution_matches_model_for_test_zones_2020_2035() {
    let mut gaps = 0;
    for zone in ZONES {
        gaps += check_gaps(
            zone.parse().unwrap(),
            utc(2020, 1, 1, 0, 0),
            utc(2036, 1, 1, 0, 0),
        );
    }
    assert!(gaps > 100, "{gaps}");
}

/// Every zone of the tz database over the years a deployment will meet (2020–2035).
/// (1850–2100 also passes, with 32,711 gaps, but takes a minute in a debug build.)
#[test]
fn gap_resolution_matches_model_for_all_zones() {
    let mut gaps = 0;
    for zone in chrono_tz::TZ_VARIANTS {
        gaps += check_gaps(zone, utc(2020, 1, 1, 0, 0), utc(2036, 1, 1, 0, 0));
    }
    assert!(gaps > 1_000, "{gaps}");
}

// ---------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------

/// Real zones: DST in both hemispheres, half- and quarter-hour offsets, Lord Howe's
/// 30-minute DST, midnight transitions, negative DST, and UTC.
const ZONES: [&str; 21] = [
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Dublin",
    "America/New_York",
    "America/Los_Angeles",
    "America/St_Johns",
    "America/Santiago",
    "America/Havana",
    "America/Sao_Paulo",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tehran",
    "Asia/Beirut",
    "Africa/Casablanca",
    "Pacific/Apia",
    "Asia/Tokyo",
];

/// Independent model of the rule.
fn model_matches(rule: &Recurrence, date: NaiveDate) -> bool {
    match rule {
        Recurrence::Weekly { days } => days.iter().any(|day| *day == date.weekday()),
        Recurrence::MonthlyByDay { day } => date.day() == u32::from(*day),
        Recurrence::MonthlyByWeekday { week, weekday } => {
            let nth = (date.day() - 1) / 7;
            let last = (date + Duration::days(7)).month() != date.month();
            date.weekday() == *weekday
                && match week {
                    WeekOfMonth::First => nth == 0,
                    WeekOfMonth::Second => nth == 1,
                    WeekOfMonth::Third => nth == 2,
                    WeekOfMonth::Fourth => nth == 3,
                    WeekOfMonth::Last => last,
                }
        }
    }
}

/// Brute force: all openings of rule days in `[first, last]`, sorted and distinct.
fn model_openings(
    window: &MaintenanceWindow,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<DateTime<Utc>> {
    let (rule, start, zone) = (
        window.rule().unwrap(),
        window.local_start().unwrap(),
        window.time_zone().unwrap(),
    );
    let mut openings = Vec::new();
    let mut day = first;
    while day <= last {
        if model_matches(rule, day) {
            openings.push(expected_instant(zone, day.and_time(start)));
        }
        day = day.succ_opt().unwrap();
    }
    openings.sort();
    openings.dedup();
    openings
}

/// The next offset change of `zone` after `from` (within about 400 days), if any.
fn next_transition(zone: Tz, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let mut t = from;
    for _ in 0..(400 * 4) {
        let next = t + Duration::hours(6);
        if offset_secs(zone, t) != offset_secs(zone, next) {
            return Some(transition_between(zone, t, next));
        }
        t = next;
    }
    None
}

fn rule_strategy() -> impl Strategy<Value = Recurrence> {
    prop_oneof![
        (1u8..128).prop_map(|mask| Recurrence::Weekly {
            days: ALL_DAYS
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, day)| *day)
                .collect(),
        }),
        prop_oneof![1u8..=31, 28u8..=31].prop_map(|day| Recurrence::MonthlyByDay { day }),
        (0usize..5, 0usize..7).prop_map(|(week, weekday)| Recurrence::MonthlyByWeekday {
            week: [
                WeekOfMonth::First,
                WeekOfMonth::Second,
                WeekOfMonth::Third,
                WeekOfMonth::Fourth,
                WeekOfMonth::Last,
            ][week],
            weekday: ALL_DAYS[weekday],
        }),
    ]
}

fn recurring_strategy() -> impl Strategy<Value = MaintenanceWindow> {
    (
        rule_strategy(),
        prop_oneof![0u32..24, 0u32..4], // bias towards the usual DST hours
        prop_oneof![0u32..60, Just(0u32), Just(30u32)],
        prop_oneof![1i64..=180, 1i64..=10_080],
        0usize..ZONES.len(),
    )
        .prop_map(|(rule, hour, minute, duration, zone)| {
            recurring(rule, hm(hour, minute), duration, ZONES[zone])
        })
}

/// An instant in 2020–2035; when `snap` is set, moved to within a few days of the zone's
/// next offset change so that DST days are exercised often.
fn pick_instant(
    window: &MaintenanceWindow,
    secs: i64,
    snap: bool,
    shift_secs: i64,
) -> DateTime<Utc> {
    let raw = utc(2020, 1, 1, 0, 0) + Duration::seconds(secs);
    match (snap, window.time_zone()) {
        (true, Some(zone)) => {
            next_transition(zone, raw).map_or(raw, |t| t + Duration::seconds(shift_secs))
        }
        _ => raw,
    }
}

const SIXTEEN_YEARS_SECS: i64 = 16 * 365 * 86_400;

// Default configuration: 256 cases per property (override with PROPTEST_CASES).
proptest! {

    #[test]
    fn recurring_window_properties(
        window in recurring_strategy(),
        secs in 0i64..SIXTEEN_YEARS_SECS,
        snap in any::<bool>(),
        shift in -3 * 86_400i64..86_400,
    ) {
        let t = pick_instant(&window, secs, snap, shift);
        let zone = window.time_zone().unwrap();
        let duration = window.duration();
        let today = t.with_timezone(&zone).date_naive();
        let model = model_openings(&window, today - Duration::days(14), today + Duration::days(8 * 62 + 14));
        let covering = |at: DateTime<Utc>| {
            model.iter().copied().filter(|o| *o <= at && at < *o + duration).max()
        };

        // next_opening: >= t, open there, and no model opening is skipped.
        let next = window.next_opening(t);
        let expected_next = model.iter().copied().find(|o| *o >= t);
        prop_assert!(expected_next.is_some());
        prop_assert_eq!(next, expected_next);
        let next = next.unwrap();
        prop_assert!(next >= t);
        prop_assert!(window.is_open(next));
        prop_assert!(!model.iter().any(|o| *o > t && *o < next));

        // is_open / closes_at / current_or_next agree with the model.
        let cover = covering(t);
        prop_assert_eq!(window.is_open(t), cover.is_some());
        prop_assert_eq!(window.closes_at(t), cover.map(|o| o + duration));
        if let Some(close) = window.closes_at(t) {
            prop_assert!(close > t);
            prop_assert!(close - t <= duration);
            prop_assert_eq!(window.is_open(close), covering(close).is_some());
            prop_assert_eq!(
                window.current_or_next(t),
                Some(Occurrence { opens_at: close - duration, closes_at: close })
            );
        } else {
            prop_assert_eq!(
                window.current_or_next(t),
                Some(Occurrence { opens_at: next, closes_at: next + duration })
            );
        }

        // openings: strictly increasing, full duration, same as the model.
        let list = window.openings(t, 8);
        prop_assert_eq!(list.len(), 8);
        prop_assert!(list.windows(2).all(|pair| pair[0].opens_at < pair[1].opens_at));
        prop_assert!(list.iter().all(|o| o.closes_at - o.opens_at == duration));
        let expected: Vec<_> = model.iter().copied().filter(|o| *o >= t).take(8).collect();
        let got: Vec<_> = list.iter().map(|o| o.opens_at).collect();
        prop_assert_eq!(got, expected);

        // Wall clock: each opening is at local_start (the first instance if repeated), or
        // local_start fell into a gap and was read with the offset before the gap.
        let start = window.local_start().unwrap();
        for occurrence in &list {
            let local = wall(zone, occurrence.opens_at);
            if local.time() == start {
                prop_assert_eq!(
                    zone.from_local_datetime(&local).earliest().map(|e| e.to_utc()),
                    Some(occurrence.opens_at)
                );
            } else {
                let shifted = [local.date(), local.date() - Duration::days(1)]
                    .into_iter()
                    .map(|day| day.and_time(start))
                    .any(|wanted| {
                        zone.from_local_datetime(&wanted).earliest().is_none()
                            && expected_instant(zone, wanted) == occurrence.opens_at
                            && local > wanted
                    });
                prop_assert!(shifted, "{} opens at {} local", zone.name(), local);
            }
        }
    }

    /// Local start times placed inside a real gap or overlap of a DST zone: the gap case opens
    /// `k` minutes after the transition (the time read with the offset before the gap), the
    /// overlap case opens once, at the first instance.
    #[test]
    fn transition_day_openings(
        zone in prop_oneof![
            Just("Europe/Berlin"), Just("America/New_York"), Just("America/St_Johns"),
            Just("America/Santiago"), Just("America/Havana"), Just("Australia/Sydney"),
            Just("Australia/Lord_Howe"), Just("Pacific/Auckland"), Just("Pacific/Chatham"),
            Just("Asia/Beirut"), Just("Africa/Casablanca"), Just("Europe/Dublin"),
        ],
        secs in 0i64..SIXTEEN_YEARS_SECS,
        fraction in 0.0f64..1.0,
        duration_minutes in prop_oneof![1i64..=180, 1i64..=10_080],
        weekly in any::<bool>(),
    ) {
        let zone: Tz = zone.parse().unwrap();
        let transition = next_transition(zone, utc(2020, 1, 1, 0, 0) + Duration::seconds(secs));
        prop_assume!(transition.is_some());
        let transition = transition.unwrap();
        let before = offset_secs(zone, transition - Duration::seconds(1));
        let after = offset_secs(zone, transition);
        let shift_minutes = (after - before).abs() / 60;
        prop_assume!(shift_minutes > 0 && (after - before) % 60 == 0);
        // A whole minute inside the gap (or the repeated interval).
        let k = ((shift_minutes as f64 * fraction) as i64).min(shift_minutes - 1);
        // The gap is [T + before, T + after) on the wall clock; the repeated interval of an
        // overlap is [T + after, T + before).
        let local = (transition + Duration::seconds(before.min(after)) + Duration::minutes(k)).naive_utc();
        prop_assume!(local.time().second() == 0);
        let rule = if weekly {
            Recurrence::weekly([local.date().weekday()]).unwrap()
        } else {
            Recurrence::monthly_by_day(u8::try_from(local.day()).unwrap()).unwrap()
        };
        let window = MaintenanceWindow::recurring_in_zone(rule, local.time(), minutes(duration_minutes), zone).unwrap();
        let from = transition - Duration::days(2);
        let list = window.openings(from, 2);
        let duration = minutes(duration_minutes);
        if after > before {
            // Gap: `local` does not exist; it opens k minutes after the transition.
            prop_assert!(zone.from_local_datetime(&local).earliest().is_none());
            let expected = transition + Duration::minutes(k);
            prop_assert_eq!(list[0].opens_at, expected);
            prop_assert_eq!(wall(zone, expected), local + Duration::seconds(after - before));
            prop_assert!(window.is_open(expected));
            prop_assert!(!window.is_open(expected - Duration::nanoseconds(1)) || duration_minutes > 6 * 24 * 60);
        } else {
            // Overlap: `local` exists twice; it opens once, at the earlier instance.
            let first = local.and_utc() - Duration::seconds(before);
            let second = local.and_utc() - Duration::seconds(after);
            prop_assert!(first < second);
            prop_assert_eq!(list[0].opens_at, first);
            prop_assert!(list[1].opens_at > second);
            prop_assert_eq!(window.is_open(second), second < first + duration);
            prop_assert_eq!(window.next_opening(first + Duration::nanoseconds(1)), Some(list[1].opens_at));
        }
        prop_assert!(list.iter().all(|o| o.duration() == duration));
    }

    #[test]
    fn one_time_window_properties(
        start_secs in 0i64..SIXTEEN_YEARS_SECS,
        length_secs in 1i64..(30 * 86_400),
        offset_secs in -86_400i64..(31 * 86_400),
    ) {
        let start = utc(2020, 1, 1, 0, 0) + Duration::seconds(start_secs);
        let end = start + Duration::seconds(length_secs);
        let window = MaintenanceWindow::one_time(start, end).unwrap();
        let t = start + Duration::seconds(offset_secs);
        let open = start <= t && t < end;
        prop_assert_eq!(window.is_open(t), open);
        prop_assert_eq!(window.closes_at(t), open.then_some(end));
        prop_assert_eq!(window.next_opening(t), (start >= t).then_some(start));
        if let Some(next) = window.next_opening(t) {
            prop_assert!(window.is_open(next));
        }
        let back: MaintenanceWindow =
            serde_json::from_str(&serde_json::to_string(&window).unwrap()).unwrap();
        prop_assert_eq!(back, window);
    }

    #[test]
    fn serde_round_trip(window in recurring_strategy()) {
        let json = serde_json::to_string(&window).unwrap();
        let back: MaintenanceWindow = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, window);
    }

    #[test]
    fn deserialization_never_yields_an_invalid_window(
        day in 0u8..=40,
        minutes in -100i64..=12_000,
        zone in prop_oneof![Just("Europe/Berlin"), Just("Mars/Olympus"), Just("europe/berlin")],
    ) {
        let json = format!(
            r#"{{"kind":"recurring","rule":{{"monthly_by_day":{{"day":{day}}}}},"local_start":"02:30","duration_minutes":{minutes},"time_zone":"{zone}"}}"#
        );
        let valid = (1..=31).contains(&day)
            && (1..=10_080).contains(&minutes)
            && zone == "Europe/Berlin";
        prop_assert_eq!(serde_json::from_str::<MaintenanceWindow>(&json).is_ok(), valid);
    }
}
