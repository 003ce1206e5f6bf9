//! Providers, lead units, products and pools (seed 000): alliance memberships (a provider bound to a lead
//! unit), products (each reviewed as a `product_entry` case), and each lead unit's product pool.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_providers"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("alliance_memberships"))
                .col(s("provider_org_id", 36))
                .col(s("lead_unit_org_id", 36))
                .col(s("case_id", 36))
                .col(ts("joined_at"))
                .primary_key(Index::create().col(a("provider_org_id")).col(a("lead_unit_org_id")))
                .foreign_key(&mut fk("alliance_memberships", "provider_org_id", "organizations", "id"))
                .foreign_key(&mut fk("alliance_memberships", "lead_unit_org_id", "organizations", "id"))
                .foreign_key(&mut fk("alliance_memberships", "case_id", "review_cases", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("alliance_memberships", "idx_memberships_lead_unit", &["lead_unit_org_id", "joined_at"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("products"))
                .col(s("id", 36).primary_key().to_owned())
                .col(s("provider_org_id", 36))
                .col(s("case_id", 36))
                .col(s("name", 100))
                // Trimmed, lower-cased name: the duplicate check (000 "重名产品").
                .col(s("name_key", 100))
                // Mirrors the product case's status for the duplicate check and the catalogue.
                .col(s("status", 16))
                .col(s_null("code", 32))
                .col(ColumnDef::new(a("categories")).text().not_null())
                .col(s_null("industry_code", 8))
                .col(ColumnDef::new(a("price_min")).double().null())
                .col(ColumnDef::new(a("price_max")).double().null())
                .col(s_null("purchase_mode", 16))
                .col(ColumnDef::new(a("description")).text().not_null())
                .col(ts("created_at"))
                .col(ts_null("approved_at"))
                .foreign_key(&mut fk("products", "provider_org_id", "organizations", "id"))
                .foreign_key(&mut fk("products", "case_id", "review_cases", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("products", "idx_products_case", &["case_id"], true)).await?;
        m.create_index(idx("products", "idx_products_provider_name", &["provider_org_id", "name_key", "status"], false)).await?;
        m.create_index(idx("products", "idx_products_status", &["status", "approved_at"], false)).await?;
        m.create_index(idx("products", "idx_products_code", &["code"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("pool_entries"))
                .col(s("lead_unit_org_id", 36))
                .col(s("product_id", 36))
                // `first_application`, `repeat_application`, `product_application`: which rule put it there.
                .col(s("via", 24))
                .col(ts("added_at"))
                .primary_key(Index::create().col(a("lead_unit_org_id")).col(a("product_id")))
                .foreign_key(&mut fk("pool_entries", "lead_unit_org_id", "organizations", "id"))
                .foreign_key(&mut fk("pool_entries", "product_id", "products", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("pool_entries", "idx_pool_entries_product", &["product_id"], false)).await?;
        Ok(())
    }
}
