//! The HTTP adapter through actix's test tools, over mockall mocks of the ports: how each outcome
//! of a use case becomes a status and a body.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::web::Data;
use actix_web::{App, middleware::NormalizePath};
use adapters_http::{Hosts, HttpSettings, State, WebUi, routes};
use application::{AccessPolicy, AccessService, AccessStores, ClassifyPolicy, TicketService};
use chrono::{TimeZone, Utc};
use domain::{
    ApiToken, Assessment, Category, Classification, Confidence, MockAccountRepository, MockClock,
    MockLoginAttemptRepository, MockOfflineClassifier, MockPasswordHasher, MockSessionRepository, MockTicketRepository,
    MockTokenRepository, PasswordHash, Priority, RepositoryError, Role, Ticket, TokenId, TokenName,
};
use serde_json::{Value, json};
use test_support::TicketBuilder;

fn ticket(id: i64) -> Ticket {
    TicketBuilder::new()
        .title(&format!("Ticket {id}"))
        .category("technical")
        .priority("high")
        .stored(id, Utc.with_ymd_and_hms(2026, 2, 17, 10, 30, 0).unwrap())
}

/// What the test requests carry: an agent's API token, which the mocked token store knows.
const AGENT_TOKEN: &str = "hd_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

async fn state(repository: MockTicketRepository) -> Data<State> {
    state_with(repository, WebUi::Files(HashMap::new())).await
}

async fn state_with(repository: MockTicketRepository, web_ui: WebUi) -> Data<State> {
    let mut offline = MockOfflineClassifier::new();
    offline.expect_assess().returning(|_| Assessment {
        classification: Classification { category: Category::General, priority: Priority::Low },
        confidence: Some(Confidence::new(0.9, 0.4)),
    });
    offline.expect_describe().returning(|| "rules".into());
    let clock = || {
        let mut clock = MockClock::new();
        clock.expect_now().returning(Utc::now);
        Arc::new(clock)
    };
    let service = TicketService::new(Arc::new(repository), None, Arc::new(offline), clock(), ClassifyPolicy::default());
    let settings = HttpSettings {
        web_ui,
        hosts: Hosts { allowed: vec!["localhost".into(), "desk.example".into()], ..Hosts::default() },
        ..HttpSettings::default()
    };
    Data::new(State::new(Arc::new(service), Arc::new(access(clock()).await), settings))
}

/// Access over stores that know one agent token, used at most once a minute.
async fn access(clock: Arc<MockClock>) -> AccessService {
    let mut tokens = MockTokenRepository::new();
    tokens.expect_find_token().returning(|_| {
        Ok(Some(ApiToken {
            id: TokenId::new(1).unwrap(),
            name: TokenName::parse("tests").unwrap(),
            role: Role::Agent,
            created_by: None,
            created_at: Utc::now(),
            last_used_at: Some(Utc::now()),
            expires_at: None,
        }))
    });
    let mut hasher = MockPasswordHasher::new();
    hasher.expect_hash().returning(|_| PasswordHash::new("stand-in".into()));
    let stores = AccessStores {
        accounts: Arc::new(MockAccountRepository::new()),
        sessions: Arc::new(MockSessionRepository::new()),
        tokens: Arc::new(tokens),
        attempts: Arc::new(MockLoginAttemptRepository::new()),
    };
    AccessService::new(stores, Arc::new(hasher), clock, AccessPolicy::default()).await
}

async fn app(
    state: Data<State>,
) -> impl actix_web::dev::Service<actix_http::Request, Response = actix_web::dev::ServiceResponse, Error = actix_web::Error>
{
    test::init_service(
        App::new().wrap(NormalizePath::new(actix_web::middleware::TrailingSlash::Trim)).configure(routes(state)),
    )
    .await
}

/// A request from the agent.
fn signed_in(request: TestRequest) -> TestRequest {
    request.insert_header(("authorization", format!("Bearer {AGENT_TOKEN}")))
}

async fn call(
    repository: MockTicketRepository,
    request: TestRequest,
) -> (StatusCode, actix_web::http::header::HeaderMap, Value) {
    let app = app(state(repository).await).await;
    let response = test::call_service(&app, signed_in(request).to_request()).await;
    let (status, headers) = (response.status(), response.headers().clone());
    let body = test::read_body(response).await;
    (status, headers, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

#[actix_web::test]
async fn a_ticket_is_shown_in_the_seeds_shape() {
    let mut repository = MockTicketRepository::new();
    repository.expect_get().returning(|id| Ok(Some(ticket(id.get()))));
    let (status, _, body) = call(repository, TestRequest::get().uri("/api/tickets/7/")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "id": 7, "title": "Ticket 7", "description": "Something broke", "category": "technical",
            "priority": "high", "status": "open", "created_at": "2026-02-17T10:30:00Z"
        })
    );
}

