//! 服务商评价 as the catalogue shows it: each enterprise's rating of a provider of its signed products
//! (项目实施-改造完成, `lifecycle::completion` writes them), and the provider's public reputation read from them
//! (compass row B8). The ratings live here, below the lifecycle, because the catalogue reads them.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiResult;

/// 服务商评价 (m0026): an enterprise's rating of one provider of its signed products, per project, as last
/// submitted. Stars are 1–5; the texts are JSON `{"product", "overall", "attitude", "after_sales"}`.
pub mod provider_rating {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "provider_ratings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub provider_org_id: String,
        pub enterprise_org_id: String,
        pub product_stars: i32,
        pub overall_stars: i32,
        pub attitude_stars: i32,
        pub after_sales_stars: i32,
        pub texts: String,
        pub rated_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A provider's public reputation: how many projects rated it and the average of each rating, from the
/// submitted 服务商评价 (compass row B8). Averages are one-decimal text (「4.5」), `None` with no rating.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Reputation {
    pub ratings: i64,
    pub product: Option<String>,
    pub overall: Option<String>,
    pub attitude: Option<String>,
    pub after_sales: Option<String>,
}

/// The reputation of each provider in `provider_ids` (those with no rating are absent).
pub async fn reputation_of(db: &impl sea_orm::ConnectionTrait, provider_ids: Vec<String>) -> ApiResult<BTreeMap<String, Reputation>> {
    if provider_ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows = provider_rating::Entity::find().filter(provider_rating::Column::ProviderOrgId.is_in(provider_ids)).all(db).await?;
    let mut sums: BTreeMap<String, (i64, [i64; 4])> = BTreeMap::new();
    for r in rows {
        let e = sums.entry(r.provider_org_id).or_default();
        e.0 += 1;
        for (slot, v) in e.1.iter_mut().zip([r.product_stars, r.overall_stars, r.attitude_stars, r.after_sales_stars]) {
            *slot += i64::from(v);
        }
    }
    let avg = |sum: i64, n: i64| Some(average(sum, n));
    Ok(sums
        .into_iter()
        .map(|(id, (n, s))| (id, Reputation { ratings: n, product: avg(s[0], n), overall: avg(s[1], n), attitude: avg(s[2], n), after_sales: avg(s[3], n) }))
        .collect())
}


/// One enterprise's 服务商评价 as the provider's page shows it: the stars and texts, not who wrote them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Review {
    pub rated_at: crate::time::ApiTime,
    pub product_stars: i32,
    pub overall_stars: i32,
    pub attitude_stars: i32,
    pub after_sales_stars: i32,
    pub product_text: String,
    pub overall_text: String,
    pub attitude_text: String,
    pub after_sales_text: String,
}

/// The newest `limit` ratings of a provider.
pub async fn latest_reviews(db: &impl sea_orm::ConnectionTrait, provider_id: &str, limit: u64) -> ApiResult<Vec<Review>> {
    use sea_orm::{QueryOrder, QuerySelect};
    let rows = provider_rating::Entity::find()
        .filter(provider_rating::Column::ProviderOrgId.eq(provider_id))
        .order_by_desc(provider_rating::Column::RatedAt)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let texts: serde_json::Value = serde_json::from_str(&r.texts).unwrap_or_default();
            let text = |k: &str| texts[k].as_str().unwrap_or("").to_owned();
            Review {
                rated_at: crate::time::api(r.rated_at),
                product_stars: r.product_stars,
                overall_stars: r.overall_stars,
                attitude_stars: r.attitude_stars,
                after_sales_stars: r.after_sales_stars,
                product_text: text("product"),
                overall_text: text("overall"),
                attitude_text: text("attitude"),
                after_sales_text: text("after_sales"),
            }
        })
        .collect())
}

/// `sum / n` to one decimal, rounded half up, in integers (tenths = round(10·sum / n)); `n` > 0.
fn average(sum: i64, n: i64) -> String {
    let tenths = (20 * sum + n) / (2 * n);
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    #[test]
    fn averages_round_half_up_to_one_decimal_without_floats() {
        assert_eq!(super::average(9, 2), "4.5");
        assert_eq!(super::average(13, 3), "4.3"); // 4.333…
        assert_eq!(super::average(89, 20), "4.5"); // 4.45 rounds up
        assert_eq!(super::average(5, 1), "5.0");
    }
}
