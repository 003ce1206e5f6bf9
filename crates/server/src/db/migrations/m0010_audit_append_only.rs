//! The audit log is append-only in the database too, as the review trail is (m0004): UPDATE and DELETE on
//! `audit_log` abort on both backends, so neither a bug nor someone with the application's database account
//! can rewrite who did what. (Issue 13: `DELETE FROM audit_log` used to succeed.) Deployments should also give
//! the application a database role without UPDATE or DELETE on the table (docs/security.md); archiving old
//! entries is a database administrator's job with the trigger dropped for the purpose, which itself is
//! visible in the database's own log.

use sea_orm_migration::prelude::*;

use super::cols::append_only;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_audit_append_only"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // TRUNCATE too: on PostgreSQL it is a statement of its own and skips row triggers.
        append_only(m.get_connection(), "audit_log", true).await?;
        Ok(())
    }
}
