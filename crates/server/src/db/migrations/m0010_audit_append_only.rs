//! The audit log is append-only in the database too, as the review trail is (m0004): UPDATE and DELETE on
//! `audit_log` abort on both backends, so neither a bug nor someone with the application's database account
//! can rewrite who did what. (Issue 13: `DELETE FROM audit_log` used to succeed.) Deployments should also give
//! the application a database role without UPDATE or DELETE on the table (docs/security.md); archiving old
//! entries is a database administrator's job with the trigger dropped for the purpose, which itself is
//! visible in the database's own log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_audit_append_only"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                for op in ["UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER audit_log_no_{} BEFORE {op} ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
                        op.to_lowercase()
                    ))
                    .await?;
                }
            }
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql;",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();",
                )
                .await?;
                // TRUNCATE is a statement of its own and skips row triggers.
                db.execute_unprepared(
                    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();",
                )
                .await?;
            }
            _ => {}
        }
        Ok(())
    }
}
