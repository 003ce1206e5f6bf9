//! Digital-level assessment: versioned editions (the questionnaire and its scoring rules as data) and
//! the enterprises' assessments (one draft at a time, every submitted result kept with its edition).

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_assessment"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("assessment_editions"))
                .col(ColumnDef::new(a("version")).string_len(32).not_null().primary_key())
                .col(ColumnDef::new(a("name")).string_len(200).not_null())
                .col(ColumnDef::new(a("content")).text().not_null())
                .col(ColumnDef::new(a("is_current")).boolean().not_null())
                .col(ColumnDef::new(a("imported_at")).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("assessments"))
                .col(ColumnDef::new(a("id")).string_len(36).not_null().primary_key())
                .col(ColumnDef::new(a("organization_id")).string_len(36).not_null())
                .col(ColumnDef::new(a("user_id")).string_len(36).not_null())
                .col(ColumnDef::new(a("edition_version")).string_len(32).not_null())
                .col(ColumnDef::new(a("status")).string_len(16).not_null())
                .col(ColumnDef::new(a("answers")).text().not_null())
                .col(ColumnDef::new(a("result")).text().null())
                .col(ColumnDef::new(a("total_hundredths")).integer().null())
                .col(ColumnDef::new(a("level")).integer().null())
                .col(ColumnDef::new(a("level_label")).string_len(32).null())
                .col(ColumnDef::new(a("q4_weighting")).string_len(16).not_null())
                .col(ColumnDef::new(a("created_at")).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(a("updated_at")).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(a("submitted_at")).timestamp_with_time_zone().null())
                .foreign_key(ForeignKey::create().from(a("assessments"), a("organization_id")).to(a("organizations"), a("id")))
                .foreign_key(ForeignKey::create().from(a("assessments"), a("user_id")).to(a("users"), a("id")))
                .foreign_key(ForeignKey::create().from(a("assessments"), a("edition_version")).to(a("assessment_editions"), a("version")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_assessments_org_status").table(a("assessments")).col(a("organization_id")).col(a("status")).col(a("submitted_at")).to_owned(),
        )
        .await?;
        Ok(())
    }
}
