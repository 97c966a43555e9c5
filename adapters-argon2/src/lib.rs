//! [`domain::PasswordHasher`] with Argon2id. `Argon2::default()` is Argon2id with m = 19 MiB,
//! t = 2, p = 1: OWASP's recommended minimum. Hashes are PHC strings, so a hash made with other
//! parameters (older or stronger) still verifies. Hashing takes tens of milliseconds of CPU on
//! purpose, so it runs on a blocking thread, never on the async executor.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash as Phc, PasswordHasher as _, PasswordVerifier as _, SaltString};
use async_trait::async_trait;
use domain::{Password, PasswordHash, PasswordHasher};

#[derive(Clone, Copy, Debug, Default)]
pub struct Argon2Hasher;

impl Argon2Hasher {
    pub fn new() -> Self {
        Self
    }
}

fn hash(password: &Password) -> PasswordHash {
    let salt = SaltString::generate(&mut OsRng);
    let phc = Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .expect("Argon2 hashes any password up to the domain's length limit");
    PasswordHash::new(phc.to_string())
}

fn verify(password: &Password, hash: &PasswordHash) -> bool {
    Phc::new(hash.as_str())
        .is_ok_and(|phc| Argon2::default().verify_password(password.expose().as_bytes(), &phc).is_ok())
}

#[async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &Password) -> PasswordHash {
        let password = password.clone();
        tokio::task::spawn_blocking(move || hash(&password)).await.expect("the hashing thread does not panic")
    }

    async fn verify(&self, password: &Password, stored: &PasswordHash) -> bool {
        let (password, stored) = (password.clone(), stored.clone());
        tokio::task::spawn_blocking(move || verify(&password, &stored)).await.unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(text: &str) -> Password {
        Password::parse(text.into()).unwrap()
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hasher = Argon2Hasher::new();
        let stored = hasher.hash(&password("correct horse battery")).await;
        assert!(stored.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "OWASP parameters");
        assert!(hasher.verify(&password("correct horse battery"), &stored).await);
        assert!(!hasher.verify(&password("correct horse batterz"), &stored).await);
    }

    #[tokio::test]
    async fn the_same_password_hashes_differently_each_time() {
        let hasher = Argon2Hasher::new();
        let (a, b) =
            (hasher.hash(&password("same password here")).await, hasher.hash(&password("same password here")).await);
        assert_ne!(a, b, "a fresh salt each time");
    }

    #[tokio::test]
    async fn a_malformed_hash_matches_nothing() {
        let hasher = Argon2Hasher::new();
        assert!(!hasher.verify(&password("whatever password"), &PasswordHash::new("not a hash".into())).await);
    }
}
