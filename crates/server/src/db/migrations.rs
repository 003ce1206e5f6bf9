//! Schema migrations, one module per step, portable across SQLite and PostgreSQL.
//! A migration that has shipped is never edited: add a new one.

mod cols;
mod m0001_foundation;
mod m0002_accounts;
mod m0003_assessment;
mod m0004_review;
mod m0005_providers;
mod m0006_review_indexes;
mod m0007_review_reminders;
mod m0008_unique_uscc;
mod m0009_money;
mod m0010_audit_append_only;
mod m0011_audit_seals;
mod m0012_upload_usage;
mod m0013_sign_in_sources;
mod m0014_calls;
mod m0015_responsible_sections;
mod m0016_recommendation_letters;
mod m0017_result_notices;
mod m0018_project_center_indexes;
mod m0019_projects;
mod m0020_pre_diagnosis;
mod m0021_signing;
mod m0022_presubsidy;
mod m0023_implementation;
mod m0024_national_sync;
mod m0025_post_evaluation;
mod m0026_completion;
mod m0027_acceptance;
mod m0028_announcements;
mod m0029_portal;
mod m0030_search;
mod m0031_enterprises;
mod m0032_dashboard;
pub use m0032_dashboard::backfill as tally_backfill;

use sea_orm_migration::prelude::*;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m0001_foundation::Migration), Box::new(m0002_accounts::Migration), Box::new(m0003_assessment::Migration), Box::new(m0004_review::Migration), Box::new(m0005_providers::Migration), Box::new(m0006_review_indexes::Migration), Box::new(m0007_review_reminders::Migration), Box::new(m0008_unique_uscc::Migration), Box::new(m0009_money::Migration), Box::new(m0010_audit_append_only::Migration), Box::new(m0011_audit_seals::Migration), Box::new(m0012_upload_usage::Migration), Box::new(m0013_sign_in_sources::Migration), Box::new(m0014_calls::Migration), Box::new(m0015_responsible_sections::Migration), Box::new(m0016_recommendation_letters::Migration), Box::new(m0017_result_notices::Migration), Box::new(m0018_project_center_indexes::Migration), Box::new(m0019_projects::Migration), Box::new(m0020_pre_diagnosis::Migration), Box::new(m0021_signing::Migration), Box::new(m0022_presubsidy::Migration), Box::new(m0023_implementation::Migration), Box::new(m0024_national_sync::Migration), Box::new(m0025_post_evaluation::Migration), Box::new(m0026_completion::Migration), Box::new(m0027_acceptance::Migration), Box::new(m0028_announcements::Migration), Box::new(m0029_portal::Migration), Box::new(m0030_search::Migration), Box::new(m0031_enterprises::Migration), Box::new(m0032_dashboard::Migration)]
    }
}
