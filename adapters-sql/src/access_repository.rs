//! Accounts, sessions, API tokens and failed sign-ins in the same SQL store as the tickets, on the
//! same pool and the same path to a connection.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::r2d2::R2D2Connection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use domain::{
    Account, AccountChanges, AccountId, AccountRepository, AccountWriteError, ApiToken, LoginAttemptRepository,
    LoginFailures, NewAccount, NewToken, PasswordHash, RepositoryError, SecretDigest, Session, SessionRepository,
    TokenId, TokenRepository,
};

use crate::repository::{Access, DieselRepository, QueryError, Refusal, TicketQueries};

/// What an account update found.
pub enum AccountUpdate {
    Updated(Account),
    Missing,
}

/// The access queries, implemented once per backend connection by [`crate::access_queries!`].
pub trait AccessQueries: R2D2Connection + 'static {
    fn insert_account(&mut self, new: &NewAccount) -> Result<Account, QueryError>;
    /// Inserts `new` only while the table is empty, in one transaction that other account
    /// writers wait for.
    fn insert_first_account(&mut self, new: &NewAccount) -> Result<Option<Account>, QueryError>;
    fn count_accounts(&mut self) -> Result<u64, QueryError>;
    fn find_account(&mut self, id: AccountId) -> Result<Option<Account>, QueryError>;
    fn find_login(&mut self, email_key: &str) -> Result<Option<(Account, PasswordHash)>, QueryError>;
    fn list_accounts(&mut self) -> Result<Vec<Account>, QueryError>;
    /// Applies `changes` in one transaction that other account writers wait for; refuses
    /// ([`Refusal::LastAdmin`]) a result with no enabled admin; ends the account's sessions
    /// when the changes say so.
    fn update_account(&mut self, id: AccountId, changes: &AccountChanges) -> Result<AccountUpdate, QueryError>;
    fn insert_session(
        &mut self,
        digest: &SecretDigest,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<(), QueryError>;
    fn find_session(&mut self, digest: &SecretDigest) -> Result<Option<Session>, QueryError>;
    fn touch_session(&mut self, digest: &SecretDigest, now: DateTime<Utc>) -> Result<(), QueryError>;
    fn delete_session(&mut self, digest: &SecretDigest) -> Result<(), QueryError>;
    fn delete_expired_sessions(
        &mut self,
        idle_since: DateTime<Utc>,
        created_before: DateTime<Utc>,
    ) -> Result<u64, QueryError>;
    fn insert_token(&mut self, new: &NewToken) -> Result<ApiToken, QueryError>;
    fn find_token(&mut self, digest: &SecretDigest) -> Result<Option<ApiToken>, QueryError>;
    fn list_tokens(&mut self) -> Result<Vec<ApiToken>, QueryError>;
    fn revoke_token(&mut self, id: TokenId, now: DateTime<Utc>) -> Result<bool, QueryError>;
    fn touch_token(&mut self, id: TokenId, now: DateTime<Utc>) -> Result<(), QueryError>;
    fn login_failures(&mut self, key: &str) -> Result<Option<LoginFailures>, QueryError>;
    fn record_login_failure(&mut self, key: &str, now: DateTime<Utc>) -> Result<LoginFailures, QueryError>;
    fn forget_login_failures(&mut self, key: &str) -> Result<(), QueryError>;
    fn forget_login_failures_before(&mut self, before: DateTime<Utc>) -> Result<u64, QueryError>;
}

/// An account write's own refusals, told apart from the store's failures.
fn account_write<T>(result: Result<T, QueryError>) -> Result<Result<T, AccountWriteError>, QueryError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(QueryError::Diesel(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _))) => {
            Ok(Err(AccountWriteError::EmailTaken))
        }
        Err(QueryError::Refused(Refusal::LastAdmin)) => Ok(Err(AccountWriteError::LastAdmin)),
        Err(other) => Err(other),
    }
}

#[async_trait]
impl<C: TicketQueries + AccessQueries> AccountRepository for DieselRepository<C> {
    async fn create_account(&self, account: NewAccount) -> Result<Account, AccountWriteError> {
        self.run("create_account", Access::Write, move |conn| account_write(conn.insert_account(&account))).await?
    }

    async fn create_first_account(&self, account: NewAccount) -> Result<Option<Account>, AccountWriteError> {
        self.run("create_first_account", Access::Write, move |conn| account_write(conn.insert_first_account(&account)))
            .await?
    }

    async fn count_accounts(&self) -> Result<u64, RepositoryError> {
        self.run("count_accounts", Access::Read, |conn| conn.count_accounts()).await
    }

