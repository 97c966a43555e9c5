//! Reading the model's answer: the chat-completions envelope, then the classification in it.

use domain::{Category, Choice, Classification, ClassifierError, Priority};
use serde::Deserialize;

/// Answers longer than this are not searched for JSON; `max_tokens` keeps real ones far shorter.
const MAX_ANSWER_BYTES: usize = 16 * 1024;

#[derive(Deserialize)]
struct ChatResponse {
    choices: Vec<ChatChoice>,
    #[serde(default)]
    usage: Option<Usage>,
}

/// What the call cost, when the server says.
#[derive(Deserialize)]
struct Usage {
    #[serde(default)]
    prompt_tokens: u64,
    #[serde(default)]
    completion_tokens: u64,
}

#[derive(Deserialize)]
struct ChatChoice {
    message: ChatMessage,
}

#[derive(Deserialize)]
struct ChatMessage {
    content: Option<String>,
    refusal: Option<String>,
}

#[derive(Deserialize)]
struct Labels {
    category: String,
    priority: String,
}

/// The classification in a successful chat-completions response body.
pub(crate) fn read_response(body: &[u8]) -> Result<Classification, ClassifierError> {
    let response: ChatResponse =
        serde_json::from_slice(body).map_err(|e| invalid(format!("the response is not a chat completion: {e}")))?;
    if let Some(usage) = &response.usage {
        metrics::counter!("llm_tokens_total", "kind" => "prompt").increment(usage.prompt_tokens);
        metrics::counter!("llm_tokens_total", "kind" => "completion").increment(usage.completion_tokens);
    }
    let message = response
        .choices
        .into_iter()
        .next()
        .map(|choice| choice.message)
        .ok_or_else(|| invalid("the response has no choices".to_owned()))?;
    if message.refusal.is_some_and(|r| !r.trim().is_empty()) {
        return Err(invalid("the model refused to classify".to_owned()));
    }
    parse_answer(message.content.as_deref().unwrap_or_default()).map_err(invalid)
}

fn invalid(reason: String) -> ClassifierError {
    ClassifierError::InvalidAnswer(reason)
}

/// Parses the message content tolerantly: plain JSON, JSON in a Markdown fence, or JSON with
/// prose around it (the first balanced `{...}` holding both labels wins). Labels match without
/// regard to case or surrounding whitespace.
pub(crate) fn parse_answer(content: &str) -> Result<Classification, String> {
    let content = content.trim();
    if content.is_empty() {
        return Err("the answer is empty".to_owned());
    }
    if content.len() > MAX_ANSWER_BYTES {
        return Err(format!("the answer is longer than {MAX_ANSWER_BYTES} bytes"));
    }
    let labels = serde_json::from_str::<Labels>(content)
        .ok()
        .or_else(|| json_objects(content).find_map(|o| serde_json::from_str(o).ok()))
        .ok_or_else(|| "the answer holds no JSON object with a category and a priority".to_owned())?;
    Ok(Classification {
        category: label::<Category>(&labels.category, "category")?,
        priority: label::<Priority>(&labels.priority, "priority")?,
    })
}

fn label<C: Choice>(raw: &str, field: &str) -> Result<C, String> {
    C::parse(&raw.trim().to_lowercase()).ok_or_else(|| {
        let shown: String = raw.chars().take(40).collect();
        format!("unknown {field} {shown:?}")
    })
}

/// Every balanced `{...}` in `text`, by where it starts; braces inside JSON strings don't count.
fn json_objects(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('{').filter_map(|(start, _)| balanced_end(&text[start..]).map(|end| &text[start..start + end]))
}

/// The length of the balanced `{...}` that `text` starts with, if it closes.
fn balanced_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(content: &str) -> (Category, Priority) {
        let c = parse_answer(content).unwrap_or_else(|e| panic!("{content:?}: {e}"));
        (c.category, c.priority)
    }

    #[test]
    fn plain_json() {
        assert_eq!(ok(r#"{"category":"billing","priority":"high"}"#), (Category::Billing, Priority::High));
    }

    #[test]
    fn fenced_json() {
        let content = "```json\n{\"category\": \"technical\", \"priority\": \"critical\"}\n```";
        assert_eq!(ok(content), (Category::Technical, Priority::Critical));
        let bare_fence = "```\n{\"category\": \"account\", \"priority\": \"low\"}\n```";
        assert_eq!(ok(bare_fence), (Category::Account, Priority::Low));
    }

    #[test]
    fn json_with_prose_around_it() {
        let content = "Sure! Here it is: {\"category\": \"general\", \"priority\": \"medium\"} Hope it helps {";
        assert_eq!(ok(content), (Category::General, Priority::Medium));
    }

    #[test]
    fn skips_objects_without_the_labels() {
        let content = r#"{"note": "a } in a string"} then {"category":"account","priority":"high"}"#;
        assert_eq!(ok(content), (Category::Account, Priority::High));
        let nested = r#"{"result": {"category":"billing","priority":"low"}}"#;
        assert_eq!(ok(nested), (Category::Billing, Priority::Low));
    }

    #[test]
    fn labels_match_regardless_of_case_and_whitespace() {
        assert_eq!(ok(r#"{"category":" Billing ","priority":"HIGH"}"#), (Category::Billing, Priority::High));
    }

    #[test]
    fn extra_fields_are_ignored() {
        assert_eq!(
            ok(r#"{"category":"technical","priority":"low","confidence":0.9}"#),
            (Category::Technical, Priority::Low)
        );
    }

    #[test]
    fn rejects_unusable_answers() {
        for content in [
            "",
            "   ",
            "billing, high",
            "{not json}",
            r#"{"category":"billing"}"#,
            r#"{"category":"billing","priority":3}"#,
            r#"{"category":"billing","priority":"high""#,
        ] {
            assert!(parse_answer(content).is_err(), "{content:?} was accepted");
        }
    }

    #[test]
    fn rejects_labels_outside_the_enums() {
        let err = parse_answer(r#"{"category":"shipping","priority":"high"}"#).unwrap_err();
        assert!(err.contains("shipping"), "{err}");
        let err = parse_answer(r#"{"category":"billing","priority":"urgent"}"#).unwrap_err();
        assert!(err.contains("urgent"), "{err}");
    }

    #[test]
    fn rejects_oversized_answers() {
        let huge = "{".repeat(MAX_ANSWER_BYTES + 1);
        assert!(parse_answer(&huge).is_err());
    }

    #[test]
    fn reads_the_first_choice_of_a_response() {
        let body = br#"{"choices":[{"message":{"role":"assistant","content":"{\"category\":\"billing\",\"priority\":\"low\"}"}}]}"#;
        let c = read_response(body).unwrap();
        assert_eq!((c.category, c.priority), (Category::Billing, Priority::Low));
    }

    #[test]
    fn a_refusal_empty_or_missing_content_is_an_invalid_answer() {
        for body in [
            &br#"{"choices":[{"message":{"content":null,"refusal":"I can't help with that."}}]}"#[..],
            br#"{"choices":[{"message":{"content":""}}]}"#,
            br#"{"choices":[{"message":{}}]}"#,
            br#"{"choices":[]}"#,
            b"<html>oops</html>",
        ] {
            let result = read_response(body);
            assert!(
                matches!(result, Err(ClassifierError::InvalidAnswer(_))),
                "{}: {result:?}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