#[actix_web::test]
async fn an_unavailable_store_is_a_503_with_retry_after() {
    let mut repository = MockTicketRepository::new();
    repository.expect_list().returning(|_, _, _| Err(RepositoryError::Unavailable("connection refused".into())));
    let (status, headers, body) = call(repository, TestRequest::get().uri("/api/tickets/")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(headers.contains_key("retry-after"));
    assert!(body["detail"].as_str().unwrap().contains("unavailable"));
}

#[actix_web::test]
async fn an_unexpected_failure_is_a_500_that_reveals_nothing() {
    let mut repository = MockTicketRepository::new();
    repository
        .expect_stats()
        .returning(|| Err(RepositoryError::Unexpected("relation \"tickets\" does not exist".into())));
    let (status, _, body) = call(repository, TestRequest::get().uri("/api/tickets/stats")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body, json!({"detail": "A server error occurred."}));
}

#[actix_web::test]
async fn a_full_page_links_to_the_next_with_the_same_filters() {
    let mut repository = MockTicketRepository::new();
    repository.expect_list().returning(|_, _, limit| Ok((1..=limit as i64).rev().map(ticket).collect()));
    let request = TestRequest::get()
        .uri("/api/tickets/?status=open&limit=2&search=a%20b")
        .insert_header(("host", "desk.example"));
    let (status, headers, body) = call(repository, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_array().unwrap().len(), 2);
    let link = headers.get("link").unwrap().to_str().unwrap();
    assert!(link.starts_with("<http://desk.example/api/tickets/?status=open&limit=2&search=a+b&cursor="), "{link}");
    assert!(link.ends_with(">; rel=\"next\""), "{link}");
}

#[actix_web::test]
async fn invalid_input_never_reaches_the_store() {
    let repository = MockTicketRepository::new();
    let request = TestRequest::post().uri("/api/tickets").set_json(json!({"title": "", "category": "x"}));
    let (status, _, body) = call(repository, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let fields: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
    assert_eq!(fields, ["category", "description", "priority", "title"]);
}

#[actix_web::test]
async fn api_paths_that_name_no_route_are_not_found() {
    let (status, _, body) = call(MockTicketRepository::new(), TestRequest::get().uri("/api/unknown")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"detail": "Not found."}));
}

#[actix_web::test]
async fn pages_that_are_not_api_routes_get_the_app_and_its_assets_are_cached_for_good() {
    let web_ui = WebUi::Files(HashMap::from([
        ("index.html".to_owned(), b"<div id=\"root\"></div><script src=\"/assets/app-1a2b.js\"></script>".to_vec()),
        ("assets/app-1a2b.js".to_owned(), b"console.log(1)".to_vec()),
    ]));
    let app = app(state_with(MockTicketRepository::new(), web_ui).await).await;

    let response = test::call_service(&app, signed_in(TestRequest::get().uri("/tickets/42")).to_request()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("content-type").unwrap(), "text/html; charset=utf-8");
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-cache");
    assert!(String::from_utf8_lossy(&test::read_body(response).await).contains("<div id=\"root\""));

    let response =
        test::call_service(&app, signed_in(TestRequest::get().uri("/assets/app-1a2b.js")).to_request()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("cache-control").unwrap(), "public, max-age=31536000, immutable");
    assert!(response.headers().get("content-type").unwrap().to_str().unwrap().contains("javascript"));
}

#[actix_web::test]
async fn a_server_built_without_the_ui_says_how_to_build_it() {
    let app = app(state_with(MockTicketRepository::new(), WebUi::Files(HashMap::new())).await).await;
    let response = test::call_service(&app, signed_in(TestRequest::get().uri("/")).to_request()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = serde_json::from_slice(&test::read_body(response).await).unwrap();
    assert!(body["detail"].as_str().unwrap().contains("web UI was not built"), "{body}");
}

#[actix_web::test]
async fn a_suggestion_carries_the_offline_classifiers_confidence() {
    let request = TestRequest::post().uri("/api/tickets/classify/").set_json(json!({"description": "the app is slow"}));
    let (status, _, body) = call(MockTicketRepository::new(), request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["suggested_category"], "general");
    assert_eq!(body["source"], "offline");
    assert_eq!(body["confidence"], json!({"category": 0.9, "priority": 0.4}));
}
