//! 事前诊断 by an agency (诊断机构诊断, or 市工信局分配): the project names the agency and the review case of
//! its report (kind `diagnosis_report`). The case is created by a conditional update of `diagnosis_case_id`
//! (null → the new case), so a project has one agency diagnosis however often 确认 is clicked; the unique
//! index is the backstop. And the deadline a city sets for it (`lifecycle_city_settings`: 事前诊断期限, one
//! row per city that set one; the others use `[lifecycle] diagnosis_days`).

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0020_pre_diagnosis"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER: SQLite adds one at a time.
        for col in [s_null("diagnosis_agency_id", 36), s_null("diagnosis_agency_name", 200), s_null("diagnosis_case_id", 36)] {
            m.alter_table(Table::alter().table(a("projects")).add_column(col).to_owned()).await?;
        }
        m.create_index(idx("projects", "projects_diagnosis_case", &["diagnosis_case_id"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("lifecycle_city_settings"))
                .col(ColumnDef::new(a("city_code")).string_len(6).not_null().primary_key())
                .col(int("diagnosis_days"))
                .col(s("updated_by", 36))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
