//! Product prices as exact integer fen (`shuzhuan_core::Money`) instead of floating-point 万元: a float
//! cannot hold most decimal amounts exactly, and the invoices and vouchers built on these figures must
//! reconcile to the fen. Existing prices are converted once (万元 × 1,000,000, rounded to the fen).

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_money"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (fen, old) in [("price_min_fen", "price_min"), ("price_max_fen", "price_max")] {
            m.alter_table(Table::alter().table(a("products")).add_column(ColumnDef::new(a(fen)).big_integer().null()).to_owned()).await?;
            m.get_connection()
                .execute_unprepared(&format!("UPDATE products SET {fen} = CAST(ROUND({old} * 1000000) AS BIGINT) WHERE {old} IS NOT NULL"))
                .await?;
            m.alter_table(Table::alter().table(a("products")).drop_column(a(old)).to_owned()).await?;
        }
        Ok(())
    }
}
