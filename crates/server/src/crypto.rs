//! Field-level protection of personal data (phone numbers, ID numbers, bank accounts): AES-256-GCM for
//! the value, and an HMAC-SHA256 keyed hash beside it where a lookup by value is needed (login by phone).
//! Both keys are derived from `secret_key`; changing that secret makes existing ciphertexts unreadable,
//! so rotating it needs a re-encryption job (documented in docs/decisions/0005-personal-data.md).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct FieldCrypto {
    cipher: Aes256Gcm,
    mac_key: [u8; 32],
}

const PREFIX: &str = "v1:";

impl FieldCrypto {
    pub fn from_secret(secret: &str) -> Self {
        let derive = |label: &str| -> [u8; 32] {
            let mut h = Sha256::new();
            h.update(label.as_bytes());
            h.update([0u8]);
            h.update(secret.as_bytes());
            h.finalize().into()
        };
        let enc = derive("shuzhuan/field-encryption/v1");
        Self { cipher: Aes256Gcm::new_from_slice(&enc).expect("32-byte key"), mac_key: derive("shuzhuan/field-lookup-hash/v1") }
    }

    pub fn encrypt(&self, plain: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let ct = self.cipher.encrypt(&Nonce::from(nonce), plain.as_bytes()).expect("AES-GCM encryption cannot fail");
        let mut out = nonce.to_vec();
        out.extend(ct);
        format!("{PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(out))
    }

    /// `None` when the value was not produced with this key (or was tampered with).
    pub fn decrypt(&self, stored: &str) -> Option<String> {
        let raw = base64::engine::general_purpose::STANDARD.decode(stored.strip_prefix(PREFIX)?).ok()?;
        if raw.len() < 12 {
            return None;
        }
        let (nonce, ct) = raw.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().ok()?;
        let plain = self.cipher.decrypt(&Nonce::from(nonce), ct).ok()?;
        String::from_utf8(plain).ok()
    }

    /// Deterministic keyed hash for equality lookups; without the key it reveals nothing useful even for
    /// small spaces like phone numbers.
    pub fn lookup_hash(&self, value: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.mac_key).expect("any key length");
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// "138****1234"; anything else is masked to its first and last character.
pub fn mask_phone(phone: &str) -> String {
    match shuzhuan_core::Phone::parse(phone) {
        Ok(p) => p.masked(),
        Err(_) => mask_middle(phone),
    }
}

/// ID numbers and other long identifiers: first 3 and last 4 kept ("440***********1234").
pub fn mask_middle(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let keep_head = 3;
    let keep_tail = 4;
    chars[..keep_head].iter().collect::<String>() + &"*".repeat(chars.len() - keep_head - keep_tail) + &chars[chars.len() - keep_tail..].iter().collect::<String>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper_detection() {
        let c = FieldCrypto::from_secret("s1");
        let enc = c.encrypt("13800138000");
        assert!(enc.starts_with("v1:") && !enc.contains("13800138000"));
        assert_ne!(enc, c.encrypt("13800138000"), "random nonces");
        assert_eq!(c.decrypt(&enc).as_deref(), Some("13800138000"));
        assert_eq!(FieldCrypto::from_secret("s2").decrypt(&enc), None, "another key cannot read it");
        let mut tampered = enc.clone();
        tampered.replace_range(10..11, if &enc[10..11] == "A" { "B" } else { "A" });
        assert_eq!(c.decrypt(&tampered), None);
    }

    #[test]
    fn lookup_hash_is_keyed_and_stable() {
        let c = FieldCrypto::from_secret("s1");
        assert_eq!(c.lookup_hash("13800138000"), c.lookup_hash("13800138000"));
        assert_ne!(c.lookup_hash("13800138000"), FieldCrypto::from_secret("s2").lookup_hash("13800138000"));
    }

    #[test]
    fn masks() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_middle("440102199001011234"), "440***********1234");
    }
}
