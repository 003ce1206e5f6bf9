//! The enterprise's pilot project lifecycle (seed 002, spec `40-project-lifecycle.md`, docs/lifecycle.md): a
//! project is one record (`projects`) whose stages are review cases. This part holds 项目备案 (`filing`):
//! 镇街审核 → 第三方初审 → 市工信复审 → 备案完成 with a 项目备案号 by the configured rule; the project then
//! waits at 项目签约 (待签约); 信息变更 of the filed project is reviewed on its own (`filing_change`); and 事前诊断 (`diagnosis`, and `agency_report` when an agency diagnoses) fixes its 改造前数字化水平等级; 项目签约 (`signing`) signs the contracts and products, with the lead unit's help when chosen; 预奖补 (`presubsidy`) applies for signed contracts; 项目实施-改造中 (`implementation`) records 企业现状（改造前）; its submission opens 事后评估 (`evaluation`, the agency's report again `agency_report`) and 项目实施-改造完成 (`completion`: 数字化改造成效, 服务商评价 with the providers' reputation, 佐证材料 with invoices); and 项目入库 (`acceptance`: inside the city's window, 镇街审核 → 验收专家审核 → 市工信复审 → 已入库).

pub mod acceptance;
pub mod agency_report;
pub mod completion;
pub mod diagnosis;
pub mod entity;
pub mod evaluation;
pub mod filing;
pub mod filing_change;
pub mod handlers;
pub mod implementation;
pub mod national_sync;
pub mod presubsidy;
pub mod settings;
pub mod signing;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The enterprise menu permission 项目管理.
pub const PERMISSION: &str = "projects";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::project_overview, handlers::start_project))
        .routes(routes!(handlers::get_project))
        .routes(routes!(handlers::save_filing))
        .routes(routes!(handlers::submit_filing))
        .routes(routes!(filing_change::start_change, filing_change::save_change))
        .routes(routes!(filing_change::submit_change))
        .routes(routes!(handlers::authorization_template))
        .routes(routes!(diagnosis::get_diagnosis, diagnosis::choose_diagnosis))
        .routes(routes!(agency_report::choose_agency))
        .routes(routes!(agency_report::assignments))
        .routes(routes!(agency_report::assign_agency))
        .routes(routes!(agency_report::tasks))
        .routes(routes!(agency_report::get_task, agency_report::save_report))
        .routes(routes!(agency_report::submit_report))
        .routes(routes!(evaluation::get_evaluation, evaluation::start_evaluation))
        .routes(routes!(agency_report::evaluation_assignments))
        .routes(routes!(agency_report::assign_evaluation_agency))
        .routes(routes!(settings::get_settings, settings::save_settings))
        .routes(routes!(signing::list_signings))
        .routes(routes!(signing::get_signing, signing::save_signing))
        .routes(routes!(signing::send_signing))
        .routes(routes!(signing::submit_signing))
        .routes(routes!(signing::change_signing))
        .routes(routes!(implementation::list_implementations))
        .routes(routes!(implementation::get_implementation, implementation::save_implementation))
        .routes(routes!(implementation::send_implementation))
        .routes(routes!(implementation::submit_implementation))
        .routes(routes!(implementation::change_implementation))
        .routes(routes!(completion::list_completions))
        .routes(routes!(completion::get_completion, completion::save_completion))
        .routes(routes!(completion::submit_completion))
        .routes(routes!(completion::change_completion))
        .routes(routes!(acceptance::list_acceptances))
        .routes(routes!(acceptance::get_acceptance, acceptance::save_acceptance))
        .routes(routes!(acceptance::submit_acceptance))
        .routes(routes!(acceptance::acceptance_assignments))
        .routes(routes!(acceptance::assign_expert))
        .routes(routes!(acceptance::save_window))
        .routes(routes!(national_sync::national_sync_events))
        .routes(routes!(national_sync::national_sync_ack))
        .routes(routes!(national_sync::national_sync_status))
        .routes(routes!(national_sync::project_national_sync))
        .routes(routes!(presubsidy::project_presubsidies, presubsidy::start_presubsidy))
        .routes(routes!(presubsidy::get_presubsidy, presubsidy::save_presubsidy))
        .routes(routes!(presubsidy::submit_presubsidy))
        .routes(routes!(presubsidy::presubsidy_application_template))
        .routes(routes!(presubsidy::presubsidy_commitment_template))
}
