//! Who may use the helpdesk: accounts with a role, API tokens for programs, browser sessions, and
//! the principal a request acts as.

use std::fmt;

use chrono::{DateTime, Duration, Utc};

use crate::choices::{Choice, choice_enum};
use crate::validation::{ValidationErrors, messages};

choice_enum!(
    /// What an account or a token may do: an agent works the tickets; an admin also manages
    /// accounts and tokens.
    Role { Agent => "agent", Admin => "admin" }
);

/// An account's number. Always positive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId(i64);

impl AccountId {
    pub fn new(value: i64) -> Option<Self> {
        (value > 0).then_some(Self(value))
    }

    pub fn get(self) -> i64 {
        self.0
    }

    pub fn parse(text: &str) -> Option<Self> {
        text.parse().ok().and_then(Self::new)
    }
}

/// An API token's number. Always positive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TokenId(i64);

impl TokenId {
    pub fn new(value: i64) -> Option<Self> {
        (value > 0).then_some(Self(value))
    }

    pub fn get(self) -> i64 {
        self.0
    }

    pub fn parse(text: &str) -> Option<Self> {
        text.parse().ok().and_then(Self::new)
    }
}

pub const EMAIL_MAX_CHARS: usize = 254;
pub const NAME_MAX_CHARS: usize = 100;
pub const TOKEN_NAME_MAX_CHARS: usize = 100;
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Long enough for any passphrase or generated password; bounds the cost of hashing one.
pub const PASSWORD_MAX_CHARS: usize = 1000;

/// An e-mail address as its owner typed it. Two addresses are the same account when their
/// [`key`](Email::key)s are equal: addresses are compared ignoring case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// A trimmed address of the form `local@domain.tld`, without spaces or control characters,
    /// of at most 254 characters.
    pub fn parse(text: &str) -> Result<Self, Vec<String>> {
        let text = text.trim();
        if text.is_empty() {
            return Err(vec![messages::BLANK.to_owned()]);
        }
        if text.chars().count() > EMAIL_MAX_CHARS {
            return Err(vec![messages::too_long(EMAIL_MAX_CHARS)]);
        }
        let well_formed = text.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        }) && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        if well_formed { Ok(Self(text.to_owned())) } else { Err(vec![messages::INVALID_EMAIL.to_owned()]) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form under which addresses are unique and looked up.
    pub fn key(&self) -> String {
        email_key(&self.0)
    }
}

