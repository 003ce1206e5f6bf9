//! A city's own lifecycle settings (spec 40: 是否逾期 "against a deadline set by the city"): 事前诊断期限, the
//! days after 备案完成 by which a project of the city's towns must have its pre-diagnosis result. Set by the
//! city bureau on 事前诊断分配; a city that has not set it uses `[lifecycle] diagnosis_days`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::Json;
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde::{Deserialize, Serialize};
use shuzhuan_core::{RegionCode, RegionLevel};
use utoipa::ToSchema;

use super::entity::city_setting;
use crate::audit::{self, Entry, Outcome};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ApiJson;
use crate::state::AppState;

/// The longest deadline a city may set (a year).
const MAX_DAYS: i64 = 365;

/// 事前诊断期限 by city, read once per request (a row per city that set one).
pub struct Deadlines {
    default_days: u32,
    by_city: BTreeMap<String, u32>,
}

impl Deadlines {
    pub async fn load(state: &AppState) -> ApiResult<Self> {
        let by_city = city_setting::Entity::find()
            .all(&state.db)
            .await?
            .into_iter()
            .map(|s| (s.city_code, u32::try_from(s.diagnosis_days).unwrap_or(0)))
            .collect();
        Ok(Deadlines { default_days: state.config.lifecycle.diagnosis_days, by_city })
    }

    /// The days for a project of `town` (its 9-digit code): its city's setting, else the platform's.
    pub fn days_for(&self, town: Option<&str>) -> u32 {
        town.and_then(|t| RegionCode::parse(t).ok())
            .and_then(|t| city_of(&t))
            .and_then(|c| self.by_city.get(c.as_str()).copied())
            .unwrap_or(self.default_days)
    }
}

fn city_of(code: &RegionCode) -> Option<RegionCode> {
    std::iter::once(code.clone()).chain(code.ancestors()).find(|a| a.level() == RegionLevel::City)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LifecycleSettings {
    /// The city (6-digit code) the bureau governs.
    pub city_code: String,
    /// 事前诊断期限 in days after 备案完成 (0 = no deadline), as in effect for the city.
    pub diagnosis_days: u32,
    /// The platform's default (`[lifecycle] diagnosis_days`).
    pub default_diagnosis_days: u32,
    /// Whether the city set its own.
    pub customized: bool,
}

async fn view(state: &AppState, city: &RegionCode) -> ApiResult<LifecycleSettings> {
    let own = city_setting::Entity::find_by_id(city.as_str().to_owned()).one(&state.db).await?;
    let default = state.config.lifecycle.diagnosis_days;
    Ok(LifecycleSettings {
        city_code: city.as_str().to_owned(),
        diagnosis_days: own.as_ref().map(|s| u32::try_from(s.diagnosis_days).unwrap_or(0)).unwrap_or(default),
        default_diagnosis_days: default,
        customized: own.is_some(),
    })
}

#[utoipa::path(get, path = "/api/lifecycle/settings", tag = "lifecycle",
    responses((status = 200, body = LifecycleSettings), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_settings(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<LifecycleSettings>> {
    let city = super::handlers::require_city_bureau(&user)?;
    Ok(Json(view(&state, &city).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LifecycleSettingsInput {
    /// Days after 备案完成, 0–365 (0 = no deadline).
    pub diagnosis_days: i64,
}

/// 保存 the city's 事前诊断期限; it applies at once to every project of the city's towns (是否逾期 is computed
/// when read).
#[utoipa::path(put, path = "/api/lifecycle/settings", tag = "lifecycle", request_body = LifecycleSettingsInput,
    responses((status = 200, body = LifecycleSettings), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_settings(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<LifecycleSettingsInput>) -> ApiResult<Json<LifecycleSettings>> {
    let city = super::handlers::require_city_bureau(&user)?;
    if !(0..=MAX_DAYS).contains(&input.diagnosis_days) {
        return Err(ApiError::validation("diagnosis_days", &format!("事前诊断期限应为 0 至 {MAX_DAYS} 天（0 为不设期限）")));
    }
    let days = input.diagnosis_days as i32;
    let txn = crate::db::begin_write(&state.db).await?;
    city_setting::Entity::insert(city_setting::ActiveModel {
        city_code: Set(city.as_str().to_owned()),
        diagnosis_days: Set(days),
        updated_by: Set(user.user_id.clone()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(OnConflict::column(city_setting::Column::CityCode).update_columns([city_setting::Column::DiagnosisDays, city_setting::Column::UpdatedBy, city_setting::Column::UpdatedAt]).to_owned())
    .exec(&txn)
    .await?;
    audit::record(&txn, Entry {
        action: "lifecycle_settings_update",
        actor: Some(&user),
        username: None,
        ip: user.ip.clone(),
        object_type: Some("city"),
        object_id: Some(city.as_str()),
        outcome: Outcome::Success,
        detail: Some(serde_json::json!({ "diagnosis_days": days })),
    })
    .await?;
    txn.commit().await?;
    Ok(Json(view(&state, &city).await?))
}
