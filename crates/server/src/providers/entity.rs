//! Tables of migration m0005_providers.

pub mod membership {
    use sea_orm::entity::prelude::*;

    /// A provider bound to a lead unit (a member of its 产业生态联合体), by an approved application.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "alliance_memberships")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub provider_org_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub lead_unit_org_id: String,
        pub case_id: String,
        pub joined_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
