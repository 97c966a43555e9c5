diesel::table! {
    tickets (id) {
        id -> BigInt,
        title -> Text,
        description -> Text,
        category -> Text,
        priority -> Text,
        status -> Text,
        created_at -> Timestamptz,
        search_title -> Text,
        search_description -> Text,
    }
}
