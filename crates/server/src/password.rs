//! Password hashing with argon2id (OWASP's recommended parameters: 19 MiB, 2 iterations, 1 lane).
//!
//! A hash costs 19 MiB and tens of milliseconds of a core, so in a request every hash and verification goes
//! through [`Passwords`]: on a blocking thread, behind the password gate (`gate.rs`, `[capacity]`), never on
//! the async runtime and never more at once than the gate allows. The plain [`hash`] and [`verify`] block
//! the calling thread; they are for the command line, benchmarks and tests.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::ApiError;
use crate::gate::Gate;

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params"))
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    Ok(hasher()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))?
        .to_string())
}

pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Verifying against this when the user does not exist keeps the response time the same, so timing does
/// not reveal which usernames exist. Computed once, on the first blocking thread that needs it.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("dummy-password-for-timing").expect("hashing works"))
}

/// A password hashed with argon2id (PHC string), ready to store. Only hashing makes one, so a plain password
/// cannot reach the `password_hash` column by mistake.
#[derive(Debug, Clone)]
pub struct Hashed(String);

impl Hashed {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Hashing and verification for requests, bounded by the password gate: a request that waits longer than
/// the gate's queue timeout gets [`ApiError::Busy`] (503, `Retry-After`).
#[derive(Clone)]
pub struct Passwords {
    gate: Gate,
}

impl Passwords {
    pub fn new(gate: Gate) -> Self {
        Self { gate }
    }

    pub async fn hash(&self, password: &str) -> Result<Hashed, ApiError> {
        let password = password.to_string();
        Ok(Hashed(self.gate.run(move || hash(&password)).await??))
    }

    /// Whether `password` matches `stored`. Without a stored hash (no such user) it verifies against
    /// [`dummy_hash`] all the same and answers false, so the answer takes as long either way.
    pub async fn verify(&self, password: &str, stored: Option<String>) -> Result<bool, ApiError> {
        let password = password.to_string();
        self.gate
            .run(move || match stored {
                Some(stored) => verify(&password, &stored),
                None => {
                    verify(&password, dummy_hash());
                    false
                }
            })
            .await
    }

    /// Whether `password` matches any of `stored` (the current password and the recent ones), one after
    /// the other in a single slot.
    pub async fn matches_any(&self, password: &str, stored: Vec<String>) -> Result<bool, ApiError> {
        let password = password.to_string();
        self.gate.run(move || stored.iter().any(|h| verify(&password, h))).await
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn hash_then_verify() {
        let h = super::hash("Shuzhuan@2026").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("Shuzhuan@2026", &h));
        assert!(!super::verify("Shuzhuan@2027", &h));
        assert!(!super::verify("x", "not a hash"));
    }

    #[tokio::test]
    async fn through_the_gate() {
        let passwords = Passwords::new(Gate::new("test", 1, Duration::from_secs(30)));
        let h = passwords.hash("Shuzhuan@2026").await.unwrap();
        assert!(h.as_str().starts_with("$argon2id$"));
        assert!(passwords.verify("Shuzhuan@2026", Some(h.as_str().to_string())).await.unwrap());
        assert!(!passwords.verify("Shuzhuan@2026", None).await.unwrap(), "no such user");
        let history = vec![super::hash("Old@2025x").unwrap(), h.as_str().to_string()];
        assert!(passwords.matches_any("Shuzhuan@2026", history.clone()).await.unwrap());
        assert!(!passwords.matches_any("Other@2026", history).await.unwrap());
    }
}
