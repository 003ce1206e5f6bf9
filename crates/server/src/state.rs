use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::password::Passwords;
use crate::unified_identity::UnifiedIdentity;
use crate::config::Config;
use crate::crypto::FieldCrypto;
use crate::gate::Gate;
use crate::storage::Storage;

/// What every handler may reach. Cheap to clone; holds no per-user state, so any number of app instances
/// can serve the same platform (sessions, locks and jobs live in the database).
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub storage: Storage,
    pub config: Arc<Config>,
    /// Encrypts personal data fields and computes their lookup hashes.
    pub crypto: Arc<FieldCrypto>,
    /// 统一身份认证, when configured (`[unified_identity]`).
    pub unified_identity: Option<Arc<dyn UnifiedIdentity>>,
    /// Password hashing and verification, bounded by the password gate (`[capacity]`).
    pub passwords: Passwords,
    /// Bounds PDF rendering (`[capacity]`); `pdf::response` goes through it.
    pub pdf_renders: Gate,
    /// The time rules are judged by (`time::Clock`): the system's, frozen only by tests.
    pub clock: crate::time::Clock,
}
