//! Recommendation letters (推荐函, 003 §4.2.1, §4.5.3): each district and city bureau uploads, per call track,
//! the letters that vouch for its recommendations (上传区推荐函 / 上传市推荐函); the bureaus above read them
//! (查看区推荐函). A letter is a stored file (`files`) named here with its bureau and track.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0016_recommendation_letters"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("recommendation_letters"))
                .col(id("id"))
                .col(s("organization_id", 36))
                .col(s("track_id", 36))
                .col(s("file_id", 36))
                .col(s("uploaded_by", 36))
                .col(ts("uploaded_at"))
                .foreign_key(&mut fk("recommendation_letters", "organization_id", "organizations", "id"))
                .foreign_key(&mut fk("recommendation_letters", "track_id", "call_tracks", "id"))
                .foreign_key(&mut fk("recommendation_letters", "file_id", "files", "id"))
                .to_owned(),
        )
        .await?;
        // One file is one letter: the file's sharing with the bureaus above follows from this row.
        m.create_index(idx("recommendation_letters", "recommendation_letters_file", &["file_id"], true)).await?;
        m.create_index(idx("recommendation_letters", "recommendation_letters_track_org", &["track_id", "organization_id"], false)).await?;
        Ok(())
    }
}
