//! Organizations: government bodies in a regional tree, and the flat registry of enterprises, providers,
//! lead units, agencies and the operator. Registration and administration arrive with the accounts issue;
//! this module holds the type every other capability scopes data by.

pub mod certification;
mod departments;
pub mod info_change;
mod handlers;

pub use handlers::material;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::get_my_org))
        .routes(routes!(handlers::update_my_profile))
        .routes(routes!(handlers::create_change_request, handlers::list_change_requests))
        .routes(routes!(handlers::get_info_change_form))
        .routes(routes!(handlers::list_materials, handlers::create_material))
        .routes(routes!(handlers::delete_material))
        .routes(routes!(departments::list_departments, departments::create_department))
        .routes(routes!(departments::update_department, departments::delete_department))
}

/// Service scopes a provider declares (001: e.g. 数据管理贯标). Kept in code until an admin page edits them.
pub const SERVICE_SCOPES: &[(&str, &str)] = &[
    ("dcmm", "数据管理贯标"),
    ("dx_standard", "数字化转型贯标"),
    ("integration_standard", "两化融合贯标"),
    ("cloud", "上云用云"),
    ("industrial_internet", "工业互联网平台"),
    ("smart_manufacturing", "智能制造解决方案"),
    ("diagnosis", "数字化诊断评估"),
    ("industrial_software", "工业软件"),
    ("security", "网络与数据安全"),
    ("other", "其他"),
];
