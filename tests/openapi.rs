//! The OpenAPI document is the router's: every endpoint is in it and nothing else is, and the
//! copy the web UI builds its types from is the server's own.

use std::collections::BTreeSet;
use std::path::Path;

use adapters_http::{HttpSettings, endpoints, spec_path};
use domain::{Description, DisplayName, TicketLimits, Title, TokenName};
use proptest::prelude::*;
use regex::Regex;
use serde_json::Value;

fn openapi() -> Value {
    adapters_http::openapi(&HttpSettings::default())
}

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

#[test]
fn the_document_says_how_this_server_runs() {
    let settings = HttpSettings {
        ticket_limits: TicketLimits { description_max_chars: 500 },
        public_submissions: false,
        ..HttpSettings::default()
    };
    let document = adapters_http::openapi(&settings);
    let schemas = &document["components"]["schemas"];
    assert_eq!(schemas["NewTicket"]["properties"]["description"]["maxLength"], 500);
    assert_eq!(schemas["ClassifyRequest"]["properties"]["description"]["maxLength"], 500);
    let anonymous = serde_json::json!({});
    let create = &document["paths"]["/api/tickets/"]["post"]["security"];
    assert!(!create.as_array().unwrap().contains(&anonymous), "signing in is required: {create}");
    let open = &openapi()["paths"]["/api/tickets/"]["post"]["security"];
    assert!(open.as_array().unwrap().contains(&anonymous), "anyone may submit by default: {open}");
}

/// The pattern and bounds of `schema`, as a check of a string.
fn documented(schema: &Value) -> impl Fn(&str) -> bool {
    let pattern = Regex::new(schema["pattern"].as_str().expect("a pattern")).expect("the pattern compiles");
    let (min, max) = (schema["minLength"].as_u64().unwrap() as usize, schema["maxLength"].as_u64().unwrap() as usize);
    move |text| (min..=max).contains(&text.chars().count()) && pattern.is_match(text)
}

fn text_with_edge_characters() -> impl Strategy<Value = String> {
    let edge = prop::sample::select(vec![
        '\0', '\t', '\n', '\u{b}', '\r', ' ', '\u{1f}', '\u{7f}', '\u{85}', '\u{9f}', '\u{a0}', '\u{1680}', '\u{2003}',
        '\u{200b}', '\u{2028}', '\u{202f}', '\u{3000}', '\u{feff}', 'a', 'é', '字',
    ]);
    prop::collection::vec(prop_oneof![3 => edge, 1 => any::<char>()], 0..8).prop_map(String::from_iter)
}

proptest! {
    /// A client that checks its input against the document is refused by the server exactly when the
    /// document says it would be.
    #[test]
    fn the_documented_text_rules_are_the_domains(text in text_with_edge_characters()) {
        let schemas = &openapi()["components"]["schemas"];
        let name = documented(&schemas["NewAccount"]["properties"]["name"]);
        prop_assert_eq!(name(&text), DisplayName::parse(&text).is_ok());
        let token_name = documented(&schemas["NewToken"]["properties"]["name"]);
        prop_assert_eq!(token_name(&text), TokenName::parse(&text).is_ok());
        let title = documented(&schemas["NewTicket"]["properties"]["title"]);
        prop_assert_eq!(title(&text), Title::parse(text.clone()).is_ok());
        let description = documented(&schemas["NewTicket"]["properties"]["description"]);
        prop_assert_eq!(description(&text), Description::parse(text.clone()).is_ok());
    }
}
