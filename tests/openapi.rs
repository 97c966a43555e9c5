//! The OpenAPI document is the router's: every endpoint is in it and nothing else is, and the
//! copy the web UI builds its types from is the server's own.

use std::collections::BTreeSet;
use std::path::Path;

use adapters_http::{endpoints, openapi, spec_path};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

#[test]
fn every_route_is_in_the_document_and_every_operation_is_a_route() {
    let routes: BTreeSet<(String, String)> = endpoints()
        .iter()
        .map(|endpoint| (endpoint.method.as_str().to_ascii_lowercase(), spec_path(endpoint.path)))
        .collect();
    let document = openapi();
    let operations: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|key| METHODS.contains(&key.as_str()))
                .map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    assert_eq!(operations, routes);
    assert_eq!(routes.len(), endpoints().len(), "one operation per endpoint");
}

#[test]
fn every_operation_names_its_id_security_and_answers() {
    let document = openapi();
    let mut ids = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path}: an operationId"));
            assert!(ids.insert(id.to_owned()), "{id} is unique");
            assert!(operation["security"].is_array(), "{method} {path}: its security");
            let answers = operation["responses"].as_object().unwrap();
            assert!(answers.keys().any(|status| status.starts_with('2')), "{method} {path}: a success");
            assert!(!answers.contains_key("500"), "{method} {path}: nothing a client sends yields a 500");
        }
    }
}

#[test]
fn the_web_uis_copy_of_the_document_is_the_servers() {
    let committed = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("web-ui/openapi.json"))
        .expect("web-ui/openapi.json");
    let generated = serde_json::to_string_pretty(&openapi()).unwrap() + "\n";
    assert!(
        committed == generated,
        "web-ui/openapi.json is out of date: run `make openapi` (helpdesk openapi > web-ui/openapi.json) and commit it"
    );
}
