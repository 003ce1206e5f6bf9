//! The company registry behind registration's fuzzy search (000: typing a name offers registered
//! companies; choosing one fills credit code, region, address and industry, still editable).
//! A local table, importable from CSV or Excel with `shuzhuan import companies FILE`, behind
//! [`CompanySource`] so an external business-registry API can be plugged in later.

mod import;

use axum::extract::{Query, State};
use axum::Json;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use import::{import_file, named_uscc, parse_date, parse_rows, read_table, ImportError};

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::state::AppState;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "companies")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub uscc: String,
        pub name: String,
        pub region_code: Option<String>,
        pub address: Option<String>,
        pub industry_code: Option<String>,
        pub source: Option<String>,
        pub updated_at: ChronoDateTimeUtc,
        /// 成立日期 (YYYY-MM-DD), when the registry gives it.
        pub established_on: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search_companies))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompanyHit {
    pub name: String,
    pub uscc: String,
    pub region_code: Option<String>,
    pub address: Option<String>,
    pub industry_code: Option<String>,
}

/// Where company look-ups come from. The local table implements it; a registry API would too.
pub trait CompanySource {
    fn search(&self, q: &str, limit: u64) -> impl std::future::Future<Output = Result<Vec<CompanyHit>, DbErr>> + Send;
}

pub struct LocalRegistry<'a, C: ConnectionTrait>(pub &'a C);

impl<C: ConnectionTrait + Sync> CompanySource for LocalRegistry<'_, C> {
    async fn search(&self, q: &str, limit: u64) -> Result<Vec<CompanyHit>, DbErr> {
        use sea_orm::sea_query::{Expr, ExprTrait};
        let rows = entity::Entity::find()
            .filter(Expr::col(entity::Column::Name).like(crate::http::listing::contains(q)))
            .order_by_asc(entity::Column::Name)
            .limit(limit)
            .all(self.0)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| CompanyHit { name: r.name, uscc: r.uscc, region_code: r.region_code, address: r.address, industry_code: r.industry_code })
            .collect())
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// At least 2 characters of the company name.
    pub q: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyHits {
    pub items: Vec<CompanyHit>,
}

/// Fuzzy search by company name (public: used on the registration page), at most 10 hits.
#[utoipa::path(get, path = "/api/companies/search", tag = "accounts", params(SearchQuery),
    responses((status = 200, body = CompanyHits), (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn search_companies(State(state): State<AppState>, crate::http::ClientIp(ip): crate::http::ClientIp, Query(q): Query<SearchQuery>) -> ApiResult<Json<CompanyHits>> {
    let text = q.q.trim();
    if text.chars().count() < 2 {
        return Err(ApiError::validation("q", "请至少输入2个字"));
    }
    if text.chars().count() > 100 {
        return Err(ApiError::validation("q", "输入过长"));
    }
    // Public and enumerable: limited per address so the registry cannot be scraped wholesale.
    let key = format!("company_search:{}", ip.as_deref().unwrap_or("unknown"));
    if !crate::ratelimit::hit(&state.db, &key, chrono::Duration::minutes(1), 120).await? {
        return Err(ApiError::TooManyRequests("查询过于频繁，请稍后再试".into()));
    }
    Ok(Json(CompanyHits { items: LocalRegistry(&state.db).search(text, 10).await? }))
}

pub struct CompanyRow {
    pub name: String,
    pub uscc: String,
    pub region_code: Option<String>,
    pub address: Option<String>,
    pub industry_code: Option<String>,
    /// 成立日期, YYYY-MM-DD.
    pub established_on: Option<String>,
}

/// Inserts or updates rows by credit code.
pub async fn upsert(db: &impl ConnectionTrait, rows: &[CompanyRow], source: &str) -> Result<usize, DbErr> {
    let now = Utc::now();
    for r in rows {
        let model = entity::ActiveModel {
            uscc: Set(r.uscc.clone()),
            name: Set(r.name.clone()),
            region_code: Set(r.region_code.clone()),
            address: Set(r.address.clone()),
            industry_code: Set(r.industry_code.clone()),
            source: Set(Some(source.to_string())),
            updated_at: Set(now),
            established_on: Set(r.established_on.clone()),
        };
        if entity::Entity::find_by_id(r.uscc.clone()).one(db).await?.is_some() {
            entity::Entity::update(model).exec(db).await?;
        } else {
            entity::Entity::insert(model).exec(db).await?;
        }
    }
    Ok(rows.len())
}
