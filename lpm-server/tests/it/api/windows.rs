//! Maintenance windows over HTTP: one-time and recurring windows in lpm-core's JSON form,
//! their next openings at the server's clock, validation naming the field, and the scoped
//! overview.

use chrono::{DateTime, Duration, Timelike, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::harness::{Api, code, hid, ids};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn openings(window: &Value) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    window["next_openings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                at(o["opens_at"].as_str().unwrap()),
                at(o["closes_at"].as_str().unwrap()),
            )
        })
        .collect()
}

/// Every day at `local_start` UTC for an hour.
fn daily_at(local_start: &str) -> Value {
    json!({
        "kind": "recurring",
        "rule": {"weekly": {"days": ["mon", "Tuesday", "WED", "thu", "fri", "sat", "sun"]}},
        "local_start": local_start,
        "duration_minutes": 60,
        "time_zone": "UTC",
    })
}

fn nightly() -> Value {
    daily_at("02:30")
}

#[tokio::test]
async fn windows_show_their_next_openings_at_the_servers_clock() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let a = hid(&fleet.host_a);
    // A daily window opening in about 90 minutes (the clock only runs forward, and tokens are
    // good for a day, so the test stays within hours of the start).
    let first = (api.now() + Duration::minutes(90)).with_second(0).unwrap();
    let local_start = first.format("%H:%M").to_string();

    let (status, window) = api
        .post(
            &fleet.op_a,
            &format!("/api/v1/hosts/{a}/windows"),
            json!({"name": "Daily", "window": daily_at(&local_start)}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{window}");
    assert_eq!(
        (
            &window["host_id"],
            &window["host_name"],
            &window["name"],
            &window["open_now"]
        ),
        (
            &json!(a),
            &json!("a-01.example.com"),
            &json!("Daily"),
            &json!(false)
        )
    );
    // The schedule reads back in lpm-core's canonical form.
    assert_eq!(
        window["window"]["rule"]["weekly"]["days"],
        json!(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
    );
    let expected: Vec<_> = (0..3)
        .map(|day| {
            let opens = first + Duration::days(day);
            (opens, opens + Duration::hours(1))
        })
        .collect();
    assert_eq!(openings(&window), expected);

    let start = first + Duration::hours(2);
    let (status, once) = api
        .post(
            &fleet.op_a,
            &format!("/api/v1/hosts/{a}/windows"),
            json!({"name": "Once", "window": {"kind": "one_time", "start": start, "end": start + Duration::hours(1)}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{once}");
    assert_eq!(openings(&once), vec![(start, start + Duration::hours(1))]);

    // A quarter of an hour into the first opening, the daily window is open and its next
    // opening is tomorrow's.
    api.clock.set(first + Duration::minutes(15));
    let token = api.token(&fleet.op_a_user);
    let (status, page) = api.get(&token, &format!("/api/v1/hosts/{a}/windows")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 2);
    let daily_now = &page["items"][0];
    assert_eq!(
        (&daily_now["name"], &daily_now["open_now"]),
        (&json!("Daily"), &json!(true))
    );
    assert_eq!(openings(daily_now)[0], expected[1]);
    // Once the one-time window has passed, it has no openings left.
    api.clock.set(start + Duration::hours(2));
    let token = api.token(&fleet.op_a_user);
    let (_, once_later) = api
        .get(&token, &format!("/api/v1/windows/{}", once["id"]))
        .await;
    assert_eq!(
        (openings(&once_later), &once_later["open_now"]),
        (vec![], &json!(false))
    );
    api.stop().await;
}

#[tokio::test]
async fn an_invalid_window_is_a_422_naming_the_field() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let path = format!("/api/v1/hosts/{}/windows", hid(&fleet.host_a));
    let audit_before = api.store.verify_audit().await.unwrap().rows_checked;
    let recurring = |patch: Value| {
        let mut window = nightly();
        for (key, value) in patch.as_object().unwrap() {
            window[key] = value.clone();
        }
        json!({"name": "w", "window": window})
    };
    let cases = [
        (
            json!({"name": "w", "window": {"kind": "one_time", "start": "2026-12-01T02:00:00Z", "end": "2026-12-01T01:00:00Z"}}),
            "window.end",
        ),
        (
            recurring(json!({"time_zone": "Mars/Olympus"})),
            "window.time_zone",
        ),
        (
            recurring(json!({"duration_minutes": 0})),
            "window.duration_minutes",
        ),
        (
            recurring(json!({"duration_minutes": 10081})),
            "window.duration_minutes",
        ),
        (
            recurring(json!({"duration_minutes": -9_223_372_036_854_775_807_i64})),
            "window.duration_minutes",
        ),
        (
            recurring(json!({"local_start": "25:00"})),
            "window.local_start",
        ),
        (
            recurring(json!({"local_start": "02:30:15"})),
            "window.local_start",
        ),
        (
            recurring(json!({"rule": {"weekly": {"days": []}}})),
            "window.rule.weekly.days",
        ),
        (
            recurring(json!({"rule": {"monthly_by_day": {"day": 32}}})),
            "window.rule.monthly_by_day.day",
        ),
        (json!({"name": "", "window": nightly()}), "name"),
    ];
    for (body, field) in cases {
        let (status, answer) = api.post(&fleet.admin, &path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(code(&answer), "validation_failed");
        assert!(
            answer["error"]["details"]["fields"][field].is_string(),
            "{field}: {answer}"
        );
    }
    // Shapes serde refuses: still a 422, and the message names where.
    for body in [
        recurring(json!({"rule": {"weekly": {"days": ["someday"]}}})),
        recurring(json!({"rule": {"fortnightly": {}}})),
        recurring(json!({"colour": "blue"})),
        json!({"name": "w", "window": {"kind": "sometimes"}}),
        json!({"name": "w"}),
    ] {
        let (status, answer) = api.post(&fleet.admin, &path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains("window"),
            "{answer}"
        );
    }
    assert_eq!(
        api.store.verify_audit().await.unwrap().rows_checked,
        audit_before
    );
    api.stop().await;
}

#[tokio::test]
async fn windows_are_replaced_deleted_and_listed_in_scope() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (a, b, free) = (
        hid(&fleet.host_a),
        hid(&fleet.host_b),
        hid(&fleet.host_free),
    );
    let mut made = Vec::new();
    for (token, host, name) in [
        (&fleet.op_a, a, "A nightly"),
        (&fleet.op_b, b, "B nightly"),
        (&fleet.op_b, free, "Free nightly"),
    ] {
        let (status, window) = api
            .post(
                token,
                &format!("/api/v1/hosts/{host}/windows"),
                json!({"name": name, "window": nightly()}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{window}");
        made.push(window["id"].as_i64().unwrap());
    }
    let (w_a, w_b, w_free) = (made[0], made[1], made[2]);

    let (status, page) = api.get(&fleet.op_a, "/api/v1/windows").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(
        ids(&page),
        vec![w_a, w_free],
        "by host name, B's out of sight"
    );
    assert_eq!(page["items"][1]["host_name"], "free-01.example.com");
    assert_eq!(
        page["items"][1]["next_openings"].as_array().unwrap().len(),
        3
    );
    let (_, page) = api
        .get(&fleet.admin, "/api/v1/windows?sort=-name&per_page=2")
        .await;
    assert_eq!((ids(&page), &page["total"]), (vec![w_free, w_b], &json!(3)));
    let (_, page) = api
        .get(&fleet.admin, &format!("/api/v1/windows?host={b}"))
        .await;
    assert_eq!(ids(&page), vec![w_b]);
    let (_, page) = api
        .get(&fleet.admin, "/api/v1/windows?search=FREE-01")
        .await;
    assert_eq!(ids(&page), vec![w_free]);
    for bad in ["?sort=opening", "?host=0", "?page=0"] {
        let (status, _) = api
            .get(&fleet.admin, &format!("/api/v1/windows{bad}"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }

    let start = api.now() + Duration::days(1);
    let once = json!({"name": "Just once", "window": {"kind": "one_time", "start": start, "end": start + Duration::hours(1)}});
    let (status, replaced) = api
        .put(&fleet.op_a, &format!("/api/v1/windows/{w_a}"), once)
        .await;
    assert_eq!(status, StatusCode::OK, "{replaced}");
    assert_eq!(
        (
            &replaced["name"],
            &replaced["window"]["kind"],
            &replaced["host_id"]
        ),
        (&json!("Just once"), &json!("one_time"), &json!(a))
    );
    let (_, read) = api
        .get(&fleet.op_a, &format!("/api/v1/windows/{w_a}"))
        .await;
    assert_eq!(read, replaced);
    let (status, answer) = api
        .put(
            &fleet.op_a,
            &format!("/api/v1/windows/{w_a}"),
            json!({"name": "x", "window": {"kind": "one_time", "start": start, "end": start}}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");

    let (status, _) = api
        .delete(&fleet.op_a, &format!("/api/v1/windows/{w_a}"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for (status, answer) in [
        api.get(&fleet.op_a, &format!("/api/v1/windows/{w_a}"))
            .await,
        api.delete(&fleet.op_a, &format!("/api/v1/windows/{w_a}"))
            .await,
        api.put(
            &fleet.op_a,
            &format!("/api/v1/windows/{w_a}"),
            json!({"name": "x", "window": nightly()}),
        )
        .await,
    ] {
        assert_eq!(
            (status, code(&answer)),
            (StatusCode::NOT_FOUND, "maintenance_window_not_found")
        );
    }
    let actions = api
        .store
        .testing_strings(
            "SELECT action FROM audit_log WHERE target_type = 'maintenance_window' ORDER BY id",
        )
        .await
        .unwrap();
    assert_eq!(
        actions,
        [
            "window.created",
            "window.created",
            "window.created",
            "window.updated",
            "window.deleted"
        ]
    );
    api.stop().await;
}
