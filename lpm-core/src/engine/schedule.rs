//! When a queued row of a job that waits for windows may run: pure functions over a host's
//! maintenance windows, used by the scheduler (to set `due_at`), by the executor (to refuse a
//! row whose window has closed) and by whoever creates jobs (to set the first `due_at`).

use chrono::{DateTime, Utc};

use crate::window::MaintenanceWindow;

/// Why a row waits when its host has no window at all.
pub const NO_WINDOW: &str = "no maintenance window";
/// Why a row waits when its host's windows have no occurrence left (one-time windows past).
pub const NO_UPCOMING_WINDOW: &str = "no upcoming maintenance window";
/// Why a row waits for its host's next window.
pub const WAITING_FOR_WINDOW: &str = "waiting for the next maintenance window";

/// Whether work may be sent to a host now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowGate {
    /// A window is open; the last of the open occurrences closes at `closes_at`.
    Open {
        /// When nothing new may be sent any more.
        closes_at: DateTime<Utc>,
    },
    /// No window is open.
    Wait {
        /// The next opening, if there is one.
        due_at: Option<DateTime<Utc>>,
        /// Why it waits, to show people.
        reason: &'static str,
    },
}

/// The gate at `now` for a host with these windows.
pub fn gate(windows: &[MaintenanceWindow], now: DateTime<Utc>) -> WindowGate {
    if windows.is_empty() {
        return WindowGate::Wait {
            due_at: None,
            reason: NO_WINDOW,
        };
    }
    let closes_at = windows.iter().filter_map(|w| w.closes_at(now)).max();
    if let Some(closes_at) = closes_at {
        return WindowGate::Open { closes_at };
    }
    match windows.iter().filter_map(|w| w.next_opening(now)).min() {
        Some(opening) => WindowGate::Wait {
            due_at: Some(opening),
            reason: WAITING_FOR_WINDOW,
        },
        None => WindowGate::Wait {
            due_at: None,
            reason: NO_UPCOMING_WINDOW,
        },
    }
}

/// When a queued row of a host with these windows is due, and why it waits meanwhile: the
/// opening of the window open now (so it is due at once), else the next opening; `None` while
/// the host has no upcoming window.
pub fn due_for(
    windows: &[MaintenanceWindow],
    now: DateTime<Utc>,
) -> (Option<DateTime<Utc>>, Option<&'static str>) {
    let open = windows
        .iter()
        .filter_map(|w| w.current_or_next(now))
        .filter(|o| o.contains(now))
        .map(|o| o.opens_at)
        .min();
    if let Some(opened) = open {
        return (Some(opened), None);
    }
    match gate(windows, now) {
        WindowGate::Wait { due_at, reason } => (due_at, Some(reason)),
        // Not reachable (no occurrence covers `now`), but the answer would be "due now".
        WindowGate::Open { .. } => (Some(now), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::window::Recurrence;
    use chrono::{Duration, NaiveTime, TimeZone, Weekday};

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        // 2026-11-24 is a Tuesday.
        Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0)
            .single()
            .unwrap_or_default()
    }

    fn tuesday_2am() -> MaintenanceWindow {
        let rule = Recurrence::weekly([Weekday::Tue]).unwrap_or_else(|_| unreachable!());
        MaintenanceWindow::recurring(
            rule,
            NaiveTime::from_hms_opt(2, 0, 0).unwrap_or_default(),
            Duration::hours(2),
            "UTC",
        )
        .unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn a_host_without_windows_holds_its_work_and_says_why() {
        assert_eq!(
            gate(&[], at(3, 0)),
            WindowGate::Wait {
                due_at: None,
                reason: NO_WINDOW
            }
        );
        assert_eq!(due_for(&[], at(3, 0)), (None, Some(NO_WINDOW)));
    }

    #[test]
    fn open_window_lets_work_through_until_it_closes() {
        let w = [tuesday_2am()];
        assert_eq!(
            gate(&w, at(3, 0)),
            WindowGate::Open {
                closes_at: at(4, 0)
            }
        );
        assert_eq!(due_for(&w, at(3, 0)), (Some(at(2, 0)), None));
        // Closed: the next Tuesday.
        let next = at(2, 0) + Duration::days(7);
        assert_eq!(
            gate(&w, at(4, 0)),
            WindowGate::Wait {
                due_at: Some(next),
                reason: WAITING_FOR_WINDOW
            }
        );
        assert_eq!(
            due_for(&w, at(1, 0)),
            (Some(at(2, 0)), Some(WAITING_FOR_WINDOW))
        );
    }

    #[test]
    fn past_one_time_windows_leave_nothing_upcoming() {
        let past =
            MaintenanceWindow::one_time(at(0, 0), at(1, 0)).unwrap_or_else(|_| unreachable!());
        assert_eq!(
            gate(std::slice::from_ref(&past), at(2, 0)),
            WindowGate::Wait {
                due_at: None,
                reason: NO_UPCOMING_WINDOW
            }
        );
        let soon =
            MaintenanceWindow::one_time(at(5, 0), at(6, 0)).unwrap_or_else(|_| unreachable!());
        assert_eq!(
            due_for(&[past, soon], at(2, 0)),
            (Some(at(5, 0)), Some(WAITING_FOR_WINDOW))
        );
    }
}
