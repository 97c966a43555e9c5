//! The queries on accounts, sessions, API tokens and failed sign-ins, written once for every SQL
//! backend.

/// Implements [`crate::AccessQueries`] for a backend's connection, in a module of its own named
/// `access_queries`. The invocation names, by absolute path, the connection, the backend, the
/// [`crate::Dialect`] and the backend's module of [`crate::schema`], as for
/// [`ticket_queries!`](crate::ticket_queries).
#[macro_export]
#[doc(hidden)]
macro_rules! access_queries {
    (
        connection: $connection:ty,
        backend: $backend:ty,
        dialect: $dialect:ty,
        schema: $schema:path $(,)?
    ) => {
        mod access_queries {
            use chrono::{DateTime, Utc};
            use diesel::prelude::*;
            use domain::{
                Account, AccountChanges, AccountId, ApiToken, Choice, LoginFailures, NewAccount, NewToken,
                PasswordHash, Role, SecretDigest, Session, TokenId,
            };
            use schema::{accounts, api_tokens, login_failures, sessions};
            use $crate::rows::{account, api_token};
            use $crate::{Dialect, QueryError};
            use $schema as schema;

            type DbTime = <$dialect as Dialect>::Time;

            fn db_time(time: DateTime<Utc>) -> DbTime {
                <$dialect as Dialect>::to_db_time(time)
            }

            fn utc(time: DbTime) -> Option<DateTime<Utc>> {
                <$dialect as Dialect>::from_db_time(time)
            }

            #[derive(Queryable, Selectable)]
            #[diesel(table_name = accounts, check_for_backend($backend))]
            struct AccountRow {
                id: i64,
                email: String,
                name: String,
                role: String,
                disabled: bool,
                created_at: DbTime,
            }

            impl AccountRow {
                fn into_account(self) -> Result<Account, QueryError> {
                    Ok(account(self.id, &self.email, &self.name, &self.role, self.disabled, utc(self.created_at))?)
                }
            }

            #[derive(Insertable)]
            #[diesel(table_name = accounts)]
            struct NewAccountRow<'a> {
                email: &'a str,
                email_key: String,
                name: &'a str,
                role: &'static str,
                password_hash: &'a str,
                created_at: DbTime,
            }

            impl<'a> From<&'a NewAccount> for NewAccountRow<'a> {
                fn from(new: &'a NewAccount) -> Self {
                    Self {
                        email: new.email.as_str(),
                        email_key: new.email.key(),
                        name: new.name.as_str(),
                        role: new.role.as_str(),
                        password_hash: new.password_hash.as_str(),
                        created_at: db_time(new.created_at),
                    }
                }
            }

            #[derive(AsChangeset)]
            #[diesel(table_name = accounts)]
            struct AccountChangesRow<'a> {
                name: Option<&'a str>,
                role: Option<&'static str>,
                disabled: Option<bool>,
                password_hash: Option<&'a str>,
            }

            impl<'a> From<&'a AccountChanges> for AccountChangesRow<'a> {
                fn from(changes: &'a AccountChanges) -> Self {
                    Self {
                        name: changes.name.as_ref().map(|name| name.as_str()),
                        role: changes.role.map(Role::as_str),
                        disabled: changes.disabled,
                        password_hash: changes.password_hash.as_ref().map(PasswordHash::as_str),
                    }
                }
            }

            #[derive(Queryable, Selectable)]
            #[diesel(table_name = sessions, check_for_backend($backend))]
            struct SessionRow {
                created_at: DbTime,
                last_seen_at: DbTime,
            }

            #[derive(Queryable, Selectable)]
            #[diesel(table_name = api_tokens, check_for_backend($backend))]
            struct TokenRow {
                id: i64,
                name: String,
                role: String,
                created_at: DbTime,
                last_used_at: Option<DbTime>,
                expires_at: Option<DbTime>,
            }

            type CreatorRow = Option<(i64, String)>;

            impl TokenRow {
                fn into_token(self, creator: CreatorRow) -> Result<ApiToken, QueryError> {
                    Ok(api_token(
                        self.id,
                        &self.name,
                        &self.role,
                        creator,
                        utc(self.created_at),
                        self.last_used_at.map(utc),
                        self.expires_at.map(utc),
                    )?)
                }
            }

            #[derive(Insertable)]
            #[diesel(table_name = api_tokens)]
            struct NewTokenRow<'a> {
                digest: &'a [u8],
                name: &'a str,
                role: &'static str,
                created_by: Option<i64>,
                created_at: DbTime,
                expires_at: Option<DbTime>,
            }

            #[derive(Queryable, Selectable)]
            #[diesel(table_name = login_failures, check_for_backend($backend))]
            struct FailuresRow {
                failures: i32,
                last_failure_at: DbTime,
            }

            impl FailuresRow {
                fn into_failures(self) -> Result<LoginFailures, QueryError> {
                    let last_at =
                        utc(self.last_failure_at).ok_or($crate::rows::CorruptRow::new(0, "last_failure_at"))?;
                    Ok(LoginFailures { count: u32::try_from(self.failures).unwrap_or(0), last_at })
                }
            }

            fn enabled_admins(conn: &mut $connection) -> QueryResult<i64> {
                accounts::table
                    .filter(accounts::role.eq(Role::Admin.as_str()))
                    .filter(accounts::disabled.eq(false))
                    .count()
                    .get_result(conn)
            }

            fn lock_accounts(conn: &mut $connection) -> QueryResult<()> {
                if let Some(lock) = <$dialect as Dialect>::LOCK_ACCOUNTS {
                    diesel::sql_query(lock).execute(conn)?;
                }
                Ok(())
            }

            /// Tokens not revoked, with their creators, oldest first: all, or the one with `id` or `digest`.
            fn live_tokens(
                conn: &mut $connection,
                id: Option<i64>,
                digest: Option<&SecretDigest>,
            ) -> Result<Vec<ApiToken>, QueryError> {
                let mut query = api_tokens::table
                    .left_join(accounts::table)
                    .filter(api_tokens::revoked_at.is_null())
                    .select((TokenRow::as_select(), (accounts::id, accounts::name).nullable()))
                    .into_boxed();
                if let Some(id) = id {
                    query = query.filter(api_tokens::id.eq(id));
                }
                if let Some(digest) = digest {
                    query = query.filter(api_tokens::digest.eq(digest.0.to_vec()));
                }
                let rows: Vec<(TokenRow, CreatorRow)> = query.order(api_tokens::id.asc()).load(conn)?;
                rows.into_iter().map(|(token, creator)| token.into_token(creator)).collect()
            }

            impl $crate::AccessQueries for $connection {
                fn insert_account(&mut self, new: &NewAccount) -> Result<Account, QueryError> {
                    let row: AccountRow = diesel::insert_into(accounts::table)
                        .values(NewAccountRow::from(new))
                        .returning(AccountRow::as_returning())
                        .get_result(self)?;
                    row.into_account()
                }

                fn insert_first_account(&mut self, new: &NewAccount) -> Result<Option<Account>, QueryError> {
                    self.transaction(|conn| {
                        lock_accounts(conn)?;
                        let existing: i64 = accounts::table.count().get_result(conn)?;
                        if existing > 0 {
                            return Ok(None);
                        }
                        conn.insert_account(new).map(Some)
                    })
                }

                fn count_accounts(&mut self) -> Result<u64, QueryError> {
                    let count: i64 = accounts::table.count().get_result(self)?;
                    Ok(u64::try_from(count).unwrap_or(0))
                }

                fn find_account(&mut self, id: AccountId) -> Result<Option<Account>, QueryError> {
                    let row: Option<AccountRow> =
                        accounts::table.find(id.get()).select(AccountRow::as_select()).first(self).optional()?;
                    row.map(AccountRow::into_account).transpose()
                }

                fn find_login(&mut self, email_key: &str) -> Result<Option<(Account, PasswordHash)>, QueryError> {
                    let row: Option<(AccountRow, String)> = accounts::table
                        .filter(accounts::email_key.eq(email_key))
                        .select((AccountRow::as_select(), accounts::password_hash))
                        .first(self)
                        .optional()?;
                    row.map(|(account, hash)| Ok((account.into_account()?, PasswordHash::new(hash)))).transpose()
                }

                fn list_accounts(&mut self) -> Result<Vec<Account>, QueryError> {
                    let rows: Vec<AccountRow> =
                        accounts::table.order(accounts::id.asc()).select(AccountRow::as_select()).load(self)?;
                    rows.into_iter().map(AccountRow::into_account).collect()
                }

                fn update_account(
                    &mut self,
                    id: AccountId,
                    changes: &AccountChanges,
                ) -> Result<$crate::AccountUpdate, QueryError> {
                    self.transaction(|conn| {
                        lock_accounts(conn)?;
                        let changed = AccountChangesRow::from(changes);
                        let nothing_to_change = changes.name.is_none()
                            && changes.role.is_none()
                            && changes.disabled.is_none()
                            && changes.password_hash.is_none();
                        let row: Option<AccountRow> = if nothing_to_change {
                            accounts::table.find(id.get()).select(AccountRow::as_select()).first(conn).optional()?
                        } else {
                            diesel::update(accounts::table.find(id.get()))
                                .set(changed)
                                .returning(AccountRow::as_returning())
                                .get_result(conn)
                                .optional()?
                        };
                        let Some(row) = row else { return Ok($crate::AccountUpdate::Missing) };
                        if enabled_admins(conn)? == 0 {
                            return Err(QueryError::Refused($crate::Refusal::LastAdmin));
                        }
                        if changes.ends_sessions() {
                            diesel::delete(sessions::table.filter(sessions::account_id.eq(id.get()))).execute(conn)?;
                        }
                        Ok($crate::AccountUpdate::Updated(row.into_account()?))
                    })
                }

                fn insert_session(
                    &mut self,
                    digest: &SecretDigest,
                    account: AccountId,
                    now: DateTime<Utc>,
                ) -> Result<(), QueryError> {
                    diesel::insert_into(sessions::table)
                        .values((
                            sessions::digest.eq(&digest.0[..]),
                            sessions::account_id.eq(account.get()),
                            sessions::created_at.eq(db_time(now)),
                            sessions::last_seen_at.eq(db_time(now)),
                        ))
                        .execute(self)?;
                    Ok(())
                }

                fn find_session(&mut self, digest: &SecretDigest) -> Result<Option<Session>, QueryError> {
                    let row: Option<(SessionRow, AccountRow)> = sessions::table
                        .inner_join(accounts::table)
                        .filter(sessions::digest.eq(&digest.0[..]))
                        .select((SessionRow::as_select(), AccountRow::as_select()))
                        .first(self)
                        .optional()?;
                    row.map(|(session, account)| {
                        let corrupt = |field| $crate::rows::CorruptRow::new(account.id, field);
                        let created_at = utc(session.created_at).ok_or(corrupt("session created_at"))?;
                        let last_seen_at = utc(session.last_seen_at).ok_or(corrupt("session last_seen_at"))?;
                        Ok(Session { account: account.into_account()?, created_at, last_seen_at })
                    })
                    .transpose()
                }

                fn touch_session(&mut self, digest: &SecretDigest, now: DateTime<Utc>) -> Result<(), QueryError> {
                    diesel::update(sessions::table.find(&digest.0[..]))
                        .set(sessions::last_seen_at.eq(db_time(now)))
                        .execute(self)?;
                    Ok(())
                }

                fn delete_session(&mut self, digest: &SecretDigest) -> Result<(), QueryError> {
                    diesel::delete(sessions::table.find(&digest.0[..])).execute(self)?;
                    Ok(())
                }

                fn delete_expired_sessions(
                    &mut self,
                    idle_since: DateTime<Utc>,
                    created_before: DateTime<Utc>,
                ) -> Result<u64, QueryError> {
                    let deleted = diesel::delete(
                        sessions::table.filter(
                            sessions::last_seen_at
                                .lt(db_time(idle_since))
                                .or(sessions::created_at.lt(db_time(created_before))),
                        ),
                    )
                    .execute(self)?;
                    Ok(deleted as u64)
                }

                fn insert_token(&mut self, new: &NewToken) -> Result<ApiToken, QueryError> {
                    let id: i64 = diesel::insert_into(api_tokens::table)
                        .values(NewTokenRow {
                            digest: &new.digest.0[..],
                            name: new.name.as_str(),
                            role: new.role.as_str(),
                            created_by: new.created_by.map(AccountId::get),
                            created_at: db_time(new.created_at),
                            expires_at: new.expires_at.map(db_time),
                        })
                        .returning(api_tokens::id)
                        .get_result(self)?;
                    live_tokens(self, Some(id), None)?.pop().ok_or(QueryError::Diesel(diesel::result::Error::NotFound))
                }

                fn find_token(&mut self, digest: &SecretDigest) -> Result<Option<ApiToken>, QueryError> {
                    Ok(live_tokens(self, None, Some(digest))?.pop())
                }

                fn list_tokens(&mut self) -> Result<Vec<ApiToken>, QueryError> {
                    live_tokens(self, None, None)
                }

                fn revoke_token(&mut self, id: TokenId, now: DateTime<Utc>) -> Result<bool, QueryError> {
                    let revoked = diesel::update(
                        api_tokens::table.filter(api_tokens::id.eq(id.get())).filter(api_tokens::revoked_at.is_null()),
                    )
                    .set(api_tokens::revoked_at.eq(Some(db_time(now))))
                    .execute(self)?;
                    Ok(revoked == 1)
                }

                fn touch_token(&mut self, id: TokenId, now: DateTime<Utc>) -> Result<(), QueryError> {
                    diesel::update(api_tokens::table.find(id.get()))
                        .set(api_tokens::last_used_at.eq(Some(db_time(now))))
                        .execute(self)?;
                    Ok(())
                }

                fn login_failures(&mut self, key: &str) -> Result<Option<LoginFailures>, QueryError> {
                    let row: Option<FailuresRow> =
                        login_failures::table.find(key).select(FailuresRow::as_select()).first(self).optional()?;
                    row.map(FailuresRow::into_failures).transpose()
                }

                fn record_login_failure(&mut self, key: &str, now: DateTime<Utc>) -> Result<LoginFailures, QueryError> {
                    let row: FailuresRow = diesel::insert_into(login_failures::table)
                        .values((
                            login_failures::key.eq(key),
                            login_failures::failures.eq(1),
                            login_failures::last_failure_at.eq(db_time(now)),
                        ))
                        .on_conflict(login_failures::key)
                        .do_update()
                        .set((
                            login_failures::failures.eq(login_failures::failures + 1),
                            login_failures::last_failure_at.eq(db_time(now)),
                        ))
                        .returning(FailuresRow::as_returning())
                        .get_result(self)?;
                    row.into_failures()
                }

                fn forget_login_failures(&mut self, key: &str) -> Result<(), QueryError> {
                    diesel::delete(login_failures::table.find(key)).execute(self)?;
                    Ok(())
                }

                fn forget_login_failures_before(&mut self, before: DateTime<Utc>) -> Result<u64, QueryError> {
                    let deleted = diesel::delete(
                        login_failures::table.filter(login_failures::last_failure_at.lt(db_time(before))),
                    )
                    .execute(self)?;
                    Ok(deleted as u64)
                }
            }
        }
    };
}
