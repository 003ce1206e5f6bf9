//! Calls (申报, issue 15): programs and their tracks, the calls a city or province runs on a track, the
//! versions of their schema-driven forms, the applications (one per call and enterprise) and the generated
//! application documents (申报书).

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0014_calls"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("call_programs"))
                .col(id("id"))
                .col(s("owner_org_id", 36))
                // The key a seeded program was imported under (re-importing updates nothing twice).
                .col(s_null("import_key", 100))
                .col(int("year"))
                .col(s("name", 200))
                .col(s("level", 8))
                .col(s("funding", 8))
                .col(ts("created_at"))
                .foreign_key(&mut fk("call_programs", "owner_org_id", "organizations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("call_programs", "call_programs_import_key", &["import_key"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("call_tracks"))
                .col(id("id"))
                .col(s("program_id", 36))
                .col(s("name", 200))
                .col(text("guide"))
                .col(ts("opens_at"))
                .col(ts("closes_at"))
                .col(int("sort"))
                .foreign_key(&mut fk("call_tracks", "program_id", "call_programs", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("form_versions"))
                .col(id("id"))
                .col(s("form_key", 64))
                .col(int("version"))
                .col(text("schema"))
                .col(s_null("created_by", 36))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        // Two officials saving at once both read version n: the second insert of n + 1 fails here.
        m.create_index(idx("form_versions", "form_versions_key_version", &["form_key", "version"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("calls"))
                .col(id("id"))
                .col(s("track_id", 36))
                .col(s("org_id", 36))
                .col(s_null("import_key", 100))
                .col(s("status", 16))
                .col(s("flow_key", 32))
                .col(ts("opens_at"))
                .col(ts("closes_at"))
                .col(s("form_key", 64))
                .col(text("settings"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("calls", "track_id", "call_tracks", "id"))
                .foreign_key(&mut fk("calls", "org_id", "organizations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("calls", "calls_import_key", &["import_key"], true)).await?;
        m.create_index(idx("calls", "calls_status_window", &["status", "closes_at"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("call_applications"))
                // The review case's id: one application is one case.
                .col(id("case_id"))
                .col(s("call_id", 36))
                .col(s("org_id", 36))
                .col(int("year"))
                .col(s("form_key", 64))
                .col(int("form_version"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("call_applications", "call_id", "calls", "id"))
                .to_owned(),
        )
        .await?;
        // One application per call and enterprise, however many tabs press 申报 at once.
        m.create_index(idx("call_applications", "call_applications_call_org", &["call_id", "org_id"], true)).await?;
        m.create_index(idx("call_applications", "call_applications_org", &["org_id", "year"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("call_documents"))
                .col(id("id"))
                .col(s("case_id", 36))
                .col(s("org_id", 36))
                .col(s("status", 16))
                .col(int_zero("progress"))
                .col(s_null("file_id", 36))
                .col(text_null("error"))
                .col(ts("created_at"))
                .col(ts_null("finished_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("call_documents", "call_documents_case", &["case_id"], false)).await?;
        m.create_index(idx("call_documents", "call_documents_org", &["org_id"], false)).await?;
        Ok(())
    }
}
