//! The demo's pooled products: without them a newcomer who walks seed 002's 项目签约 as the Zhongshan enterprise
//! finds the lead unit's pool empty and cannot sign. Two products of the Zhongshan demo provider enter
//! 中山市五金家电数字化牵引单位's pool the way every product does — the provider's 首次申报 approved by the lead
//! unit, then each 产品入库申请 through 牵引机构确认 → 预审 → 市工信复审 — acted by the demo accounts of those
//! roles through the review engine, so the cases, trails, notifications and audit are the ones users leave.
//!
//! Idempotent: once the provider has filed anything, nothing is done again.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use super::{ZHONGSHAN_LEAD_UNIT, ZHONGSHAN_PROVIDER};
use crate::auth::CurrentUser;
use crate::files::FilePurpose;
use crate::review::{self, ActRequest, CaseState};
use crate::state::AppState;
use shuzhuan_core::review::Action;

/// A one-page PDF saying what the demo file stands for (a contract, a licence), in the fonts PDFs use.
const MATERIAL: &str = include_str!("demo_material.typ");

/// (name, 产品描述, 最低价格, 最高入库价格) in 万元, as the provider enters them.
const PRODUCTS: &[(&str, &str, u32, u32)] = &[
    ("五金件智能排产MES（演示）", "面向五金制品离散制造的排产、报工与质量追溯，扫码报工，设备联网采集", 5, 20),
    ("设备联网与能耗监测（演示）", "冲压、注塑设备联网，实时采集开机率、能耗，异常报警推送到手机", 3, 12),
];

/// The products in the pool after seeding (0 when they were already there).
pub async fn seed_pool(state: &AppState) -> anyhow::Result<usize> {
    let provider = acting_as(state, "zhongshan_provider_demo").await?;
    let filed = review::cases_of(&state.db, &provider.organization.id, crate::providers::alliance::KIND, &[
        CaseState::Draft,
        CaseState::InReview,
        CaseState::Returned,
        CaseState::Approved,
        CaseState::Rejected,
    ])
    .await
    .map_err(api)?;
    if !filed.is_empty() {
        return Ok(0);
    }
    let lead_unit = crate::directory::org::Entity::find()
        .filter(crate::directory::org::Column::Name.eq(ZHONGSHAN_LEAD_UNIT))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("{ZHONGSHAN_LEAD_UNIT} is seeded"))?;
    let license = material(state, &provider, "营业执照（演示）.pdf", "营业执照（演示材料）").await?;
    let contract = material(state, &provider, "客户合同（演示）.pdf", "客户合同（演示材料）").await?;
    let products: Vec<Value> = PRODUCTS.iter().map(|(name, description, min, max)| product(name, description, *min, *max, &contract)).collect();
    let form = json!({"application": "first", "logo_file_ids": [], "license_file_ids": [license], "nature": "民营", "credit_report_file_ids": [],
        "lead_unit_id": lead_unit.id, "cooperation_proof_file_ids": [license], "product_count": PRODUCTS.len(),
        "introduction": format!("{ZHONGSHAN_PROVIDER}：服务中山五金家电企业的数字化转型（演示）"), "guarantee": "小榄镇本地团队驻场实施与运维",
        "team_list_file_ids": [], "products": products});

    let txn = crate::db::begin_write(&state.db).await?;
    let draft = review::submit_new_case(
        &txn,
        state,
        review::NewCase {
            kind: &crate::providers::alliance::AllianceJoin,
            owner_org_id: &provider.organization.id,
            owner_region_code: provider.organization.region_code.as_deref(),
            form,
            submit: false,
        },
        &review::Acting::from(&provider),
    )
    .await
    .map_err(api)?;
    txn.commit().await?;
    act(state, &provider, &draft, Action::Submit).await?;
    let lead = acting_as(state, "zhongshan_leadunit_demo").await?;
    act(state, &lead, &draft, approve()).await?;

    // 首次申报 approved: each product is now a 产品入库申请 at 牵引机构确认.
    let pre_review = acting_as(state, "thirdparty_demo").await?;
    let city = acting_as(state, "zhongshan_admin").await?;
    let entries = review::cases_of(&state.db, &provider.organization.id, "product_entry", &[CaseState::InReview]).await.map_err(api)?;
    for entry in &entries {
        for reviewer in [&lead, &pre_review, &city] {
            act(state, reviewer, &entry.id, approve()).await?;
        }
    }
    Ok(entries.len())
}

fn api(e: crate::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

fn approve() -> Action {
    Action::Approve { opinion: Some("同意（演示数据）".into()) }
}

async fn acting_as(state: &AppState, username: &str) -> anyhow::Result<CurrentUser> {
    let u = crate::accounts::find_by_username(&state.db, username).await?.ok_or_else(|| anyhow::anyhow!("demo account {username} is seeded"))?;
    crate::auth::session::current_user(state, &u.id).await.map_err(api)?.ok_or_else(|| anyhow::anyhow!("demo account {username} is active"))
}

async fn act(state: &AppState, user: &CurrentUser, case_id: &str, action: Action) -> anyhow::Result<()> {
    let version = review::load_case(&state.db, case_id).await.map_err(api)?.row.version;
    let version = u64::try_from(version)?;
    review::act(state, user, case_id, ActRequest { action, version, attachment_ids: Vec::new(), idempotency_key: None }).await.map_err(api)?;
    Ok(())
}

/// The demo file `name`: a PDF rendered with the platform's fonts, or (no CJK font installed: the PDF
/// renderer refuses) a bare one-page PDF, so seeding never depends on fonts.
async fn material(state: &AppState, owner: &CurrentUser, name: &str, title: &str) -> anyhow::Result<String> {
    let dirs = state.config.pdf_font_dirs.clone();
    let data = json!({ "title": title, "organization": owner.organization.name });
    let pdf = tokio::task::spawn_blocking(move || crate::pdf::render(MATERIAL, &data, crate::pdf::fonts(&dirs))).await?;
    let bytes = match pdf {
        Ok(b) => b,
        Err(crate::pdf::PdfError::NoCjkFont) => BARE_PDF.to_vec(),
        Err(e) => anyhow::bail!("demo material {name}: {e}"),
    };
    let file = crate::files::store_generated(state, &owner.organization.id, &owner.user_id, FilePurpose::Credential, name, bytes.into()).await.map_err(api)?;
    Ok(file.id)
}

/// A valid empty one-page PDF.
const BARE_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

fn product(name: &str, description: &str, price_min: u32, price_max: u32, contract: &str) -> Value {
    json!({"name": name, "nature": "自有产品", "ip_proof_file_ids": [], "categories": ["生产管控", "MES"], "category_other": "",
        "description": description, "deploy_architecture": "B/S", "deploy_mode": "云端部署",
        "deploy_period": "30天", "purchase_mode": "按年订阅", "price_min": price_min, "price_max": price_max, "discount_rate": 10,
        "industry_code": "C", "sub_industries": "五金制品、家用电器", "scenarios": "车间生产执行、设备管理",
        "cases": [{"enterprise": "中山甲五金制品厂（演示）", "contract_file_ids": [contract]}, {"enterprise": "中山乙电器有限公司（演示）", "contract_file_ids": [contract]},
            {"enterprise": "中山丙灯饰有限公司（演示）", "contract_file_ids": [contract]}],
        "awards": "未获奖", "award_note": "", "other_note": "", "evidence_file_ids": []})
}
