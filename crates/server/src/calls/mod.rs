//! Calls (申报, spec `50-calls-portal-admin.md`, docs/forms.md): programs, tracks and the calls a city or
//! province runs, each with a schema-driven, versioned application form; enterprises apply, generate the
//! 申报书 and submit; the applications are review cases (`call_application`, `pilot_application`) that the
//! engine carries through district, city and province.

pub mod apply;
pub mod documents;
pub mod entity;
pub mod forms;
pub mod handlers;
pub mod import;
pub mod kind;
pub mod named;
pub mod projects;
pub mod results;
pub mod reviewing;
pub mod search;
pub mod sections;
pub mod settings;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The government menu permission for managing calls (申报管理).
pub const MANAGE_PERMISSION: &str = "calls";
/// The enterprise menu permission for applying (申报管理).
pub const APPLY_PERMISSION: &str = "applications";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(forms::check_form))
        .routes(routes!(handlers::list_programs, handlers::create_program))
        .routes(routes!(handlers::create_track))
        .routes(routes!(handlers::list_managed))
        .routes(routes!(handlers::create_call))
        .routes(routes!(handlers::get_call, handlers::update_call))
        .routes(routes!(handlers::batch_update))
        .routes(routes!(handlers::publish_call))
        .routes(routes!(handlers::get_call_form, handlers::save_call_form))
        .routes(routes!(handlers::public_calls))
        .routes(routes!(handlers::public_call))
        .routes(routes!(apply::open_calls))
        .routes(routes!(apply::apply))
        .routes(routes!(apply::get_application, apply::save_application))
        .routes(routes!(apply::submit_application))
        .routes(routes!(documents::generate))
        .routes(routes!(apply::my_projects))
        .routes(routes!(apply::my_documents))
        .routes(routes!(sections::list_sections, sections::assign_sections))
        .routes(routes!(projects::list_projects))
        .routes(routes!(projects::export_projects))
        .routes(routes!(reviewing::list_reviewing))
        .routes(routes!(reviewing::list_letters, reviewing::upload_letter))
        .routes(routes!(reviewing::delete_letter))
        .routes(routes!(results::list_results, results::publish_results))
        .routes(routes!(results::export_summary))
        .routes(routes!(results::public_results))
        .routes(routes!(results::public_result))
        .routes(routes!(named::read_named_applicants))
        .routes(routes!(named::named_applicants_template))
}
