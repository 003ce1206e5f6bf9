//! Tables of migration m0005_providers (prices of m0009_money): products and the lead units' pools.

pub mod product {
    use sea_orm::entity::prelude::*;

    /// A product follows its entry case: in review from its first submission, approved or rejected when
    /// decided (the catalogue and the pools show approved products only).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))", rename_all = "snake_case")]
    #[serde(rename_all = "snake_case")]
    pub enum ProductStatus {
        InReview,
        Approved,
        Rejected,
    }

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "products")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub provider_org_id: String,
        /// The `product_entry` case that reviews it; its status decides the duplicate-name rule.
        pub case_id: String,
        pub name: String,
        pub name_key: String,
        pub status: ProductStatus,
        pub code: Option<String>,
        /// JSON list of business areas / systems.
        pub categories: String,
        pub industry_code: Option<String>,
        /// Quoted prices in fen (the form takes 万元); see `shuzhuan_core::Money`.
        pub price_min_fen: Option<i64>,
        pub price_max_fen: Option<i64>,
        pub purchase_mode: Option<String>,
        pub description: String,
        pub created_at: ChronoDateTimeUtc,
        pub approved_at: Option<ChronoDateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod pool_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pool_entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub lead_unit_org_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub product_id: String,
        pub via: String,
        pub added_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
