//! Digital-level self-assessment (评估评测; spec 70, seeds 002 §03 and 004). The questionnaire and its
//! scoring rules are data: editions are stored as their JSON and parsed by `shuzhuan_core::assessment`;
//! an enterprise keeps one draft (autosaved), and every submitted result is kept with the edition and
//! weighting it was scored under, so importing a new edition never changes an old result.

mod handlers;
mod report;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use shuzhuan_core::assessment::Edition;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The 2024 edition, shipped with the project (data/reference/assessment/, provenance inside the file).
pub const EDITION_2024: &str = include_str!("../../../../data/reference/assessment/2024.json");

pub mod entity {
    pub mod edition {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "assessment_editions")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub version: String,
            pub name: String,
            pub content: String,
            pub is_current: bool,
            pub imported_at: ChronoDateTimeUtc,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }

    pub mod assessment {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "assessments")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: String,
            pub organization_id: String,
            pub user_id: String,
            pub edition_version: String,
            /// `draft` or `submitted`.
            pub status: String,
            /// The canonical answers (derived options filled in), JSON.
            pub answers: String,
            /// The scored result, JSON (submitted only).
            pub result: Option<String>,
            pub total_hundredths: Option<i32>,
            pub level: Option<i32>,
            pub level_label: Option<String>,
            pub q4_weighting: String,
            pub created_at: ChronoDateTimeUtc,
            pub updated_at: ChronoDateTimeUtc,
            pub submitted_at: Option<ChronoDateTimeUtc>,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }
}

pub use handlers::AssessmentSummary;

/// The organization's submitted results, newest first (事前诊断's 请选择自评结果 picks one of them).
pub async fn submitted_results(db: &impl ConnectionTrait, org: &crate::directory::org::Model, limit: u64) -> Result<Vec<AssessmentSummary>, DbErr> {
    use sea_orm::{QueryOrder, QuerySelect};
    Ok(entity::assessment::Entity::find()
        .filter(entity::assessment::Column::OrganizationId.eq(org.id.clone()))
        .filter(entity::assessment::Column::Status.eq("submitted"))
        .order_by_desc(entity::assessment::Column::SubmittedAt)
        .limit(limit)
        .all(db)
        .await?
        .iter()
        .map(|m| handlers::summary(m, org))
        .collect())
}

/// One submitted result of the organization, or none (another organization's id reads as none).
pub async fn submitted_result(db: &impl ConnectionTrait, org_id: &str, id: &str) -> Result<Option<entity::assessment::Model>, DbErr> {
    Ok(entity::assessment::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .filter(|m| m.organization_id == org_id && m.status == "submitted"))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::get_current_edition))
        .routes(routes!(handlers::get_draft, handlers::save_draft))
        .routes(routes!(handlers::submit_draft))
        .routes(routes!(handlers::list_assessments))
        .routes(routes!(handlers::get_assessment))
        .routes(routes!(handlers::download_report))
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("题库文件无效：{0}")]
    Invalid(String),
    #[error("题库版本「{0}」已存在；已提交的评测结果不受影响，如需更正请使用新的版本号")]
    Exists(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Adds an edition and makes it the current one for new assessments. Earlier results keep theirs.
pub async fn import_edition(db: &impl ConnectionTrait, json: &str) -> Result<String, ImportError> {
    let edition = Edition::from_json(json).map_err(|e| ImportError::Invalid(e.to_string()))?;
    use entity::edition;
    if edition::Entity::find_by_id(edition.version().to_string()).one(db).await?.is_some() {
        return Err(ImportError::Exists(edition.version().to_string()));
    }
    edition::Entity::update_many()
        .col_expr(edition::Column::IsCurrent, sea_orm::sea_query::Expr::value(false))
        .filter(edition::Column::IsCurrent.eq(true))
        .exec(db)
        .await?;
    edition::Entity::insert(edition::ActiveModel {
        version: Set(edition.version().to_string()),
        name: Set(edition.name().to_string()),
        content: Set(json.to_string()),
        is_current: Set(true),
        imported_at: Set(Utc::now()),
    })
    .exec(db)
    .await?;
    Ok(edition.version().to_string())
}

/// Installs the shipped edition on a new database (idempotent; run by `migrate` and at start-up).
pub async fn ensure_default_edition(db: &impl ConnectionTrait) -> Result<(), ImportError> {
    use entity::edition;
    if edition::Entity::find().one(db).await?.is_none() {
        import_edition(db, EDITION_2024).await?;
    }
    Ok(())
}
