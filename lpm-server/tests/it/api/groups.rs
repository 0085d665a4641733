//! Groups over HTTP: admins manage groups and their members; operators see only their own
//! groups; membership changes apply to the members' next request.

use reqwest::StatusCode;
use serde_json::json;

use super::harness::{Api, code, hid, ids};

#[tokio::test]
async fn admins_create_rename_and_delete_groups() {
    let api = Api::start().await;
    let fleet = api.fleet().await;

    let (status, created) = api
        .post(
            &fleet.admin,
            "/api/v1/groups",
            json!({"name": "  databases ", "description": "PostgreSQL primaries"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        (
            &created["name"],
            &created["host_count"],
            &created["user_count"]
        ),
        (&json!("databases"), &json!(0), &json!(0))
    );
    let id = created["id"].as_i64().unwrap();

    let (status, answer) = api
        .post(&fleet.admin, "/api/v1/groups", json!({"name": "group-a"}))
        .await;
    assert_eq!((status, code(&answer)), (StatusCode::CONFLICT, "conflict"));
    let (status, answer) = api
        .patch(
            &fleet.admin,
            &format!("/api/v1/groups/{id}"),
            json!({"name": "group-b"}),
        )
        .await;
    assert_eq!((status, code(&answer)), (StatusCode::CONFLICT, "conflict"));

    let (status, renamed) = api
        .patch(
            &fleet.admin,
            &format!("/api/v1/groups/{id}"),
            json!({"name": "db"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(
        (&renamed["name"], &renamed["description"]),
        (&json!("db"), &json!("PostgreSQL primaries")),
        "an absent field stays"
    );
    let (_, described) = api
        .patch(
            &fleet.admin,
            &format!("/api/v1/groups/{id}"),
            json!({"description": ""}),
        )
        .await;
    assert_eq!(
        (&described["name"], &described["description"]),
        (&json!("db"), &json!(""))
    );

    let (_, page) = api.get(&fleet.admin, "/api/v1/groups").await;
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        (names, &page["total"]),
        (vec!["db", "group-a", "group-b"], &json!(3))
    );

    let (status, _) = api
        .delete(&fleet.admin, &format!("/api/v1/groups/{id}"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for (status, answer) in [
        api.get(&fleet.admin, &format!("/api/v1/groups/{id}")).await,
        api.delete(&fleet.admin, &format!("/api/v1/groups/{id}"))
            .await,
        api.patch(
            &fleet.admin,
            &format!("/api/v1/groups/{id}"),
            json!({"name": "x"}),
        )
        .await,
        api.put(
            &fleet.admin,
            &format!("/api/v1/groups/{id}/hosts"),
            json!({"host_ids": []}),
        )
        .await,
    ] {
        assert_eq!(
            (status, code(&answer)),
            (StatusCode::NOT_FOUND, "group_not_found")
        );
    }
    let actions = api
        .store
        .testing_strings(&format!(
            "SELECT action FROM audit_log WHERE target_type = 'group' AND target_id = '{id}' ORDER BY id"
        ))
        .await
        .unwrap();
    assert_eq!(
        actions,
        [
            "group.created",
            "group.updated",
            "group.updated",
            "group.deleted"
        ]
    );
    api.stop().await;
}

#[tokio::test]
async fn bad_group_input_is_refused_and_changes_nothing() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let a = fleet.group_a.id.get();
    let audit_before = api.store.verify_audit().await.unwrap().rows_checked;
    let long = "x".repeat(1001);
    for (path, body, field) in [
        ("/api/v1/groups".to_owned(), json!({"name": ""}), "name"),
        (
            "/api/v1/groups".to_owned(),
            json!({"name": "x".repeat(101)}),
            "name",
        ),
        (
            "/api/v1/groups".to_owned(),
            json!({"name": "ok", "description": long}),
            "description",
        ),
    ] {
        let (status, answer) = api.post(&fleet.admin, &path, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(
            answer["error"]["details"]["fields"][field].is_string(),
            "{answer}"
        );
    }
    for (path, body, field) in [
        (
            format!("/api/v1/groups/{a}"),
            json!({"name": " \t "}),
            "name",
        ),
        (
            format!("/api/v1/groups/{a}/hosts"),
            json!({"host_ids": [999999]}),
            "host_ids",
        ),
        (
            format!("/api/v1/groups/{a}/hosts"),
            json!({"host_ids": [-1]}),
            "host_ids",
        ),
        (
            format!("/api/v1/groups/{a}/users"),
            json!({"user_ids": [999999]}),
            "user_ids",
        ),
    ] {
        let method = if path.ends_with("hosts") || path.ends_with("users") {
            reqwest::Method::PUT
        } else {
            reqwest::Method::PATCH
        };
        let (status, answer) = api
            .call(method, &path, Some(&fleet.admin), Some(body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {answer}");
        assert!(
            answer["error"]["details"]["fields"][field].is_string(),
            "{answer}"
        );
    }
    let (status, _) = api
        .put(
            &fleet.admin,
            &format!("/api/v1/groups/{a}/hosts"),
            json!({"hosts": []}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown field");
    let (status, answer) = api.get(&fleet.admin, "/api/v1/groups?sort=size").await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );

    assert_eq!(
        api.store.verify_audit().await.unwrap().rows_checked,
        audit_before
    );
    let (_, group) = api.get(&fleet.admin, &format!("/api/v1/groups/{a}")).await;
    assert_eq!(group["host_ids"], json!([hid(&fleet.host_a)]));
    api.stop().await;
}

#[tokio::test]
async fn members_are_replaced_whole_and_scopes_follow_at_once() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (a, b) = (fleet.group_a.id.get(), fleet.group_b.id.get());
    let (host_a, host_free) = (hid(&fleet.host_a), hid(&fleet.host_free));
    let (op_a, op_b) = (fleet.op_a_user.id.get(), fleet.op_b_user.id.get());

    let (status, group) = api.get(&fleet.admin, &format!("/api/v1/groups/{a}")).await;
    assert_eq!(status, StatusCode::OK, "{group}");
    assert_eq!(
        (&group["host_ids"], &group["user_ids"], &group["host_count"]),
        (&json!([host_a]), &json!([op_a]), &json!(1))
    );

    // Warm op-b's cached scope, then add them to group A: they reach host A at once.
    let (status, _) = api
        .get(&fleet.op_b, &format!("/api/v1/hosts/{host_a}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, group) = api
        .put(
            &fleet.admin,
            &format!("/api/v1/groups/{a}/users"),
            json!({"user_ids": [op_a, op_b, op_b]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{group}");
    assert_eq!(
        (&group["user_ids"], &group["user_count"]),
        (&json!([op_a, op_b]), &json!(2))
    );
    let (status, _) = api
        .get(&fleet.op_b, &format!("/api/v1/hosts/{host_a}"))
        .await;
    assert_eq!(status, StatusCode::OK);

    // The free host joins group B: op-a, who is not in B, loses it.
    let (status, group) = api
        .put(
            &fleet.admin,
            &format!("/api/v1/groups/{b}/hosts"),
            json!({"host_ids": [host_free, hid(&fleet.host_b)]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{group}");
    assert_eq!(group["host_count"], 2);
    let (status, _) = api
        .get(&fleet.op_a, &format!("/api/v1/hosts/{host_free}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Deleting group A leaves its host ungrouped (reachable by every operator again) and its
    // users without it.
    let (status, _) = api
        .delete(&fleet.admin, &format!("/api/v1/groups/{a}"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, host) = api
        .get(&fleet.op_a, &format!("/api/v1/hosts/{host_a}"))
        .await;
    assert_eq!(host["groups"], json!([]));
    let (_, user) = api
        .get(&fleet.admin, &format!("/api/v1/users/{op_b}"))
        .await;
    assert_eq!(user["groups"], json!([b]));
    api.stop().await;
}

#[tokio::test]
async fn operators_see_only_their_own_groups() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let (a, b) = (fleet.group_a.id.get(), fleet.group_b.id.get());

    let (status, page) = api.get(&fleet.op_a, "/api/v1/groups").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!((ids(&page), &page["total"]), (vec![a], &json!(1)));
    let (status, group) = api.get(&fleet.op_a, &format!("/api/v1/groups/{a}")).await;
    assert_eq!(
        (status, &group["host_ids"]),
        (StatusCode::OK, &json!([hid(&fleet.host_a)]))
    );
    let (status, hidden) = api.get(&fleet.op_a, &format!("/api/v1/groups/{b}")).await;
    let (_, missing) = api.get(&fleet.op_a, "/api/v1/groups/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(hidden["error"]["message"], missing["error"]["message"]);

    let (_, page) = api
        .get(&fleet.admin, "/api/v1/groups?sort=-name&search=GROUP")
        .await;
    assert_eq!(ids(&page), vec![b, a]);
    let (_, page) = api
        .get(&fleet.admin, "/api/v1/groups?sort=hosts&per_page=1&page=2")
        .await;
    assert_eq!((ids(&page), &page["total"]), (vec![b], &json!(2)));
    api.stop().await;
}