/// The lookup form of any text typed as an e-mail address, valid or not.
pub fn email_key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// A person's name as shown to other agents: 1 to 100 characters, not blank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(text: &str) -> Result<Self, Vec<String>> {
        bounded_text(text, NAME_MAX_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a token is for, as its creator named it: 1 to 100 characters, not blank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenName(String);

impl TokenName {
    pub fn parse(text: &str) -> Result<Self, Vec<String>> {
        bounded_text(text, TOKEN_NAME_MAX_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn bounded_text(text: &str, max: usize) -> Result<String, Vec<String>> {
    let mut problems = Vec::new();
    if text.trim().is_empty() {
        problems.push(messages::BLANK.to_owned());
    }
    if text.chars().count() > max {
        problems.push(messages::too_long(max));
    }
    if text.chars().any(char::is_control) {
        problems.push(messages::CONTROL_CHARACTER.to_owned());
    }
    if problems.is_empty() { Ok(text.trim().to_owned()) } else { Err(problems) }
}

/// A password as typed, 12 to 1000 characters. It never shows itself: not in `Debug`, not in a
/// log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(text: String) -> Result<Self, Vec<String>> {
        let length = text.chars().count();
        if text.is_empty() {
            Err(vec![messages::BLANK.to_owned()])
        } else if length < PASSWORD_MIN_CHARS {
            Err(vec![messages::password_too_short(PASSWORD_MIN_CHARS)])
        } else if length > PASSWORD_MAX_CHARS {
            Err(vec![messages::too_long(PASSWORD_MAX_CHARS)])
        } else {
            Ok(Self(text))
        }
    }

    /// Whatever was typed at a login, checked only against the stored hash. Bounded like a
    /// password so that no login costs more to check than a real one.
    pub fn attempt(text: String) -> Option<Self> {
        (!text.is_empty() && text.chars().count() <= PASSWORD_MAX_CHARS).then_some(Self(text))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A password hash in PHC string form (`$argon2id$v=19$m=…`). Not shown in `Debug` either.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn new(phc: String) -> Self {
        Self(phc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

/// The SHA-256 digest of a secret (an API token, a session id): what the store keeps, so that
/// reading the store gives no one a working secret.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecretDigest(pub [u8; 32]);

impl fmt::Debug for SecretDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretDigest(***)")
    }
}

/// A person who signs in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub email: Email,
    pub name: DisplayName,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

/// An account to store; the store assigns its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub email: Email,
    pub name: DisplayName,
    pub role: Role,
    pub password_hash: PasswordHash,
    pub created_at: DateTime<Utc>,
}

/// The changes an admin makes to an account; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountChanges {
    pub name: Option<DisplayName>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    pub password_hash: Option<PasswordHash>,
}

impl AccountChanges {
    /// Whether the account's sessions must end: it is disabled or its password changed.
    pub fn ends_sessions(&self) -> bool {
        self.disabled == Some(true) || self.password_hash.is_some()
    }
}

/// Who or what created a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Creator {
    pub id: AccountId,
    pub name: DisplayName,
}

/// A program's credential, as listed: never its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    pub id: TokenId,
    pub name: TokenName,
    pub role: Role,
    pub created_by: Option<Creator>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A token to store: its digest, never the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewToken {
    pub digest: SecretDigest,
    pub name: TokenName,
    pub role: Role,
    pub created_by: Option<AccountId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A browser session as stored, with its account as it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub account: Account,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// How long a browser session lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLifetime {
    /// Since the last request.
    pub idle: Duration,
    /// Since sign-in, however busy.
    pub absolute: Duration,
}

impl Default for SessionLifetime {
    fn default() -> Self {
        Self { idle: Duration::hours(8), absolute: Duration::days(30) }
    }
}

impl SessionLifetime {
    pub fn is_live(&self, session: &Session, now: DateTime<Utc>) -> bool {
        now - session.last_seen_at < self.idle && now - session.created_at < self.absolute
    }
}

/// Who a request acts for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// Nobody signed in: a public submission.
    Anonymous,
    /// A person signed in through the browser.
    Account(Account),
    /// A program with an API token.
    Token(ApiToken),
}

impl Principal {
    /// What the principal may do; `None` for the anonymous.
    pub fn role(&self) -> Option<Role> {
        match self {
            Principal::Anonymous => None,
            Principal::Account(account) => Some(account.role),
            Principal::Token(token) => Some(token.role),
        }
    }

    /// Who to name in a ticket's history for what this principal does.
    pub fn actor(&self) -> Actor {
        match self {
            Principal::Anonymous => Actor::Public,
            Principal::Account(account) => {
                Actor::Account { id: account.id.get(), name: account.name.as_str().to_owned() }
            }
            Principal::Token(token) => Actor::Token { id: token.id.get(), name: token.name.as_str().to_owned() },
        }
    }
}

/// Who made a change, as a ticket's history names them: kept as it was then, even if the
/// account is renamed or the token revoked later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// Someone not signed in, through the public form.
    Public,
    Account {
        id: i64,
        name: String,
    },
    Token {
        id: i64,
        name: String,
    },
    /// Nobody recorded it: the ticket is older than its history.
    Unrecorded,
}

