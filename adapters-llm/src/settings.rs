use std::fmt;
use std::time::Duration;

pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
pub const DEFAULT_MODEL: &str = "gpt-4o-mini";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_MAX_DESCRIPTION_CHARS: usize = 4000;

/// How to reach an OpenAI-compatible chat-completions API.
#[derive(Clone)]
pub struct LlmSettings {
    pub base_url: String,
    /// Sent as a bearer token; `None` (e.g. for a local Ollama) sends no `Authorization` header.
    pub api_key: Option<String>,
    pub model: String,
    /// Bounds a whole `classify` call, the retry included.
    pub timeout: Duration,
    /// Longer descriptions are cut to this many characters before they are sent.
    pub max_description_chars: usize,
}

impl LlmSettings {
    /// Fills in the defaults for the values not given; a blank value counts as not given.
    pub fn new(base_url: Option<String>, api_key: Option<String>, model: Option<String>) -> Self {
        Self {
            base_url: non_blank(base_url).unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
            api_key: non_blank(api_key),
            model: non_blank(model).unwrap_or_else(|| DEFAULT_MODEL.to_owned()),
            timeout: DEFAULT_TIMEOUT,
            max_description_chars: DEFAULT_MAX_DESCRIPTION_CHARS,
        }
    }
}

fn non_blank(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl fmt::Debug for LlmSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmSettings")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .field("max_description_chars", &self.max_description_chars)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_or_blank_values_get_the_defaults() {
        let settings = LlmSettings::new(None, Some("  ".into()), Some(String::new()));
        assert_eq!(settings.base_url, DEFAULT_BASE_URL);
        assert_eq!(settings.api_key, None);
        assert_eq!(settings.model, DEFAULT_MODEL);
        assert_eq!(settings.timeout, DEFAULT_TIMEOUT);
        assert_eq!(settings.max_description_chars, DEFAULT_MAX_DESCRIPTION_CHARS);
    }

    #[test]
    fn given_values_are_kept() {
        let settings = LlmSettings::new(
            Some("http://localhost:11434/v1".into()),
            Some("sk-secret".into()),
            Some("llama3.2".into()),
        );
        assert_eq!(settings.base_url, "http://localhost:11434/v1");
        assert_eq!(settings.api_key.as_deref(), Some("sk-secret"));
        assert_eq!(settings.model, "llama3.2");
    }

    #[test]
    fn debug_output_hides_the_key() {
        let settings = LlmSettings::new(None, Some("sk-secret".into()), None);
        let printed = format!("{settings:?}");
        assert!(!printed.contains("sk-secret"), "{printed}");
        assert!(printed.contains("<redacted>"), "{printed}");
    }
}
