//! Turns a description into lowercase, accent-free word tokens.

/// What the tokenizer emits for a currency sign, so that rules can match "$49" or "€4,870".
pub(crate) const CURRENCY_TOKEN: &str = "currency";
/// What the tokenizer emits at the start and end of the text and between sentences, so that
/// rules can match how a sentence begins or ends (`. is there`, `instead .`) and phrases do not
/// run across sentences.
pub(crate) const SENTENCE_START: &str = ".";

/// Splits `text` into lowercase tokens of letters and digits, with accents folded
/// ("Möglichkeit" becomes "moglichkeit") and English contractions kept whole ("can't" becomes
/// "cant"), while other apostrophes split words ("l'intégration" becomes "l", "integration").
/// Sentences are delimited by [`SENTENCE_START`] tokens.
pub(crate) fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = vec![SENTENCE_START.to_owned()];
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        let joins_contraction = is_apostrophe(c)
            && previous.eq_ignore_ascii_case(&'n')
            && chars.peek().is_some_and(|next| next.eq_ignore_ascii_case(&'t'));
        previous = c;
        if joins_contraction {
            continue;
        }
        if is_currency_sign(c) {
            flush(&mut current, &mut tokens);
            tokens.push(CURRENCY_TOKEN.to_owned());
        } else if ends_sentence(c, chars.peek()) {
            flush(&mut current, &mut tokens);
            mark_sentence_boundary(&mut tokens);
        } else if c.is_alphanumeric() {
            push_folded(c, &mut current);
        } else if !is_combining_mark(c) {
            flush(&mut current, &mut tokens);
        }
    }
    flush(&mut current, &mut tokens);
    mark_sentence_boundary(&mut tokens);
    tokens
}

fn mark_sentence_boundary(tokens: &mut Vec<String>) {
    if tokens.last().is_some_and(|last| last != SENTENCE_START) {
        tokens.push(SENTENCE_START.to_owned());
    }
}

fn flush(current: &mut String, tokens: &mut Vec<String>) {
    if !current.is_empty() {
        tokens.push(std::mem::take(current));
    }
}

/// A full stop, question or exclamation mark followed by a space or the end, or a line break;
/// "v5.1.8" and "$312.00" are no sentence ends.
fn ends_sentence(c: char, next: Option<&char>) -> bool {
    match c {
        '.' | '?' | '!' | '\u{3002}' => next.is_none_or(|next| next.is_whitespace()),
        '\n' | '\r' => true,
        _ => false,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

fn is_currency_sign(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥' | '₹' | '₽' | '₺' | '₩')
}

fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Appends the lowercase, accent-free form of `c`.
fn push_folded(c: char, out: &mut String) {
    for lower in c.to_lowercase() {
        match fold_accent(lower) {
            Some(plain) => out.push_str(plain),
            None => out.push(lower),
        }
    }
}

fn fold_accent(c: char) -> Option<&'static str> {
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'ª' => "a",
        'ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'º' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'š' | 'ś' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'ł' => "l",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    };
    Some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_and_splits_on_punctuation() {
        assert_eq!(tokenize("PRODUCTION is DOWN!!"), [".", "production", "is", "down", "."]);
        assert_eq!(tokenize("e-mail / 2FA"), [".", "e", "mail", "2fa", "."]);
    }

    #[test]
    fn folds_accents_in_precomposed_and_combining_forms() {
        assert_eq!(tokenize("Möglichkeit Straße"), [".", "moglichkeit", "strasse", "."]);
        assert_eq!(tokenize("cafe\u{0301} réunion"), [".", "cafe", "reunion", "."]);
        assert_eq!(tokenize("dia 1º, 2ª"), [".", "dia", "1o", "2a", "."]);
    }

    #[test]
    fn keeps_english_contractions_whole_and_splits_elisions() {
        assert_eq!(tokenize("I can't, it doesn’t"), [".", "i", "cant", "it", "doesnt", "."]);
        assert_eq!(tokenize("l'intégration"), [".", "l", "integration", "."]);
    }

    #[test]
    fn sentences_start_with_a_marker_but_versions_and_amounts_do_not_split() {
        assert_eq!(
            tokenize("Is it down? v5.1.8 costs $3.50.\nThanks"),
            [".", "is", "it", "down", ".", "v5", "1", "8", "costs", CURRENCY_TOKEN, "3", "50", ".", "thanks", "."]
        );
    }

    #[test]
    fn empty_text_is_a_single_boundary() {
        assert_eq!(tokenize(" ... "), ["."]);
    }

    #[test]
    fn currency_signs_become_their_own_token() {
        assert_eq!(tokenize("took $129"), [".", "took", CURRENCY_TOKEN, "129", "."]);
    }
}
