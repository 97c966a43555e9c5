//! The contract every store of accounts, sessions, tokens and failed sign-ins keeps, written once
//! and run against each adapter with [`access_contract_tests!`](crate::access_contract_tests).

use chrono::{DateTime, Duration, DurationRound, TimeDelta, Utc};
use domain::{
    AccountChanges, AccountId, AccountRepository, AccountWriteError, DisplayName, Email, LoginAttemptRepository,
    NewAccount, NewToken, PasswordHash, Role, SecretDigest, SessionRepository, TokenName, TokenRepository,
};

/// Every port of access, as one store implements them.
pub trait AccessStore: AccountRepository + SessionRepository + TokenRepository + LoginAttemptRepository {}

impl<T: AccountRepository + SessionRepository + TokenRepository + LoginAttemptRepository> AccessStore for T {}

/// Runs the whole access contract against one adapter, one test per check, in a module named
/// `access_contract`. The argument is called once per test and returns a future of
/// `(guard, store)`, where `&*store` is an [`AccessStore`] (an `Arc<YourRepository>`).
#[macro_export]
macro_rules! access_contract_tests {
    (@tests $make:expr; $($check:ident),+ $(,)?) => {
        mod access_contract {
            #[allow(unused_imports)]
            use super::*;

            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $check() {
                    let (_guard, store) = ($make)().await;
                    $crate::access_contract::$check(&*store).await;
                }
            )+
        }
    };
    ($make:expr $(,)?) => {
        $crate::access_contract_tests!(@tests $make;
            accounts_read_back_as_created_oldest_first,
            email_addresses_are_unique_ignoring_case,
            only_one_first_account_is_made_however_many_ask_at_once,
            changes_apply_and_never_leave_no_enabled_admin,
            two_admins_demoting_each_other_at_once_leave_one,
            disabling_or_a_new_password_ends_the_sessions,
            sessions_are_found_touched_deleted_and_purged,
            tokens_are_found_by_digest_until_revoked,
            failed_sign_ins_are_counted_per_key_and_forgotten,
        );
    };
}

fn now() -> DateTime<Utc> {
    // Stores keep microseconds.
    Utc::now().duration_trunc(TimeDelta::microseconds(1)).expect("a truncatable time")
}