    async fn find_account(&self, id: AccountId) -> Result<Option<Account>, RepositoryError> {
        self.run("find_account", Access::Read, move |conn| conn.find_account(id)).await
    }

    async fn find_login(&self, email_key: &str) -> Result<Option<(Account, PasswordHash)>, RepositoryError> {
        let email_key = email_key.to_owned();
        self.run("find_login", Access::Read, move |conn| conn.find_login(&email_key)).await
    }

    async fn list_accounts(&self) -> Result<Vec<Account>, RepositoryError> {
        self.run("list_accounts", Access::Read, |conn| conn.list_accounts()).await
    }

    async fn update_account(
        &self,
        id: AccountId,
        changes: AccountChanges,
    ) -> Result<Option<Account>, AccountWriteError> {
        let update = self
            .run("update_account", Access::Write, move |conn| account_write(conn.update_account(id, &changes)))
            .await??;
        Ok(match update {
            AccountUpdate::Updated(account) => Some(account),
            AccountUpdate::Missing => None,
        })
    }
}

#[async_trait]
impl<C: TicketQueries + AccessQueries> SessionRepository for DieselRepository<C> {
    async fn create_session(
        &self,
        digest: SecretDigest,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<(), RepositoryError> {
        self.run("create_session", Access::Write, move |conn| conn.insert_session(&digest, account, now)).await
    }

    async fn find_session(&self, digest: SecretDigest) -> Result<Option<Session>, RepositoryError> {
        self.run("find_session", Access::Read, move |conn| conn.find_session(&digest)).await
    }

    async fn touch_session(&self, digest: SecretDigest, now: DateTime<Utc>) -> Result<(), RepositoryError> {
        self.run("touch_session", Access::Write, move |conn| conn.touch_session(&digest, now)).await
    }

    async fn delete_session(&self, digest: SecretDigest) -> Result<(), RepositoryError> {
        self.run("delete_session", Access::Write, move |conn| conn.delete_session(&digest)).await
    }

    async fn delete_expired_sessions(
        &self,
        idle_since: DateTime<Utc>,
        created_before: DateTime<Utc>,
    ) -> Result<u64, RepositoryError> {
        self.run("delete_expired_sessions", Access::Write, move |conn| {
            conn.delete_expired_sessions(idle_since, created_before)
        })
        .await
    }
}

#[async_trait]
impl<C: TicketQueries + AccessQueries> TokenRepository for DieselRepository<C> {
    async fn create_token(&self, token: NewToken) -> Result<ApiToken, RepositoryError> {
        self.run("create_token", Access::Write, move |conn| conn.insert_token(&token)).await
    }

    async fn find_token(&self, digest: SecretDigest) -> Result<Option<ApiToken>, RepositoryError> {
        self.run("find_token", Access::Read, move |conn| conn.find_token(&digest)).await
    }

    async fn list_tokens(&self) -> Result<Vec<ApiToken>, RepositoryError> {
        self.run("list_tokens", Access::Read, |conn| conn.list_tokens()).await
    }

    async fn revoke_token(&self, id: TokenId, now: DateTime<Utc>) -> Result<bool, RepositoryError> {
        self.run("revoke_token", Access::Write, move |conn| conn.revoke_token(id, now)).await
    }

    async fn touch_token(&self, id: TokenId, now: DateTime<Utc>) -> Result<(), RepositoryError> {
        self.run("touch_token", Access::Write, move |conn| conn.touch_token(id, now)).await
    }
}

#[async_trait]
impl<C: TicketQueries + AccessQueries> LoginAttemptRepository for DieselRepository<C> {
    async fn login_failures(&self, key: &str) -> Result<Option<LoginFailures>, RepositoryError> {
        let key = key.to_owned();
        self.run("login_failures", Access::Read, move |conn| conn.login_failures(&key)).await
    }

    async fn record_login_failure(&self, key: &str, now: DateTime<Utc>) -> Result<LoginFailures, RepositoryError> {
        let key = key.to_owned();
        self.run("record_login_failure", Access::Write, move |conn| conn.record_login_failure(&key, now)).await
    }

    async fn forget_login_failures(&self, key: &str) -> Result<(), RepositoryError> {
        let key = key.to_owned();
        self.run("forget_login_failures", Access::Write, move |conn| conn.forget_login_failures(&key)).await
    }

    async fn forget_login_failures_before(&self, before: DateTime<Utc>) -> Result<u64, RepositoryError> {
        self.run("forget_login_failures_before", Access::Write, move |conn| conn.forget_login_failures_before(before))
            .await
    }
}
