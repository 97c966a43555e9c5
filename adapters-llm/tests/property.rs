//! Property 16: for any successful LLM API response, the result has a valid category and
//! priority — exactly the pair the model gave, in whichever accepted shape it gave it.

mod common;

use common::*;
use domain::{Category, Choice, Priority, TicketClassifier};
use proptest::prelude::*;
use proptest::sample::select;
use wiremock::MockServer;

#[derive(Clone, Copy, Debug)]
enum Shape {
    Plain,
    Fenced,
    WithProse,
}

#[derive(Clone, Copy, Debug)]
enum Case {
    Lower,
    Upper,
    Title,
}

fn spell(label: &str, case: Case) -> String {
    match case {
        Case::Lower => label.to_owned(),
        Case::Upper => label.to_uppercase(),
        Case::Title => label[..1].to_uppercase() + &label[1..],
    }
}

fn render(category: Category, priority: Priority, shape: Shape, case: Case) -> String {
    let json = format!(
        r#"{{"category": "{}", "priority": "{}"}}"#,
        spell(category.as_str(), case),
        spell(priority.as_str(), case)
    );
    match shape {
        Shape::Plain => json,
        Shape::Fenced => format!("```json\n{json}\n```"),
        Shape::WithProse => {
            format!("Here is my classification:\n{json}\nLet me know if {{more}} is needed.")
        }
    }
}

#[test]
fn any_accepted_answer_gives_exactly_its_pair() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = runtime.block_on(MockServer::start());
    let classifier = classifier(&server.uri());

    proptest!(ProptestConfig::with_cases(100), |(
        category in select(Category::ALL),
        priority in select(Priority::ALL),
        shape in select(vec![Shape::Plain, Shape::Fenced, Shape::WithProse]),
        case in select(vec![Case::Lower, Case::Upper, Case::Title]),
    )| {
        let content = render(category, priority, shape, case);
        let result = runtime.block_on(async {
            server.reset().await;
            chat_completions().respond_with(answer(&content)).mount(&server).await;
            classifier.classify("Some ticket").await
        });
        let classification = result.map_err(|e| TestCaseError::fail(format!("{content:?}: {e:?}")))?;
        prop_assert_eq!((classification.category, classification.priority), (category, priority));
    });
}
