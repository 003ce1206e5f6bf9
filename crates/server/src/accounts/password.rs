//! Password hashing with argon2id (OWASP's recommended parameters: 19 MiB, 2 iterations, 1 lane).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

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
/// not reveal which usernames exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("dummy-password-for-timing").expect("hashing works"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn hash_then_verify() {
        let h = super::hash("Shuzhuan@2026").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("Shuzhuan@2026", &h));
        assert!(!super::verify("Shuzhuan@2027", &h));
        assert!(!super::verify("x", "not a hash"));
    }
}
