//! The OpenAPI document as a product: the committed `openapi/openapi.json` is what the code
//! generates, every operation says what a client generator and a reader need, the server
//! serves the same document, and the API reference at `/api/docs` loads nothing from elsewhere.

use std::collections::BTreeMap;
use std::path::PathBuf;

use reqwest::StatusCode;
use serde_json::Value;

use crate::api::harness::Api;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json")
}

fn generated() -> String {
    lpm_server::http::openapi_text().unwrap()
}

#[test]
fn the_committed_document_is_the_generated_one() {
    let path = committed_path();
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run scripts/regen-openapi to create it",
            path.display()
        )
    });
    let generated = generated();
    if committed != generated {
        let (line, (old, new)) = committed
            .lines()
            .chain(std::iter::repeat("<end of file>"))
            .zip(generated.lines().chain(std::iter::repeat("<end of file>")))
            .enumerate()
            .find(|(_, (old, new))| old != new)
            .unwrap_or((0, ("<trailing newline>", "<trailing newline>")));
        panic!(
            "openapi/openapi.json differs from the API in the code: run scripts/regen-openapi \
             and commit the result.\nfirst difference at line {}:\n  committed: {old}\n  generated: {new}",
            line + 1
        );
    }
}

#[test]
fn the_subcommand_prints_the_committed_document() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lpm-server"))
        .arg("openapi")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), generated());
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation of a document as (`METHOD path`, operation).
fn operations(document: &Value) -> Vec<(String, &Value)> {
    let paths = document["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS.iter().filter_map(move |method| {
                item.get(*method)
                    .map(|op| (format!("{} {path}", method.to_uppercase()), op))
            })
        })
        .collect()
}

