//! Signing in and out, the first admin, API tokens, and who a request acts for.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use domain::{
    Account, AccountChanges, AccountChangesRequest, AccountId, AccountRepository, AccountRequest, AccountWriteError,
    ApiToken, Clock, LoginAttemptRepository, LoginThrottle, NewAccount, NewToken, Password, PasswordHash,
    PasswordHasher, RepositoryError, Role, SecretDigest, SessionLifetime, SessionRepository, TokenId, TokenName,
    TokenRepository, email_key,
};
use rand::Rng;
use rand::distr::Alphanumeric;
use sha2::{Digest, Sha256};

/// Every API token starts with this, so that a leaked one is recognised (by people and by secret
/// scanners) for what it is. Changing it would lock out every token ever issued.
pub const TOKEN_PREFIX: &str = "hd_";
/// 43 alphanumeric characters carry 256 bits.
const SECRET_CHARS: usize = 43;

/// A secret made here and shown once: an API token, a session id, a setup code. Its `Debug`
/// shows nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    fn generate(prefix: &str) -> Self {
        let random: String = rand::rng().sample_iter(&Alphanumeric).take(SECRET_CHARS).map(char::from).collect();
        Self(format!("{prefix}{random}"))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    fn digest(&self) -> SecretDigest {
        digest(&self.0)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

fn digest(text: &str) -> SecretDigest {
    SecretDigest(Sha256::digest(text.as_bytes()).into())
}

/// Whether `text` has the shape of a secret this service issues, checked before any lookup.
fn well_formed(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix)
        .is_some_and(|rest| rest.len() == SECRET_CHARS && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// How long sessions last, how failed sign-ins are slowed, how often "last used" is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccessPolicy {
    pub session: SessionLifetime,
    pub throttle: LoginThrottle,
    /// A session's last request and a token's last use are written at most this often.
    pub touch_every: Duration,
}

impl Default for AccessPolicy {
    fn default() -> Self {
        Self {
            session: SessionLifetime::default(),
            throttle: LoginThrottle::default(),
            touch_every: Duration::minutes(1),
        }
    }
}

/// Everything that can go wrong signing in.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Wrong e-mail, wrong password or a disabled account: the caller cannot tell which.
    #[error("unable to log in with the credentials given")]
    InvalidCredentials,
    #[error("too many failed sign-ins; wait {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    #[error(transparent)]
    Store(#[from] RepositoryError),
}

/// Everything that can go wrong creating the first admin.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("the setup code is not valid")]
    InvalidCode,
    #[error("setup is complete: an account exists")]
    AlreadyDone,
    #[error(transparent)]
    Write(#[from] AccountWriteError),
}

/// Why a token does not authenticate.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the token is malformed, unknown, revoked or expired")]
    Invalid,
    #[error(transparent)]
    Store(#[from] RepositoryError),
}

/// A new API token: what is listed, and the secret, shown this once.
#[derive(Debug)]
pub struct IssuedToken {
    pub token: ApiToken,
    pub secret: Secret,
}

/// A signed-in account and the secret id of its new session, for the cookie.
#[derive(Debug)]
pub struct SignedIn {
    pub account: Account,
    pub session: Secret,
}

/// The ports the access use cases need.
pub struct AccessStores {
    pub accounts: Arc<dyn AccountRepository>,
    pub sessions: Arc<dyn SessionRepository>,
    pub tokens: Arc<dyn TokenRepository>,
    pub attempts: Arc<dyn LoginAttemptRepository>,
}

/// The access use cases. Cheap to share: hold it in an `Arc`.
pub struct AccessService {
    stores: AccessStores,
    hasher: Arc<dyn PasswordHasher>,
    clock: Arc<dyn Clock>,
    policy: AccessPolicy,
    setup_code: Mutex<Option<Secret>>,
    /// Checked against when an e-mail is unknown, so that a sign-in takes as long either way.
    stand_in_hash: PasswordHash,
}

impl AccessService {
    pub async fn new(
        stores: AccessStores,
        hasher: Arc<dyn PasswordHasher>,
        clock: Arc<dyn Clock>,
        policy: AccessPolicy,
    ) -> Self {
        let stand_in = Password::parse(Secret::generate("").0).expect("a generated password is valid");
        let stand_in_hash = hasher.hash(&stand_in).await;
        Self { stores, hasher, clock, policy, setup_code: Mutex::new(None), stand_in_hash }
    }

    // --- first run

    /// While no account exists, a fresh one-time code for the setup page (`None` once one does).
    pub async fn issue_setup_code(&self) -> Result<Option<Secret>, RepositoryError> {
        if self.stores.accounts.count_accounts().await? > 0 {
            return Ok(None);
        }
        let code = Secret::generate("");
        *self.setup_code.lock().unwrap_or_else(PoisonError::into_inner) = Some(code.clone());
        Ok(Some(code))
    }

    pub async fn setup_required(&self) -> Result<bool, RepositoryError> {
        Ok(self.stores.accounts.count_accounts().await? == 0)
    }

    /// Creates the first admin with the setup code, signs them in, and ends the code.
    pub async fn set_up(&self, code: &str, request: AccountRequest) -> Result<SignedIn, SetupError> {
        let valid = self
            .setup_code
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_some_and(|expected| constant_time_eq(expected.expose().as_bytes(), code.as_bytes()));
        if !valid {
            return Err(if self.setup_required().await.map_err(AccountWriteError::from)? {
                SetupError::InvalidCode
            } else {
                SetupError::AlreadyDone
            });
        }
        let new = self.new_account(AccountRequest { role: Role::Admin, ..request }).await;
        let account = self.stores.accounts.create_first_account(new).await?.ok_or(SetupError::AlreadyDone)?;
        *self.setup_code.lock().unwrap_or_else(PoisonError::into_inner) = None;
        let session = self.open_session(&account).await.map_err(AccountWriteError::from)?;
        Ok(SignedIn { account, session })
    }

    // --- sign-in

    /// Checks `email` and `password`, slowing down repeated failures per account and per
    /// `client`; a success forgets them and opens a session.
    pub async fn log_in(&self, email: &str, password: &str, client: &str) -> Result<SignedIn, LoginError> {
        let now = self.clock.now();
        let keys = [format!("account:{}", email_key(email)), format!("client:{client}")];
        for key in &keys {
            let failures = self.stores.attempts.login_failures(key).await?;
            if let Some(wait) = failures.and_then(|failures| self.policy.throttle.wait(&failures, now)) {
                let retry_after_secs = u64::try_from((wait.num_milliseconds() + 999) / 1000).unwrap_or(1).max(1);
                return Err(LoginError::Throttled { retry_after_secs });
            }
        }
        let found = self.stores.accounts.find_login(&email_key(email)).await?;
        let attempt = Password::attempt(password.to_owned());
        let verified = match (&found, &attempt) {
            (Some((account, hash)), Some(attempt)) => self.hasher.verify(attempt, hash).await && !account.disabled,
            (None, Some(attempt)) => {
                self.hasher.verify(attempt, &self.stand_in_hash).await;
                false
            }
            (_, None) => false,
        };
        match found.filter(|_| verified) {
            Some((account, _)) => {
                for key in &keys {
                    self.stores.attempts.forget_login_failures(key).await?;
                }
                let session = self.open_session(&account).await?;
                Ok(SignedIn { account, session })
            }
            None => {
                for key in &keys {
                    self.stores.attempts.record_login_failure(key, now).await?;
                }
                Err(LoginError::InvalidCredentials)
            }
        }
    }

    pub async fn log_out(&self, session: &str) -> Result<(), RepositoryError> {
        self.stores.sessions.delete_session(digest(session)).await
    }

    /// The account a session cookie stands for, if the session is live and the account enabled.
    pub async fn authenticate_session(&self, session: &str) -> Result<Option<Account>, RepositoryError> {
        if !well_formed(session, "") {
            return Ok(None);
        }
        let digest = digest(session);
        let Some(found) = self.stores.sessions.find_session(digest).await? else { return Ok(None) };
        let now = self.clock.now();
        if !self.policy.session.is_live(&found, now) || found.account.disabled {
            return Ok(None);
        }
        if now - found.last_seen_at >= self.policy.touch_every {
            self.stores.sessions.touch_session(digest, now).await?;
        }
        Ok(Some(found.account))
    }

    /// The token an `Authorization: Bearer` header carries, if it is live.
    pub async fn authenticate_token(&self, token: &str) -> Result<ApiToken, TokenError> {
        if !well_formed(token, TOKEN_PREFIX) {
            return Err(TokenError::Invalid);
        }
        let found = self.stores.tokens.find_token(digest(token)).await?.ok_or(TokenError::Invalid)?;
        let now = self.clock.now();
        if found.is_expired(now) {
            return Err(TokenError::Invalid);
        }
        if found.last_used_at.is_none_or(|at| now - at >= self.policy.touch_every) {
            self.stores.tokens.touch_token(found.id, now).await?;
        }
        Ok(found)
    }

    /// Ends sessions past their lifetime and forgets failures too old to slow anyone down.
    pub async fn purge_expired(&self) -> Result<u64, RepositoryError> {
        let now = self.clock.now();
        let sessions = self
            .stores
            .sessions
            .delete_expired_sessions(now - self.policy.session.idle, now - self.policy.session.absolute)
            .await?;
        let failures = self.stores.attempts.forget_login_failures_before(now - self.policy.throttle.memory()).await?;
        Ok(sessions + failures)
    }

    async fn open_session(&self, account: &Account) -> Result<Secret, RepositoryError> {
        let session = Secret::generate("");
        self.stores.sessions.create_session(session.digest(), account.id, self.clock.now()).await?;
        Ok(session)
    }

    // --- accounts

    pub async fn create_account(&self, request: AccountRequest) -> Result<Account, AccountWriteError> {
        let new = self.new_account(request).await;
        self.stores.accounts.create_account(new).await
    }

    pub async fn list_accounts(&self) -> Result<Vec<Account>, RepositoryError> {
        self.stores.accounts.list_accounts().await
    }

    pub async fn find_account_by_email(&self, email: &str) -> Result<Option<Account>, RepositoryError> {
        Ok(self.stores.accounts.find_login(&email_key(email)).await?.map(|(account, _)| account))
    }

    /// `None` when there is no such account.
    pub async fn update_account(
        &self,
        id: AccountId,
        request: AccountChangesRequest,
    ) -> Result<Option<Account>, AccountWriteError> {
        let password_hash = match &request.password {
            Some(password) => Some(self.hasher.hash(password).await),
            None => None,
        };
        let changes =
            AccountChanges { name: request.name, role: request.role, disabled: request.disabled, password_hash };
        self.stores.accounts.update_account(id, changes).await
    }

    async fn new_account(&self, request: AccountRequest) -> NewAccount {
        NewAccount {
            password_hash: self.hasher.hash(&request.password).await,
            email: request.email,
            name: request.name,
            role: request.role,
            created_at: self.clock.now(),
        }
    }

    // --- tokens

    pub async fn create_token(
        &self,
        name: TokenName,
        role: Role,
        expires_in_days: Option<u32>,
        created_by: Option<AccountId>,
    ) -> Result<IssuedToken, RepositoryError> {
        let secret = Secret::generate(TOKEN_PREFIX);
        let now = self.clock.now();
        let token = self
            .stores
            .tokens
            .create_token(NewToken {
                digest: secret.digest(),
                name,
                role,
                created_by,
                created_at: now,
                expires_at: expires_in_days.map(|days| now + Duration::days(i64::from(days))),
            })
            .await?;
        Ok(IssuedToken { token, secret })
    }

    pub async fn list_tokens(&self) -> Result<Vec<ApiToken>, RepositoryError> {
        self.stores.tokens.list_tokens().await
    }

    /// `false` when there is no such live token.
    pub async fn revoke_token(&self, id: TokenId) -> Result<bool, RepositoryError> {
        self.stores.tokens.revoke_token(id, self.clock.now()).await
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// Compares without stopping at the first difference, so the time taken tells nothing.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |difference, (x, y)| difference | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use domain::{
        AccountId, DisplayName, Email, LoginFailures, MockAccountRepository, MockClock, MockLoginAttemptRepository,
        MockPasswordHasher, MockSessionRepository, MockTokenRepository, Session, TokenName,
    };

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap()
    }

    fn account(disabled: bool) -> Account {
        Account {
            id: AccountId::new(7).unwrap(),
            email: Email::parse("ann@example.com").unwrap(),
            name: DisplayName::parse("Ann").unwrap(),
            role: Role::Agent,
            disabled,
            created_at: now() - Duration::days(3),
        }
    }

    /// Mocks of every port; `verify` answers every password check and counts them.
    struct Ports {
        accounts: MockAccountRepository,
        sessions: MockSessionRepository,
        tokens: MockTokenRepository,
        attempts: MockLoginAttemptRepository,
        hasher: MockPasswordHasher,
    }

    impl Ports {
        fn new() -> Self {
            let mut hasher = MockPasswordHasher::new();
            hasher.expect_hash().returning(|_| PasswordHash::new("hash".into()));
            Self {
                accounts: MockAccountRepository::new(),
                sessions: MockSessionRepository::new(),
                tokens: MockTokenRepository::new(),
                attempts: MockLoginAttemptRepository::new(),
                hasher,
            }
        }

        async fn service(self) -> AccessService {
            let mut clock = MockClock::new();
            clock.expect_now().returning(now);
            let stores = AccessStores {
                accounts: Arc::new(self.accounts),
                sessions: Arc::new(self.sessions),
                tokens: Arc::new(self.tokens),
                attempts: Arc::new(self.attempts),
            };
            AccessService::new(stores, Arc::new(self.hasher), Arc::new(clock), AccessPolicy::default()).await
        }
    }

    #[tokio::test]
    async fn past_five_failures_the_password_is_not_even_checked() {
        let mut ports = Ports::new();
        ports.attempts.expect_login_failures().returning(|key| {
            Ok(key
                .starts_with("account:")
                .then_some(LoginFailures { count: 5, last_at: now() - Duration::seconds(10) }))
        });
        ports.hasher.expect_verify().never();
        let result = ports.service().await.log_in("ann@example.com", "whatever it is", "10.0.0.1").await;
        assert!(matches!(result, Err(LoginError::Throttled { retry_after_secs: 20 })), "{result:?}");
    }

    #[tokio::test]
    async fn an_unknown_email_costs_a_password_check_like_a_known_one() {
        let mut ports = Ports::new();
        ports.attempts.expect_login_failures().returning(|_| Ok(None));
        ports.accounts.expect_find_login().returning(|_| Ok(None));
        ports.hasher.expect_verify().times(1).returning(|_, _| false);
        ports
            .attempts
            .expect_record_login_failure()
            .times(2)
            .returning(|_, at| Ok(LoginFailures { count: 1, last_at: at }));
        let result = ports.service().await.log_in("nobody@example.com", "some password", "10.0.0.1").await;
        assert!(matches!(result, Err(LoginError::InvalidCredentials)), "{result:?}");
    }

    #[tokio::test]
    async fn a_disabled_account_cannot_sign_in_even_with_its_password() {
        let mut ports = Ports::new();
        ports.attempts.expect_login_failures().returning(|_| Ok(None));
        ports.accounts.expect_find_login().returning(|_| Ok(Some((account(true), PasswordHash::new("hash".into())))));
        ports.hasher.expect_verify().returning(|_, _| true);
        ports.attempts.expect_record_login_failure().returning(|_, at| Ok(LoginFailures { count: 1, last_at: at }));
        ports.sessions.expect_create_session().never();
        let result = ports.service().await.log_in("ann@example.com", "the right password", "10.0.0.1").await;
        assert!(matches!(result, Err(LoginError::InvalidCredentials)), "{result:?}");
    }

    #[tokio::test]
    async fn a_success_forgets_the_failures_and_opens_a_session() {
        let mut ports = Ports::new();
        ports.attempts.expect_login_failures().returning(|_| Ok(Some(LoginFailures { count: 4, last_at: now() })));
        ports.accounts.expect_find_login().returning(|_| Ok(Some((account(false), PasswordHash::new("hash".into())))));
        ports.hasher.expect_verify().returning(|_, _| true);
        ports.attempts.expect_forget_login_failures().times(2).returning(|_| Ok(()));
        ports.sessions.expect_create_session().times(1).returning(|_, _, _| Ok(()));
        let signed_in =
            ports.service().await.log_in("ANN@example.com", "the right password", "10.0.0.1").await.unwrap();
        assert_eq!(signed_in.account, account(false));
        assert!(well_formed(signed_in.session.expose(), ""));
    }

    #[tokio::test]
    async fn a_session_idle_for_eight_hours_is_over_and_a_live_one_is_touched_once_a_minute() {
        for (idle, live, touched) in [
            (Duration::hours(8), false, false),
            (Duration::seconds(30), true, false),
            (Duration::minutes(2), true, true),
        ] {
            let mut ports = Ports::new();
            ports.sessions.expect_find_session().returning(move |_| {
                Ok(Some(Session {
                    account: account(false),
                    created_at: now() - Duration::days(1),
                    last_seen_at: now() - idle,
                }))
            });
            ports.sessions.expect_touch_session().times(usize::from(touched)).returning(|_, _| Ok(()));
            let found = ports.service().await.authenticate_session(Secret::generate("").expose()).await.unwrap();
            assert_eq!(found.is_some(), live, "idle {idle}");
        }
    }

    #[tokio::test]
    async fn an_expired_token_is_invalid() {
        let mut ports = Ports::new();
        ports.tokens.expect_find_token().returning(|_| {
            Ok(Some(ApiToken {
                id: TokenId::new(1).unwrap(),
                name: TokenName::parse("old").unwrap(),
                role: Role::Agent,
                created_by: None,
                created_at: now() - Duration::days(10),
                last_used_at: None,
                expires_at: Some(now() - Duration::seconds(1)),
            }))
        });
        ports.tokens.expect_touch_token().never();
        let result = ports.service().await.authenticate_token(Secret::generate(TOKEN_PREFIX).expose()).await;
        assert!(matches!(result, Err(TokenError::Invalid)), "{result:?}");
    }

    #[test]
    fn tokens_carry_the_prefix_and_256_random_bits() {
        let token = Secret::generate(TOKEN_PREFIX);
        assert!(well_formed(token.expose(), TOKEN_PREFIX));
        assert_eq!(token.expose().len(), TOKEN_PREFIX.len() + 43);
        assert!((SECRET_CHARS as f64) * 62f64.log2() >= 256.0);
        assert_ne!(token, Secret::generate(TOKEN_PREFIX));
        assert_eq!(format!("{token:?}"), "Secret(***)");
    }

    #[test]
    fn malformed_tokens_are_refused_before_any_lookup() {
        for bad in
            ["", "hd_", "xx_abc", "hd_short", &format!("hd_{}", "é".repeat(43)), &format!("HD_{}", "a".repeat(43))]
        {
            assert!(!well_formed(bad, TOKEN_PREFIX), "{bad}");
        }
    }

    #[test]
    fn constant_time_comparison_is_still_a_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
