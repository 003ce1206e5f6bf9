//! 数转 (shuzhuan): the SME digital-transformation pilot platform, as a library so that tests drive the
//! very router the binary serves. The binary (`main.rs`) is only the command line around it.

pub mod accounts;
pub mod assessment;
pub mod audit;
pub mod companies;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod files;
pub mod gate;
pub mod health;
pub mod http;
pub mod notify;
pub mod orgs;
pub mod pdf;
pub mod providers;
pub mod ratelimit;
pub mod reference;
pub mod review;
pub mod seed;
pub mod state;
pub mod storage;
pub mod time;
pub mod web;

use std::sync::Arc;

pub use config::Config;
pub use state::AppState;

/// Connects, migrates, loads reference data, opens storage: everything `serve` needs before listening.
pub async fn prepare(config: Config) -> anyhow::Result<AppState> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    reference::load(&db).await?;
    assessment::ensure_default_edition(&db).await?;
    review::flows::ensure_default_flows(&db).await?;
    // The operator reviews provider certifications (and more): the platform always has one.
    orgs::ensure(&db, orgs::NewOrg { name: orgs::OPERATOR_ORG_NAME, kind: orgs::OrgKind::Operator, uscc: None, region_code: None, parent_id: None }).await?;
    let storage = storage::Storage::from_config(&config)?;
    let crypto = Arc::new(crypto::FieldCrypto::from_secret(&config.secret_key));
    let unified_identity = accounts::unified_identity::from_config(&config.unified_identity)?;
    let passwords = accounts::password::Passwords::new(config.capacity.password_gate());
    let pdf_renders = config.capacity.pdf_gate();
    Ok(AppState { db, storage, config: Arc::new(config), crypto, unified_identity, passwords, pdf_renders })
}

pub fn app(state: AppState) -> axum::Router {
    http::router(state)
}