fn new_account(email: &str, role: Role) -> NewAccount {
    NewAccount {
        email: Email::parse(email).expect("a valid address"),
        name: DisplayName::parse("Ann Agent").expect("a valid name"),
        role,
        password_hash: PasswordHash::new("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        created_at: now(),
    }
}

fn digest(byte: u8) -> SecretDigest {
    SecretDigest([byte; 32])
}

pub async fn accounts_read_back_as_created_oldest_first(store: &dyn AccessStore) {
    let first = store.create_account(new_account("ann@example.com", Role::Agent)).await.expect("create");
    let second = store.create_account(new_account("bob@example.com", Role::Admin)).await.expect("create");
    assert!(second.id > first.id);
    assert_eq!((first.email.as_str(), first.role, first.disabled), ("ann@example.com", Role::Agent, false));
    assert_eq!(store.find_account(first.id).await.expect("find"), Some(first.clone()));
    assert_eq!(store.find_account(AccountId::new(999_999).unwrap()).await.expect("find"), None);
    assert_eq!(store.list_accounts().await.expect("list"), vec![first, second]);
    assert_eq!(store.count_accounts().await.expect("count"), 2);
}

pub async fn email_addresses_are_unique_ignoring_case(store: &dyn AccessStore) {
    let ann = store.create_account(new_account("Ann@Example.com", Role::Agent)).await.expect("create");
    let again = store.create_account(new_account("ann@EXAMPLE.com", Role::Agent)).await;
    assert!(matches!(again, Err(AccountWriteError::EmailTaken)), "{again:?}");
    let (found, hash) = store.find_login("ann@example.com").await.expect("find").expect("the account");
    assert_eq!(found, ann);
    assert_eq!(found.email.as_str(), "Ann@Example.com", "kept as typed");
    assert!(hash.as_str().starts_with("$argon2id$"));
    assert_eq!(store.find_login("nobody@example.com").await.expect("find"), None);
}

pub async fn only_one_first_account_is_made_however_many_ask_at_once(store: &dyn AccessStore) {
    let attempts =
        (0..6).map(|n| store.create_first_account(new_account(&format!("admin{n}@example.com"), Role::Admin)));
    let made: Vec<_> = futures_util::future::join_all(attempts).await;
    let created = made.into_iter().filter_map(|result| result.expect("no failure")).count();
    assert_eq!(created, 1);
    assert_eq!(store.count_accounts().await.expect("count"), 1);
    let later = store.create_first_account(new_account("late@example.com", Role::Admin)).await.expect("no failure");
    assert_eq!(later, None);
}

pub async fn changes_apply_and_never_leave_no_enabled_admin(store: &dyn AccessStore) {
    let admin = store.create_account(new_account("admin@example.com", Role::Admin)).await.expect("create");
    let agent = store.create_account(new_account("agent@example.com", Role::Agent)).await.expect("create");
    let renamed = store
        .update_account(
            agent.id,
            AccountChanges { name: Some(DisplayName::parse("Agent B").unwrap()), ..AccountChanges::default() },
        )
        .await
        .expect("update")
        .expect("the account");
    assert_eq!((renamed.name.as_str(), renamed.role), ("Agent B", Role::Agent));
    for change in [
        AccountChanges { disabled: Some(true), ..AccountChanges::default() },
        AccountChanges { role: Some(Role::Agent), ..AccountChanges::default() },
    ] {
        let refused = store.update_account(admin.id, change).await;
        assert!(matches!(refused, Err(AccountWriteError::LastAdmin)), "{refused:?}");
    }
    assert_eq!(store.find_account(admin.id).await.unwrap(), Some(admin.clone()), "a refused change changed nothing");
    let promoted = store.update_account(agent.id, AccountChanges { role: Some(Role::Admin), ..Default::default() });
    assert_eq!(promoted.await.expect("update").expect("the account").role, Role::Admin);
    let demoted = store.update_account(admin.id, AccountChanges { role: Some(Role::Agent), ..Default::default() });
    assert_eq!(demoted.await.expect("update: another admin remains").expect("the account").role, Role::Agent);
    let missing = store.update_account(AccountId::new(999_999).unwrap(), AccountChanges::default()).await;
    assert_eq!(missing.expect("no failure"), None);
}

pub async fn two_admins_demoting_each_other_at_once_leave_one(store: &dyn AccessStore) {
    let a = store.create_account(new_account("a@example.com", Role::Admin)).await.expect("create");
    let b = store.create_account(new_account("b@example.com", Role::Admin)).await.expect("create");
    let demote = |id| store.update_account(id, AccountChanges { disabled: Some(true), ..AccountChanges::default() });
    let (first, second) = tokio::join!(demote(a.id), demote(b.id));
    let refused = [&first, &second].iter().filter(|r| matches!(r, Err(AccountWriteError::LastAdmin))).count();
    assert_eq!(refused, 1, "{first:?} {second:?}");
    let enabled_admins =
        store.list_accounts().await.unwrap().iter().filter(|a| a.role == Role::Admin && !a.disabled).count();
    assert_eq!(enabled_admins, 1);
}

pub async fn disabling_or_a_new_password_ends_the_sessions(store: &dyn AccessStore) {
    store.create_account(new_account("admin@example.com", Role::Admin)).await.expect("create");
    let agent = store.create_account(new_account("agent@example.com", Role::Agent)).await.expect("create");
    store.create_session(digest(1), agent.id, now()).await.expect("a session");
    store.create_session(digest(2), agent.id, now()).await.expect("a session");
    let renamed = AccountChanges { name: Some(DisplayName::parse("Still here").unwrap()), ..AccountChanges::default() };
    store.update_account(agent.id, renamed).await.expect("update");
    assert!(store.find_session(digest(1)).await.unwrap().is_some(), "a new name ends nothing");
    let new_password =
        AccountChanges { password_hash: Some(PasswordHash::new("$argon2id$new".into())), ..AccountChanges::default() };
    store.update_account(agent.id, new_password).await.expect("update");
    assert_eq!(store.find_session(digest(1)).await.unwrap(), None);
    assert_eq!(store.find_session(digest(2)).await.unwrap(), None);
    store.create_session(digest(3), agent.id, now()).await.expect("a session");
    store
        .update_account(agent.id, AccountChanges { disabled: Some(true), ..Default::default() })
        .await
        .expect("update");
    assert_eq!(store.find_session(digest(3)).await.unwrap(), None);
}

pub async fn sessions_are_found_touched_deleted_and_purged(store: &dyn AccessStore) {
    let agent = store.create_account(new_account("agent@example.com", Role::Agent)).await.expect("create");
    let start = now() - Duration::hours(10);
    store.create_session(digest(1), agent.id, start).await.expect("a session");
    store.create_session(digest(2), agent.id, start).await.expect("a session");
    let found = store.find_session(digest(1)).await.unwrap().expect("the session");
    assert_eq!((found.account.id, found.created_at, found.last_seen_at), (agent.id, start, start));
    let later = start + Duration::hours(9);
    store.touch_session(digest(1), later).await.expect("touch");
    assert_eq!(store.find_session(digest(1)).await.unwrap().unwrap().last_seen_at, later);
    let purged = store.delete_expired_sessions(now() - Duration::hours(8), now() - Duration::days(30)).await.unwrap();
    assert_eq!(purged, 1, "the idle one");
    assert!(store.find_session(digest(1)).await.unwrap().is_some());
    assert_eq!(store.find_session(digest(2)).await.unwrap(), None);
    store.delete_session(digest(1)).await.expect("delete");
    assert_eq!(store.find_session(digest(1)).await.unwrap(), None);
    assert_eq!(store.find_session(digest(9)).await.unwrap(), None);
}

pub async fn tokens_are_found_by_digest_until_revoked(store: &dyn AccessStore) {
    let admin = store.create_account(new_account("admin@example.com", Role::Admin)).await.expect("create");
    let at = now();
    let new = |byte, name: &str, created_by| NewToken {
        digest: digest(byte),
        name: TokenName::parse(name).unwrap(),
        role: Role::Agent,
        created_by,
        created_at: at,
        expires_at: Some(at + Duration::days(7)),
    };
    let made = store.create_token(new(1, "zapier", Some(admin.id))).await.expect("create");
    let other = store.create_token(new(2, "cli", None)).await.expect("create");
    assert_eq!(made.created_by.as_ref().map(|c| (c.id, c.name.as_str())), Some((admin.id, "Ann Agent")));
    assert_eq!((made.created_at, made.expires_at, made.last_used_at), (at, Some(at + Duration::days(7)), None));
    assert_eq!(store.find_token(digest(1)).await.unwrap(), Some(made.clone()));
    assert_eq!(store.find_token(digest(3)).await.unwrap(), None);
    store.touch_token(made.id, at + Duration::minutes(5)).await.expect("touch");
    assert_eq!(store.find_token(digest(1)).await.unwrap().unwrap().last_used_at, Some(at + Duration::minutes(5)));
    assert_eq!(store.list_tokens().await.unwrap().iter().map(|t| t.id).collect::<Vec<_>>(), [made.id, other.id]);
    assert!(store.revoke_token(made.id, now()).await.unwrap());
    assert!(!store.revoke_token(made.id, now()).await.unwrap(), "revoked already");
    assert_eq!(store.find_token(digest(1)).await.unwrap(), None);
    assert_eq!(store.list_tokens().await.unwrap().iter().map(|t| t.id).collect::<Vec<_>>(), [other.id]);
}

pub async fn failed_sign_ins_are_counted_per_key_and_forgotten(store: &dyn AccessStore) {
    let start = now() - Duration::hours(3);
    assert_eq!(store.login_failures("account:ann").await.unwrap(), None);
    for n in 1..=3 {
        let failures = store.record_login_failure("account:ann", start + Duration::seconds(n)).await.unwrap();
        assert_eq!((failures.count, failures.last_at), (n as u32, start + Duration::seconds(n)));
    }
    store.record_login_failure("client:10.0.0.1", now()).await.unwrap();
    assert_eq!(store.login_failures("account:ann").await.unwrap().unwrap().count, 3);
    assert_eq!(store.forget_login_failures_before(now() - Duration::hours(1)).await.unwrap(), 1);
    assert_eq!(store.login_failures("account:ann").await.unwrap(), None);
    store.forget_login_failures("client:10.0.0.1").await.unwrap();
    assert_eq!(store.login_failures("client:10.0.0.1").await.unwrap(), None);
}
