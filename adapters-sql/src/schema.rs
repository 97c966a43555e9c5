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
            }
        }
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
