//! One organization per 统一社会信用代码 and kind (an enterprise and a provider may share a code, as the rules
//! allow; two enterprises may not). Registration checks first for a friendly answer; this constraint is what
//! holds when two registrations with the same code race (both used to succeed).

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_unique_uscc"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A database that already holds duplicates (registered before this constraint) cannot take it: say
        // which codes, so an operator can merge or correct them, instead of a bare index error.
        let db = m.get_connection();
        let dupes = db
            .query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT uscc, kind FROM organizations WHERE uscc IS NOT NULL GROUP BY uscc, kind HAVING COUNT(*) > 1".to_owned(),
            ))
            .await?;
        if !dupes.is_empty() {
            let list: Vec<String> = dupes
                .iter()
                .map(|r| format!("{}/{}", r.try_get::<String>("", "uscc").unwrap_or_default(), r.try_get::<String>("", "kind").unwrap_or_default()))
                .collect();
            return Err(DbErr::Migration(format!(
                "organizations share a credit code within one kind; resolve these before upgrading: {}",
                list.join(", ")
            )));
        }
        m.drop_index(Index::drop().name("idx_orgs_uscc_kind").table(a("organizations")).to_owned()).await?;
        m.create_index(idx("organizations", "uq_orgs_uscc_kind", &["uscc", "kind"], true)).await?;
        Ok(())
    }
}
