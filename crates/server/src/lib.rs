//! 数转 (shuzhuan): the SME digital-transformation pilot platform, as a library so that tests drive the
//! very router the binary serves. The binary (`main.rs`) is only the command line around it.
//!
//! This file is the composition root: the only place that names every capability. Modules form layers and
//! import only downwards (decision 0012; the test `layout::modules_import_downwards_only` checks it):
//! infrastructure (`config`, `db`, `error`, `http`, `state`, `storage`, …) → `directory` (who is who) →
//! `auth` (who is asking) → `audit`, `files` → `review` (the engine) → the capabilities built on it
//! (`orgs`, `accounts`, `products`, `providers`, `assessment`, …). Case kinds and file-sharing rules register
//! themselves with the engine and with `files` (`inventory`), so neither lists what is built on it.

pub mod accounts;
pub mod announcements;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod calls;
pub mod companies;
pub mod config;
pub mod crypto;
pub mod dashboard;
pub mod db;
pub mod directory;
pub mod enterprises;
pub mod error;
pub mod files;
pub mod form;
pub mod gate;
pub mod health;
pub mod http;
pub mod lifecycle;
pub mod orgs;
pub mod password;
pub mod pdf;
pub mod portal;
pub mod products;
pub mod providers;
pub mod ratelimit;
pub mod reference;
pub mod review;
pub mod search;
pub mod seed;
pub mod sms;
pub mod state;
pub mod storage;
pub mod time;
pub mod unified_identity;
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
    search::ensure(&db).await.map_err(|e| anyhow::anyhow!("building the search index: {e:?}"))?;
    // The operator reviews provider certifications (and more): the platform always has one.
    directory::ensure(&db, directory::NewOrg { name: directory::OPERATOR_ORG_NAME, kind: directory::OrgKind::Operator, uscc: None, region_code: None, parent_id: None }).await?;
    let storage = storage::Storage::from_config(&config)?;
    let crypto = Arc::new(crypto::FieldCrypto::from_secret(&config.secret_key));
    let unified_identity = unified_identity::from_config(&config.unified_identity)?;
    let passwords = password::Passwords::new(config.capacity.password_gate());
    let pdf_renders = config.capacity.pdf_gate();
    Ok(AppState { db, storage, config: Arc::new(config), crypto, unified_identity, passwords, pdf_renders, clock: Default::default() })
}

/// Every capability's routes, with their OpenAPI descriptions.
fn api() -> utoipa_axum::router::OpenApiRouter<AppState> {
    http::api_root()
        .merge(health::router())
        .merge(reference::router())
        .merge(accounts::router())
        .merge(files::router())
        .merge(orgs::router())
        .merge(companies::router())
        .merge(audit::router())
        .merge(assessment::router())
        .merge(review::router())
        .merge(providers::router())
        .merge(products::router())
        .merge(calls::router())
        .merge(lifecycle::router())
        .merge(announcements::router())
        .merge(dashboard::router())
        .merge(enterprises::router())
        .merge(portal::router())
        .merge(search::router())
}

/// The OpenAPI document, generated from the code (snapshot-tested against `docs/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().split_for_parts().1
}

pub fn app(state: AppState) -> axum::Router {
    // Permission denials of signed-in users are audited once, here, instead of in each handler.
    let api = api().layer(axum::middleware::from_fn_with_state(state.clone(), audit::denials));
    http::router(state, api)
}