impl Actor {
    /// How the store names the kind of actor.
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::Public => "public",
            Actor::Account { .. } => "account",
            Actor::Token { .. } => "token",
            Actor::Unrecorded => "unrecorded",
        }
    }

    pub fn id(&self) -> Option<i64> {
        match self {
            Actor::Account { id, .. } | Actor::Token { id, .. } => Some(*id),
            Actor::Public | Actor::Unrecorded => None,
        }
    }

    /// The name history shows.
    pub fn name(&self) -> &str {
        match self {
            Actor::Public => "public submission",
            Actor::Account { name, .. } | Actor::Token { name, .. } => name,
            Actor::Unrecorded => "before history was kept",
        }
    }

    /// The actor the store kept as `kind`, `id` and `name`; `None` if they do not make one.
    pub fn from_parts(kind: Option<&str>, id: Option<i64>, name: Option<&str>) -> Option<Self> {
        match (kind, id, name) {
            (None, _, _) => Some(Actor::Unrecorded),
            (Some("public"), _, _) => Some(Actor::Public),
            (Some("account"), Some(id), Some(name)) => Some(Actor::Account { id, name: name.to_owned() }),
            (Some("token"), Some(id), Some(name)) => Some(Actor::Token { id, name: name.to_owned() }),
            _ => None,
        }
    }
}

/// Failed sign-ins under one key (an account or a client) and when the last one was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginFailures {
    pub count: u32,
    pub last_at: DateTime<Utc>,
}

/// How failed sign-ins slow down the next: the first few are free; past them, each waits
/// longer than the one before, up to a cap. A success forgets the failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginThrottle {
    pub free_failures: u32,
    pub first_wait: Duration,
    pub max_wait: Duration,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self { free_failures: 5, first_wait: Duration::seconds(30), max_wait: Duration::minutes(15) }
    }
}

impl LoginThrottle {
    /// How long until another attempt may be made after `failures`, or `None` if it may be made now.
    pub fn wait(&self, failures: &LoginFailures, now: DateTime<Utc>) -> Option<Duration> {
        let beyond = failures.count.checked_sub(self.free_failures)?;
        let doubling = i32::try_from(beyond.min(20)).unwrap_or(20);
        let wait = (self.first_wait * 2_i32.pow(doubling as u32)).min(self.max_wait);
        let until = failures.last_at + wait;
        (until > now).then(|| until - now)
    }

    /// How long failures are remembered: once the longest wait has passed twice over, they
    /// slow no one down any more.
    pub fn memory(&self) -> Duration {
        self.max_wait * 2
    }
}

/// The fields of a new account as a client sent them.
#[derive(Clone, Debug, Default)]
pub struct AccountDraft {
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: Option<String>,
    pub password: Option<String>,
}

/// A valid new account, its password not yet hashed.
#[derive(Clone, Debug)]
pub struct AccountRequest {
    pub email: Email,
    pub name: DisplayName,
    pub role: Role,
    pub password: Password,
}

impl AccountRequest {
    /// Every rule on every field, all problems at once. `role` may be left out when a default
    /// is given (the first admin's).
    pub fn parse(draft: AccountDraft, default_role: Option<Role>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let email = field(&mut errors, "email", draft.email, |text| Email::parse(&text));
        let name = field(&mut errors, "name", draft.name, |text| DisplayName::parse(&text));
        let role = match (draft.role, default_role) {
            (None, Some(role)) => Some(role),
            (role, _) => field(&mut errors, "role", role, |label| {
                Role::parse(&label).ok_or_else(|| vec![messages::invalid_choice(&label)])
            }),
        };
        let password = field(&mut errors, "password", draft.password, Password::parse);
        match (email, name, role, password) {
            (Some(email), Some(name), Some(role), Some(password)) if errors.is_empty() => {
                Ok(Self { email, name, role, password })
            }
            _ => Err(errors),
        }
    }
}

/// Changes to an account as a client sent them: `None` means absent.
#[derive(Clone, Debug, Default)]
pub struct AccountChangesDraft {
    pub name: Option<String>,
    pub role: Option<String>,
    pub disabled: Option<bool>,
    pub password: Option<String>,
}

/// Valid changes to an account, a new password not yet hashed.
#[derive(Clone, Debug, Default)]
pub struct AccountChangesRequest {
    pub name: Option<DisplayName>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    pub password: Option<Password>,
}

