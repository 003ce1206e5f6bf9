//! Sign-in from known and unknown sources (accounts/guard.rs): the addresses an account signed in from, and
//! the progressive delay of wrong passwords from elsewhere (issue 13: malicious lockout).

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0013_sign_in_sources"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("sign_in_sources"))
                .col(s("user_id", 36))
                .col(s("ip", 64))
                .col(ts("last_success_at"))
                .primary_key(Index::create().col(a("user_id")).col(a("ip")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("sign_in_delays"))
                .col(ColumnDef::new(a("key")).string_len(200).not_null().primary_key())
                // Attempts claimed (checked or being checked) and, of them, those whose password was wrong.
                .col(int("failures"))
                .col(int_zero("failed"))
                .col(ts("next_allowed_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
