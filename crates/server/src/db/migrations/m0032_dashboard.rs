//! 统计汇总 (issue 20, decision 0029): `review_case_tally` holds how many submitted cases there are per
//! (region, kind, status, stage, month submitted), and the sum of their amounts where a kind reports one (the
//! presubsidy's 纳入奖补金额合计), kept by the review engine in the same transaction as each transition; the
//! dashboard sums a few hundred of its rows instead of counting a city's million cases. Drafts and deleted
//! cases are not counted (an applicant's unfinished work is not a figure). `region_code` is '' for a case
//! without a region, `stage` -1 for none, `month` '' for never submitted; `month` is the China-time month
//! (UTC+8) of `submitted_at`. Amounts count only while the form cannot change (审核中, 审核通过, 不通过).
//!
//! The index on review_cases serves the drill-down lists, which filter by the same columns.
//! Existing cases are counted here once, with the same rules (`review::tally` keeps them from now on).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0032_dashboard"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("review_case_tally"))
                .col(s("region_code", 12))
                .col(s("kind", 40))
                .col(s("status", 16))
                .col(int("stage"))
                .col(s("month", 7))
                .col(ColumnDef::new(a("n")).big_integer().not_null().default(0))
                .col(ColumnDef::new(a("amount_fen")).big_integer().not_null().default(0))
                .primary_key(Index::create().col(a("region_code")).col(a("kind")).col(a("status")).col(a("stage")).col(a("month")))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("review_cases", "idx_review_cases_region", &["owner_region_code", "kind", "status", "stage", "submitted_at"], false)).await?;
        let db = m.get_connection();
        db.execute_unprepared(&backfill(db.get_database_backend())).await?;
        Ok(())
    }
}

/// The statement that counts the existing cases into the (empty) tally; `review::tally::recount` follows the same
/// rules, and the tests compare the two.
pub fn backfill(backend: DbBackend) -> String {
    let (month, amount) = match backend {
        DbBackend::Postgres => (
            "COALESCE(to_char(submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), '')",
            "COALESCE(CAST(ROUND(CAST(NULLIF(form::json->>'subsidy_total', '') AS NUMERIC) * 1000000) AS BIGINT), 0)",
        ),
        _ => (
            "COALESCE(strftime('%Y-%m', submitted_at, '+8 hours'), '')",
            "COALESCE(CAST(ROUND(CAST(NULLIF(json_extract(form, '$.subsidy_total'), '') AS REAL) * 1000000) AS INTEGER), 0)",
        ),
    };
    format!(
        "INSERT INTO review_case_tally (region_code, kind, status, stage, month, n, amount_fen) \
         SELECT COALESCE(owner_region_code, ''), kind, status, COALESCE(stage, -1), {month}, COUNT(*), \
                SUM(CASE WHEN kind = 'presubsidy' AND status IN ('in_review', 'approved', 'rejected') THEN {amount} ELSE 0 END) \
         FROM review_cases WHERE status NOT IN ('draft', 'deleted') \
         GROUP BY COALESCE(owner_region_code, ''), kind, status, COALESCE(stage, -1), {month}"
    )
}
