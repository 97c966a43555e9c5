//! The tables, declared once and instantiated for each backend with the SQL type that backend
//! stores points in time as.

macro_rules! tables {
    (time: $time:ident) => {
        diesel::table! {
            use diesel::sql_types::*;

            tickets (id) {
                id -> BigInt,
                title -> Text,
                description -> Text,
                category -> Text,
                priority -> Text,
                status -> Text,
                created_at -> $time,
                search_title -> Text,
                search_description -> Text,
                version -> BigInt,
                created_by_kind -> Nullable<Text>,
                created_by_id -> Nullable<BigInt>,
                created_by_name -> Nullable<Text>,
            }
        }

        diesel::table! {
            use diesel::sql_types::*;

            ticket_events (id) {
                id -> BigInt,
                ticket_id -> BigInt,
                version -> BigInt,
                at -> $time,
                actor_kind -> Text,
                actor_id -> Nullable<BigInt>,
                actor_name -> Text,
                field -> Text,
                old_value -> Text,
                new_value -> Text,
            }
        }

        diesel::table! {
            use diesel::sql_types::*;

            idempotency_keys (scope, key) {
                scope -> Text,
                key -> Text,
                fingerprint -> Binary,
                ticket_id -> BigInt,
                created_at -> $time,
            }
        }

        diesel::table! {
            use diesel::sql_types::*;

            accounts (id) {
                id -> BigInt,
                email -> Text,
                email_key -> Text,
                name -> Text,
                role -> Text,
                disabled -> Bool,
                password_hash -> Text,
                created_at -> $time,
            }
        }

        diesel::table! {
            use diesel::sql_types::*;

            sessions (digest) {
                digest -> Binary,
                account_id -> BigInt,
                created_at -> $time,
                last_seen_at -> $time,
            }
        }

        diesel::table! {
            use diesel::sql_types::*;

            /// The word index: each ticket's words, by word and category in list order.
            ticket_words (word, category, created_at, ticket_id) {
                word -> Text,
                category -> Text,
                created_at -> $time,
                ticket_id -> BigInt,
            }
        }

        diesel::table! {
            use diesel::sql_types::*;

            api_tokens (id) {
                id -> BigInt,
                digest -> Binary,
                name -> Text,
                role -> Text,
                created_by -> Nullable<BigInt>,
                created_at -> $time,
                last_used_at -> Nullable<$time>,
                expires_at -> Nullable<$time>,
                revoked_at -> Nullable<$time>,
            }
        }

        diesel::table! {
            use diesel::sql_types::*;

            login_failures (key) {
                key -> Text,
                failures -> Integer,
                last_failure_at -> $time,
            }
        }

        diesel::joinable!(sessions -> accounts (account_id));
        diesel::joinable!(api_tokens -> accounts (created_by));
        diesel::joinable!(ticket_events -> tickets (ticket_id));
        diesel::joinable!(idempotency_keys -> tickets (ticket_id));
        diesel::allow_tables_to_appear_in_same_query!(
            tickets,
            ticket_events,
            idempotency_keys,
            accounts,
            sessions,
            api_tokens,
            login_failures
        );
    };
}

/// PostgreSQL: times are `timestamptz`.
#[cfg(feature = "postgres")]
pub mod postgres {
    tables!(time: Timestamptz);
}

/// SQLite: times are integer microseconds since the Unix epoch.
#[cfg(feature = "sqlite")]
pub mod sqlite {
    tables!(time: BigInt);
}