/// What is wrong with one operation, as a client generator or a reader would see it.
fn problems(document: &Value, what: &str, op: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut problem = |text: String| found.push(format!("{what}: {text}"));
    match op["operationId"].as_str() {
        None | Some("") => problem("no operationId".into()),
        Some(id) if !is_snake_case(id) => problem(format!("operationId {id:?} is not snake_case")),
        Some(_) => {}
    }
    let tags = op["tags"].as_array().map_or(0, Vec::len);
    if tags != 1 {
        problem(format!("{tags} tags, want exactly one"));
    }
    let declared: Vec<&str> = document["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str())
        .collect();
    for tag in op["tags"].as_array().into_iter().flatten() {
        if !tag.as_str().is_some_and(|t| declared.contains(&t)) {
            problem(format!(
                "tag {tag} is not declared at the top of the document"
            ));
        }
    }
    let text = |key: &str| op[key].as_str().is_some_and(|s| !s.trim().is_empty());
    if !text("summary") && !text("description") {
        problem("neither summary nor description (give the handler a doc comment)".into());
    }
    for param in op["parameters"].as_array().into_iter().flatten() {
        let name = param["name"].as_str().unwrap_or("?");
        if param["description"].as_str().is_none_or(str::is_empty) {
            problem(format!("parameter {name} has no description"));
        }
        let schema = &param["schema"];
        if schema.get("type").is_none() && schema.get("$ref").is_none() {
            problem(format!("parameter {name} has no type"));
        }
        if schema.get("enum").is_some() {
            // A generated client would get one more enum class per operation.
            problem(format!(
                "parameter {name} is an inline enum, not a $ref to a named schema"
            ));
        }
    }
    let responses = op["responses"].as_object().cloned().unwrap_or_default();
    if !responses.keys().any(|s| s.starts_with('4')) {
        problem("no 4xx response documented".into());
    }
    if responses.contains_key("default") {
        problem("a `default` response hides which statuses it answers".into());
    }
    let security = op.get("security").and_then(Value::as_array);
    // `security: []` lifts the document's bearer requirement. `[{}]` means the same to the
    // server, but generators read any requirement as "needs a token" (openapi-python-client
    // then asks for an authenticated client just to log in).
    let public = security.is_some_and(Vec::is_empty);
    if security.is_some_and(|schemes| {
        schemes
            .iter()
            .any(|s| s.as_object().is_some_and(serde_json::Map::is_empty))
    }) {
        problem("security [{}]: a public operation says `security: []`".into());
    }
    if !public && !responses.contains_key("401") {
        problem("needs a token but documents no 401".into());
    }
    for (status, response) in &responses {
        let media_types: Vec<&String> = response["content"]
            .as_object()
            .map(|content| content.keys().collect())
            .unwrap_or_default();
        if status.starts_with('2')
            && !media_types.is_empty()
            && !media_types.iter().any(|m| generators_read(m))
        {
            problem(format!(
                "{status} has no media type a client generator reads (JSON, text/*, \
                 application/octet-stream): {media_types:?}"
            ));
        }
        if status.starts_with('4') || status.starts_with('5') {
            let schema = &response["content"]["application/json"]["schema"]["$ref"];
            if schema != "#/components/schemas/ErrorBody" {
                problem(format!("{status} is not documented with body = ErrorBody"));
            }
        }
    }
    found
}

/// Whether client generators decode a body of this media type (openapi-python-client, for
/// one, drops a response it cannot read, with a warning).
fn generators_read(media_type: &str) -> bool {
    media_type == "application/json"
        || media_type.ends_with("+json")
        || media_type.starts_with("text/")
        || media_type == "application/octet-stream"
}

fn is_snake_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[test]
fn every_operation_is_described_for_clients() {
    let document: Value = serde_json::from_str(&generated()).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    let operations = operations(&document);
    assert!(
        operations
            .iter()
            .any(|(what, _)| what == "GET /api/v1/hosts"),
        "the host list is missing: {:?}",
        operations.iter().map(|(w, _)| w).collect::<Vec<_>>()
    );

    let mut found = Vec::new();
    let mut ids: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (what, op) in &operations {
        found.extend(problems(&document, what, op));
        if let Some(id) = op["operationId"].as_str() {
            ids.entry(id).or_default().push(what);
        }
    }
    for (id, users) in ids.iter().filter(|(_, users)| users.len() > 1) {
        found.push(format!("operationId {id} is used by {}", users.join(", ")));
    }
    assert!(
        found.is_empty(),
        "{} problem(s) in the OpenAPI document:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn list_items_refer_to_their_named_schema() {
    // A generated client then has one class per resource, not one more per list.
    let document: Value = serde_json::from_str(&generated()).unwrap();
    let schemas = document["components"]["schemas"].as_object().unwrap();
    let pages: Vec<_> = schemas
        .iter()
        .filter(|(name, _)| name.starts_with("Paged_"))
        .collect();
    assert!(!pages.is_empty());
    for (name, page) in pages {
        let item = name.trim_start_matches("Paged_");
        assert_eq!(
            page["properties"]["items"]["items"]["$ref"],
            format!("#/components/schemas/{item}"),
            "{name}: {page:#}"
        );
    }
}

/// What keeps a client generator from naming the members of the document's unions
/// (`oneOf`, `anyOf`): an inline object member without a `title` becomes a class named after
/// its position (`RuleSpecType0`), and an inline object inside such a member a nested class
/// that openapi-python-client may even generate twice.
fn unnamed_union_members(schemas: &serde_json::Map<String, Value>) -> Vec<String> {
    fn walk(at: &str, schema: &Value, found: &mut Vec<String>) {
        match schema {
            Value::Object(object) => {
                for key in ["oneOf", "anyOf"] {
                    let members = object.get(key).and_then(Value::as_array);
                    for (i, member) in members.into_iter().flatten().enumerate() {
                        if member["type"] != "object" {
                            continue;
                        }
                        let here = format!("{at}/{key}/{i}");
                        if member["title"].as_str().is_none_or(str::is_empty) {
                            found.push(format!("{here} is an object without a title"));
                        }
                        let properties = member["properties"].as_object();
                        for (name, property) in properties.into_iter().flatten() {
                            if property.get("properties").is_some() {
                                found.push(format!(
                                    "{here}/properties/{name} is an inline object, not a $ref"
                                ));
                            }
                        }
                    }
                }
                for (key, value) in object {
                    walk(&format!("{at}/{key}"), value, found);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(&format!("{at}/{i}"), item, found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    for (name, schema) in schemas {
        walk(name, schema, &mut found);
    }
    found
}

#[test]
fn union_members_are_named_for_clients() {
    let document: Value = serde_json::from_str(&generated()).unwrap();
    let schemas = document["components"]["schemas"].as_object().unwrap();
    assert!(
        schemas["RuleSpec"]["oneOf"]
            .as_array()
            .is_some_and(|members| members.len() == 3),
        "{:#}",
        schemas["RuleSpec"]
    );
    let found = unnamed_union_members(schemas);
    assert!(found.is_empty(), "{}", found.join("\n"));

    // The check can fail: the shape the rule schemas had before they were named.
    let unnamed = serde_json::json!({"RuleSpec": {"oneOf": [
        {"type": "object", "required": ["weekly"], "properties": {"weekly": {
            "type": "object", "properties": {"days": {"type": "array"}}}}},
        {"type": "string"},
    ]}});
    assert_eq!(
        unnamed_union_members(unnamed.as_object().unwrap()),
        vec![
            "RuleSpec/oneOf/0 is an object without a title".to_owned(),
            "RuleSpec/oneOf/0/properties/weekly is an inline object, not a $ref".to_owned(),
        ]
    );
}

#[test]
fn the_check_catches_an_undocumented_operation() {
    // The rule above must be able to fail: a bare operation breaks every rule once.
    let document = serde_json::json!({"tags": [{"name": "hosts"}]});
    let bare = serde_json::json!({
        "operationId": "listHosts",
        "tags": ["hosts", "fleet"],
        "parameters": [
            {"name": "page", "in": "query", "schema": {}},
            {"name": "format", "in": "query", "description": "How.",
             "schema": {"type": "string", "enum": ["json", "csv"]}},
        ],
        "responses": {"200": {}, "default": {}},
    });
    let found = problems(&document, "GET /x", &bare);
    for needle in [
        "not snake_case",
        "2 tags",
        "tag \"fleet\" is not declared",
        "neither summary nor description",
        "parameter page has no description",
        "parameter page has no type",
        "parameter format is an inline enum",
        "no 4xx response",
        "`default` response",
        "no 401",
    ] {
        assert!(
            found.iter().any(|p| p.contains(needle)),
            "{needle} not in {found:#?}"
        );
    }
    let public = serde_json::json!({
        "operationId": "log_in",
        "tags": ["hosts"],
        "summary": "Logs in.",
        "security": [],
        "responses": {"200": {}, "422": {"content": {"text/plain": {}}}},
    });
    assert_eq!(
        problems(&document, "POST /login", &public),
        vec!["POST /login: 422 is not documented with body = ErrorBody".to_owned()]
    );
    let download = serde_json::json!({
        "operationId": "get_file",
        "tags": ["hosts"],
        "summary": "A file.",
        "security": [{}],
        "responses": {
            "200": {"content": {"application/x-pem-file": {}}},
            "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        },
    });
    assert_eq!(
        problems(&document, "GET /file", &download),
        vec![
            "GET /file: security [{}]: a public operation says `security: []`".to_owned(),
            "GET /file: needs a token but documents no 401".to_owned(),
            "GET /file: 200 has no media type a client generator reads (JSON, text/*, \
             application/octet-stream): [\"application/x-pem-file\"]"
                .to_owned(),
        ]
    );
}

#[tokio::test]
async fn the_served_document_is_the_generated_one_and_public() {
    let api = Api::start().await;
    let response = api
        .client()
        .get(api.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "{:?}",
        response.headers()
    );
    let served: Value = response.json().await.unwrap();
    let generated: Value = serde_json::from_str(&generated()).unwrap();
    assert_eq!(served, generated);
    api.stop().await;
}

/// The `src` and `href` values in an HTML page.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["src=", "href="] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            let quote = rest.chars().next().unwrap_or(' ');
            let value = if quote == '"' || quote == '\'' {
                rest[1..].split(quote).next().unwrap_or("")
            } else {
                rest.split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or("")
            };
            found.push(value.to_owned());
        }
    }
    found
}

/// Whether a reference stays on the page's own origin: relative, or absolute without a host.
fn same_origin(reference: &str) -> bool {
    !reference.contains("://") && !reference.starts_with("//") && !reference.contains(':')
}

#[tokio::test]
async fn the_api_reference_is_public_and_needs_nothing_from_elsewhere() {
    let api = Api::start().await;
    let client = api.client();

    // Without a token, as a browser would first load it; /api/docs redirects to the page.
    let page = client.get(api.url("/api/docs")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.url().path(), "/api/docs/");
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{:?}",
        page.headers()
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("<div id=\"swagger-ui\">"), "{html}");
    assert!(!html.contains("<base"), "{html}");

    let references = references(&html);
    assert!(
        references.iter().any(|r| r.ends_with(".js")),
        "{references:?}"
    );
    for reference in &references {
        assert!(same_origin(reference), "{reference} leaves the server");
        let url = api.url("/api/docs/").parse::<reqwest::Url>().unwrap();
        let url = url.join(reference).unwrap();
        let response = client.get(url.clone()).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let body = response.text().await.unwrap();
        if reference.ends_with(".css") {
            // Images in the style sheets are inline `data:` URLs.
            for (at, _) in body.match_indices("url(") {
                let target = body[at + 4..].trim_start_matches(['"', '\'']);
                assert!(
                    target.starts_with("data:") || same_origin(target.split(')').next().unwrap()),
                    "{reference}: {}",
                    &body[at..at + 60.min(body.len() - at)]
                );
            }
        }
    }

    // The initializer points Swagger UI at this server's document and at no online validator.
    let init = client
        .get(api.url("/api/docs/swagger-initializer.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(init.contains(r#""url": "/api/v1/openapi.json""#), "{init}");
    assert!(init.contains(r#""validatorUrl": "none""#), "{init}");
    assert!(!init.contains("://"), "{init}");
    api.stop().await;
}

#[test]
fn the_reference_check_recognises_foreign_resources() {
    let html = r#"<script src="https://cdn.example.com/ui.js"></script>
        <link href='//fonts.example.com/a.css'><img src=./logo.png alt=x>"#;
    let found = references(html);
    assert_eq!(
        found,
        vec![
            "https://cdn.example.com/ui.js",
            "./logo.png",
            "//fonts.example.com/a.css"
        ]
    );
    assert_eq!(
        found.iter().map(|r| same_origin(r)).collect::<Vec<_>>(),
        vec![false, true, false]
    );
}