impl AccountChangesRequest {
    pub fn parse(draft: AccountChangesDraft) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = draft.name.and_then(|text| record(&mut errors, "name", DisplayName::parse(&text)));
        let role = draft.role.and_then(|label| {
            record(&mut errors, "role", Role::parse(&label).ok_or_else(|| vec![messages::invalid_choice(&label)]))
        });
        let password = draft.password.and_then(|text| record(&mut errors, "password", Password::parse(text)));
        errors.into_result(Self { name, role, disabled: draft.disabled, password })
    }
}

fn field<T>(
    errors: &mut ValidationErrors,
    name: &'static str,
    value: Option<String>,
    parse: impl FnOnce(String) -> Result<T, Vec<String>>,
) -> Option<T> {
    match value {
        None => {
            errors.add(name, messages::REQUIRED);
            None
        }
        Some(text) => record(errors, name, parse(text)),
    }
}

fn record<T>(errors: &mut ValidationErrors, name: &'static str, parsed: Result<T, Vec<String>>) -> Option<T> {
    match parsed {
        Ok(value) => Some(value),
        Err(problems) => {
            for problem in problems {
                errors.add(name, problem);
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap()
    }

    #[test]
    fn addresses_are_compared_ignoring_case_and_kept_as_typed() {
        let email = Email::parse("  Ann.Agent@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "Ann.Agent@Example.COM");
        assert_eq!(email.key(), "ann.agent@example.com");
        for bad in ["ann", "ann@", "@example.com", "ann@example", "a b@example.com", "ann@@example.com", "a@b..c"] {
            assert_eq!(Email::parse(bad).unwrap_err(), [messages::INVALID_EMAIL], "{bad}");
        }
    }

    #[test]
    fn passwords_need_twelve_characters_and_never_show() {
        assert_eq!(
            Password::parse("short".into()).unwrap_err(),
            ["This password is too short. It must contain at least 12 characters."]
        );
        let password = Password::parse("correct horse battery".into()).unwrap();
        assert_eq!(format!("{password:?}"), "Password(***)");
        assert!(Password::parse("🔑".repeat(12)).is_ok(), "characters, not bytes");
        assert!(Password::attempt("x".repeat(PASSWORD_MAX_CHARS + 1)).is_none());
    }

    #[test]
    fn a_new_account_names_every_bad_field() {
        let errors = AccountRequest::parse(
            AccountDraft {
                email: Some("nope".into()),
                name: Some(" ".into()),
                role: Some("boss".into()),
                password: None,
            },
            None,
        )
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["email", "name", "password", "role"]);
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        let lifetime = SessionLifetime::default();
        let account = Account {
            id: AccountId::new(1).unwrap(),
            email: Email::parse("a@example.com").unwrap(),
            name: DisplayName::parse("A").unwrap(),
            role: Role::Agent,
            disabled: false,
            created_at: now(),
        };
        let session = |created_hours_ago: i64, seen_hours_ago: i64| Session {
            account: account.clone(),
            created_at: now() - Duration::hours(created_hours_ago),
            last_seen_at: now() - Duration::hours(seen_hours_ago),
        };
        assert!(lifetime.is_live(&session(100, 7), now()));
        assert!(!lifetime.is_live(&session(100, 8), now()), "8 h idle");
        assert!(!lifetime.is_live(&session(30 * 24, 0), now()), "30 days old");
    }

    #[test]
    fn five_failures_are_free_then_each_waits_longer() {
        let throttle = LoginThrottle::default();
        let failures = |count| LoginFailures { count, last_at: now() };
        assert_eq!(throttle.wait(&failures(4), now()), None);
        assert_eq!(throttle.wait(&failures(5), now()), Some(Duration::seconds(30)));
        assert_eq!(throttle.wait(&failures(6), now()), Some(Duration::seconds(60)));
        assert_eq!(throttle.wait(&failures(40), now()), Some(Duration::minutes(15)));
        assert_eq!(throttle.wait(&failures(5), now() + Duration::seconds(30)), None, "the wait is over");
    }
}
