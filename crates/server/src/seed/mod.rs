//! `seed-demo`: a small, realistic world to try the platform in: the pilot cities' government bodies and
//! demo accounts. Idempotent: running it again changes nothing that exists.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::accounts::{self, NewUser};
use crate::auth::Role;
use crate::directory::profile::CertificationStatus;
use crate::directory::{self, org, NewOrg, OrgKind};
use crate::reference::entity::region;

pub mod pool;

/// Printed by `seed-demo` and by `make run`, so a newcomer can sign in at once.
pub const DEMO_PASSWORD: &str = "Shuzhuan@2026";

pub struct DemoAccount {
    pub username: &'static str,
    pub display_name: &'static str,
    pub organization: &'static str,
    pub roles: &'static [Role],
    /// The role of 00-overview this account demonstrates.
    pub plays: &'static str,
    /// Enterprise and provider accounts sign in by phone too, as registered ones do.
    pub phone: Option<&'static str>,
    /// A government handler (003 §4.1.2): its department, user type and menu permissions.
    pub handler: Option<Handler>,
}

#[derive(Debug, Clone, Copy)]
pub struct Handler {
    pub department: &'static str,
    pub user_type: &'static str,
    pub permissions: &'static [&'static str],
}

const fn demo(username: &'static str, display_name: &'static str, organization: &'static str, roles: &'static [Role], plays: &'static str) -> DemoAccount {
    DemoAccount { username, display_name, organization, roles, plays, phone: None, handler: None }
}

const fn handler(username: &'static str, display_name: &'static str, organization: &'static str, plays: &'static str, h: Handler) -> DemoAccount {
    DemoAccount { handler: Some(h), ..demo(username, display_name, organization, &[Role::Member], plays) }
}

const HUIZHOU_BUREAU: &str = "惠州市工业和信息化局";
const HUICHENG_BUREAU: &str = "惠州市惠城区工业和信息化局";
/// The responsible sections (责任科室) seeded for Huizhou's calls: (bureau, department).
const DEMO_SECTIONS: &[(&str, &str)] = &[(HUIZHOU_BUREAU, "信息化推进科"), (HUICHENG_BUREAU, "经济信息化股")];
const CITY_HANDLER: &[&str] = &["reviews", "calls", "projects_center"];
const DISTRICT_HANDLER: &[&str] = &["reviews", "projects_center"];

/// One account for every role of 00-overview.md.
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount { phone: Some("13800000001"), ..demo("enterprise_demo", "华阳精机经办人", "惠州市华阳精机有限公司", &[Role::OrgAdmin], "企业") },
    DemoAccount { phone: Some("13800000002"), ..demo("provider_demo", "飞讯软件经办人", "惠州市飞讯软件服务有限公司", &[Role::OrgAdmin], "服务商") },
    demo("leadunit_demo", "牵引单位管理员", "江门市智能制造数字化牵引单位（演示）", &[Role::OrgAdmin], "数字化牵引单位"),
    demo("leadunit2_demo", "五金卫浴牵引单位管理员", "江门市五金卫浴数字化牵引单位（演示）", &[Role::OrgAdmin], "数字化牵引单位（第二家）"),
    demo("town_demo", "白沙街道经办", "江门市蓬江区白沙街道办事处", &[Role::OrgAdmin], "镇街"),
    demo("thirdparty_demo", "预审机构经办", "江门市数字化转型预审机构（演示）", &[Role::OrgAdmin], "第三方（预审/初审机构）"),
    demo("agency_demo", "诊断机构经办", "江门市数字化诊断评估机构（演示）", &[Role::OrgAdmin], "诊断/评估机构"),
    demo("expert_demo", "张专家", "江门市数字化转型专家库（演示）", &[Role::Expert], "专家"),
    demo("jiangmen_admin", "江门市工信局管理员", "江门市工业和信息化局", &[Role::OrgAdmin], "市工信局"),
    demo("pengjiang_admin", "蓬江区工信局管理员", "江门市蓬江区工业和信息化局", &[Role::OrgAdmin], "区县工信"),
    demo("zhongshan_admin", "中山市工信局管理员", "中山市工业和信息化局", &[Role::OrgAdmin], "市工信局"),
    demo("huizhou_admin", "惠州市工信局管理员", HUIZHOU_BUREAU, &[Role::OrgAdmin], "市工信局"),
    handler("huizhou_handler", "信息化推进科经办", HUIZHOU_BUREAU, "市科室经办", Handler { department: "信息化推进科", user_type: "city_section_member", permissions: CITY_HANDLER }),
    handler("huizhou_leader", "信息化推进科科长", HUIZHOU_BUREAU, "市科室领导", Handler { department: "信息化推进科", user_type: "city_section_leader", permissions: CITY_HANDLER }),
    demo("huicheng_admin", "惠城区工信局管理员", HUICHENG_BUREAU, &[Role::OrgAdmin], "区县工信（惠州）"),
    handler("huicheng_handler", "经济信息化股经办", HUICHENG_BUREAU, "区县经办", Handler { department: "经济信息化股", user_type: "district_member", permissions: DISTRICT_HANDLER }),
    demo("guangdong_admin", "广东省工信厅管理员", "广东省工业和信息化厅", &[Role::OrgAdmin], "省工信厅"),
    demo("xiamen_admin", "厦门市工信局管理员", "厦门市工业和信息化局", &[Role::OrgAdmin], "市工信局（厦门）"),
    DemoAccount { phone: Some("13800000003"), ..demo("xiamen_enterprise_demo", "鹭芯电子经办人", XIAMEN_ENTERPRISE, &[Role::OrgAdmin], "企业（厦门）") },
    DemoAccount { phone: Some("13800000004"), ..demo("zhongshan_enterprise_demo", "小榄精工经办人", ZHONGSHAN_ENTERPRISE, &[Role::OrgAdmin], "企业（中山，项目备案）") },
    demo("xiaolan_town_demo", "小榄镇经办", "中山市小榄镇人民政府", &[Role::OrgAdmin], "镇街（中山小榄镇）"),
    demo("zhongshan_thirdparty_demo", "第三方初审经办", ZHONGSHAN_THIRD_PARTY, &[Role::OrgAdmin], "第三方（中山备案初审）"),
    demo("diagnosis_agency_demo", "诊断评估经办", DIAGNOSIS_AGENCY, &[Role::OrgAdmin], "诊断机构（事前诊断）"),
    demo("zhongshan_leadunit_demo", "五金家电牵引单位经办", ZHONGSHAN_LEAD_UNIT, &[Role::OrgAdmin], "数字化牵引单位（中山，协助签约）"),
    demo("zhongshan_expert_demo", "李验收", ZHONGSHAN_EXPERTS, &[Role::Expert], "验收专家（中山，项目入库）"),
    demo("zhongshan_expert2_demo", "王验收", ZHONGSHAN_EXPERTS, &[Role::Expert], "验收专家（中山，第二位）"),
    DemoAccount { phone: Some("13800000005"), ..demo("zhongshan_provider_demo", "智汇五金云经办人", ZHONGSHAN_PROVIDER, &[Role::OrgAdmin], "服务商（中山，产品已入池）") },
    demo("operator_admin", "平台运营管理员", "平台运营中心", &[Role::OrgAdmin], "平台运营"),
    demo("system_admin", "系统管理员", "平台运营中心", &[Role::SystemAdmin], "系统管理员"),
    demo("security_admin", "安全管理员", "平台运营中心", &[Role::SecurityAdmin], "安全管理员"),
    demo("audit_admin", "审计管理员", "平台运营中心", &[Role::AuditAdmin], "审计管理员"),
];

/// A Xiamen enterprise eligible for the seeded Xiamen pilot call (004): 3971 电子真空器件制造 (under 397 电子器件
/// 制造), 中型, in 思明区.
pub const XIAMEN_ENTERPRISE: &str = "厦门鹭芯电子器件有限公司（演示）";

/// A Zhongshan enterprise in 小榄镇 that files a pilot project (002); made up for the demo.
pub const ZHONGSHAN_ENTERPRISE: &str = "中山市小榄精工五金制品有限公司（演示）";
/// A Zhongshan provider whose two products the demo puts into the Zhongshan lead unit's pool (see [`pool`]);
/// made up for the demo.
pub const ZHONGSHAN_PROVIDER: &str = "中山市智汇五金云科技有限公司（演示）";
/// The lead unit the Zhongshan enterprise signs with.
pub const ZHONGSHAN_LEAD_UNIT: &str = "中山市五金家电数字化牵引单位（演示）";
/// The third party Zhongshan commissions for 第三方初审 of filings (002); made up for the demo.
pub const ZHONGSHAN_THIRD_PARTY: &str = "中山市数字化转型第三方初审机构（演示）";

/// Zhongshan's pool of 验收专家 for 项目入库 (002); made up for the demo. Each expert reviews only the projects
/// the city assigns to them.
pub const ZHONGSHAN_EXPERTS: &str = "中山市数字化转型验收专家库（演示）";

/// The comprehensive agency whose demo account writes 事前诊断 reports (one of `config::COMPREHENSIVE_AGENCIES`:
/// a real institute named by seed 002, registered here for the demo without a credit code).
pub const DIAGNOSIS_AGENCY: &str = "中国电子信息产业发展研究院";

/// Non-government demo organizations: (name, kind, region path, certification status).
const OTHER_ORGS: &[(&str, OrgKind, &[&str], CertificationStatus)] = &[
    ("惠州市华阳精机有限公司", OrgKind::Enterprise, &["广东省", "惠州市", "惠城区"], CertificationStatus::None),
    ("惠州市飞讯软件服务有限公司", OrgKind::Provider, &["广东省", "惠州市", "惠城区"], CertificationStatus::Certified),
    ("江门市智能制造数字化牵引单位（演示）", OrgKind::LeadUnit, &["广东省", "江门市"], CertificationStatus::None),
    ("江门市五金卫浴数字化牵引单位（演示）", OrgKind::LeadUnit, &["广东省", "江门市"], CertificationStatus::None),
    ("江门市纺织服装数字化牵引单位（演示）", OrgKind::LeadUnit, &["广东省", "江门市"], CertificationStatus::None),
    ("江门市数字化转型预审机构（演示）", OrgKind::Agency, &["广东省", "江门市"], CertificationStatus::None),
    ("江门市数字化诊断评估机构（演示）", OrgKind::Agency, &["广东省", "江门市"], CertificationStatus::None),
    ("江门市数字化转型专家库（演示）", OrgKind::Agency, &["广东省", "江门市"], CertificationStatus::None),
    ("平台运营中心", OrgKind::Operator, &[], CertificationStatus::None),
    (XIAMEN_ENTERPRISE, OrgKind::Enterprise, &["福建省", "厦门市", "思明区"], CertificationStatus::None),
    (ZHONGSHAN_ENTERPRISE, OrgKind::Enterprise, &["广东省", "中山市", "小榄镇"], CertificationStatus::None),
    (ZHONGSHAN_THIRD_PARTY, OrgKind::Agency, &["广东省", "中山市"], CertificationStatus::None),
    (ZHONGSHAN_LEAD_UNIT, OrgKind::LeadUnit, &["广东省", "中山市"], CertificationStatus::None),
    (ZHONGSHAN_PROVIDER, OrgKind::Provider, &["广东省", "中山市", "小榄镇"], CertificationStatus::Certified),
    (ZHONGSHAN_EXPERTS, OrgKind::Agency, &["广东省", "中山市"], CertificationStatus::None),
    // Seed 002's five comprehensive agencies (national, no region): 事前诊断 and 事后评估.
    ("中国信息通信研究院", OrgKind::Agency, &[], CertificationStatus::None),
    ("中国工业互联网研究院", OrgKind::Agency, &[], CertificationStatus::None),
    (DIAGNOSIS_AGENCY, OrgKind::Agency, &[], CertificationStatus::None),
    ("工业和信息化部电子第五研究所", OrgKind::Agency, &[], CertificationStatus::None),
    ("国家工业信息安全发展研究中心", OrgKind::Agency, &[], CertificationStatus::None),
];

/// The 34 Huizhou smart-manufacturing ecosystem partners listed at the end of seed 003 (real names).
/// Their credit codes here are made up for the demo (checksum-valid, 惠城区 region digits).
pub const HUIZHOU_PARTNERS: &[&str] = &[
    "广东省威汇智能科技有限公司", "惠州华阳通用电子有限公司", "广东利元亨智能装备股份有限公司", "惠州市赢合科技有限公司",
    "惠州市德赛自动化技术有限公司", "广东九联科技股份有限公司", "惠州市飞讯软件服务有限公司", "伟乐视讯科技股份有限公司",
    "惠州视维新技术有限公司", "惠州市广工大物联网协同创新研究院有限公司", "惠州中科先进制造研究中心有限公司",
    "广东绿建联节能服务有限公司", "TCL通力电子（惠州）有限公司", "惠州市德赛西威汽车电子股份有限公司",
    "TCL王牌电器（惠州）有限公司", "惠州市华星光电技术有限公司", "TCL科技集团股份有限公司", "基准精密工业（惠州）有限公司",
    "胜宏科技（惠州）股份有限公司", "惠州市华辉信达电子有限公司", "TCL海外电子（惠州）有限公司", "惠州TCL移动通信有限公司",
    "惠州亿纬锂能股份有限公司", "广东立冠科技有限公司", "惠州市华阳多媒体电子有限公司", "惠州市华阳智能技术有限公司",
    "惠州拓邦电气技术有限公司", "欣旺达惠州动力新能源有限公司", "惠州市博实结科技有限公司", "广东力王高新科技股份有限公司",
    "华润三九现代中药制药有限公司", "华显光电技术（惠州）有限公司", "惠州雷曼光电科技有限公司", "惠州市华阳精机有限公司",
];

/// A made-up but checksum-valid credit code for the i-th demo company.
pub fn demo_uscc(i: usize) -> String {
    let body = format!("91441302MA5{:05}1", 10000 + i);
    let check = shuzhuan_core::Uscc::compute_check_char(&body).expect("valid body");
    format!("{body}{check}")
}

/// The made-up, checksum-valid credit code of the Xiamen demo enterprise (思明区 region digits).
pub fn xiamen_uscc() -> String {
    let body = "91350203MA8Y00011";
    let check = shuzhuan_core::Uscc::compute_check_char(body).expect("valid body");
    format!("{body}{check}")
}

/// The made-up, checksum-valid credit code of the Zhongshan demo enterprise (中山市 region digits).
pub fn zhongshan_uscc() -> String {
    let body = "91442000MA4W00021";
    let check = shuzhuan_core::Uscc::compute_check_char(body).expect("valid body");
    format!("{body}{check}")
}

/// The made-up, checksum-valid credit code of the Zhongshan demo provider (中山市 region digits).
pub fn zhongshan_provider_uscc() -> String {
    let body = "91442000MA4W00031";
    let check = shuzhuan_core::Uscc::compute_check_char(body).expect("valid body");
    format!("{body}{check}")
}

/// (name, region path by names from the province down, parent body's name)
const GOVERNMENT_BODIES: &[(&str, &[&str], Option<&str>)] = &[
    ("广东省工业和信息化厅", &["广东省"], None),
    ("福建省工业和信息化厅", &["福建省"], None),
    ("江门市工业和信息化局", &["广东省", "江门市"], Some("广东省工业和信息化厅")),
    ("中山市工业和信息化局", &["广东省", "中山市"], Some("广东省工业和信息化厅")),
    ("惠州市工业和信息化局", &["广东省", "惠州市"], Some("广东省工业和信息化厅")),
    ("厦门市工业和信息化局", &["福建省", "厦门市"], Some("福建省工业和信息化厅")),
    ("江门市蓬江区工业和信息化局", &["广东省", "江门市", "蓬江区"], Some("江门市工业和信息化局")),
    ("江门市新会区工业和信息化局", &["广东省", "江门市", "新会区"], Some("江门市工业和信息化局")),
    ("惠州市惠城区工业和信息化局", &["广东省", "惠州市", "惠城区"], Some("惠州市工业和信息化局")),
    ("惠州市惠阳区工业和信息化局", &["广东省", "惠州市", "惠阳区"], Some("惠州市工业和信息化局")),
    ("厦门市思明区工业和信息化局", &["福建省", "厦门市", "思明区"], Some("厦门市工业和信息化局")),
    // Zhongshan has no districts: its towns answer to the city bureau directly.
    ("中山市小榄镇人民政府", &["广东省", "中山市", "小榄镇"], Some("中山市工业和信息化局")),
    ("中山市古镇镇人民政府", &["广东省", "中山市", "古镇镇"], Some("中山市工业和信息化局")),
    ("江门市蓬江区白沙街道办事处", &["广东省", "江门市", "蓬江区", "白沙街道"], Some("江门市蓬江区工业和信息化局")),
];

/// The department `name` of `org_id`, created when missing.
async fn ensure_department(db: &impl sea_orm::ConnectionTrait, org_id: &str, name: &str) -> anyhow::Result<String> {
    use crate::directory::department;
    let found = department::Entity::find().filter(department::Column::OrganizationId.eq(org_id)).filter(department::Column::Name.eq(name)).one(db).await?;
    if let Some(d) = found {
        return Ok(d.id);
    }
    let now = chrono::Utc::now();
    let id = uuid::Uuid::now_v7().to_string();
    department::Entity::insert(department::ActiveModel {
        id: sea_orm::ActiveValue::Set(id.clone()),
        organization_id: sea_orm::ActiveValue::Set(org_id.to_owned()),
        parent_id: sea_orm::ActiveValue::Set(None),
        name: sea_orm::ActiveValue::Set(name.to_owned()),
        leader: sea_orm::ActiveValue::Set(None),
        sort_order: sea_orm::ActiveValue::Set(1),
        enabled: sea_orm::ActiveValue::Set(true),
        created_at: sea_orm::ActiveValue::Set(now),
        updated_at: sea_orm::ActiveValue::Set(now),
    })
    .exec(db)
    .await?;
    Ok(id)
}

/// Placeholder organizations of the default flows, bound to demo organizations.
const REVIEW_BINDINGS: &[(&str, &str)] = &[
    (shuzhuan_core::review::OPERATOR, "平台运营中心"),
    (shuzhuan_core::review::PRE_REVIEW_ORG, "江门市数字化转型预审机构（演示）"),
    (shuzhuan_core::review::THIRD_PARTY_REVIEW_ORG, ZHONGSHAN_THIRD_PARTY),
    (shuzhuan_core::review::VOUCHER_EVALUATION_ORG, "江门市数字化诊断评估机构（演示）"),
];

#[derive(Debug, Default)]
pub struct SeedReport {
    pub organizations: usize,
    pub companies: usize,
    pub accounts_created: Vec<&'static str>,
    pub calls: usize,
}

async fn region_by_path(db: &impl sea_orm::ConnectionTrait, names: &[&str]) -> anyhow::Result<String> {
    let mut parent: Option<String> = None;
    for name in names {
        let mut q = region::Entity::find().filter(region::Column::Name.eq(*name));
        q = match &parent {
            Some(p) => q.filter(region::Column::ParentCode.eq(p.clone())),
            None => q.filter(region::Column::ParentCode.is_null()),
        };
        let found = q.one(db).await?.ok_or_else(|| anyhow::anyhow!("reference data has no region {}", names.join("/")))?;
        parent = Some(found.code);
    }
    parent.ok_or_else(|| anyhow::anyhow!("empty region path"))
}

pub async fn seed_demo(db: &DatabaseConnection, crypto: &crate::crypto::FieldCrypto) -> anyhow::Result<SeedReport> {
    // Seeding is not a request: one hash at a time on a gate of its own, off the async runtime.
    let passwords = crate::password::Passwords::new(crate::gate::Gate::new("seed_password_hashing", 1, std::time::Duration::from_secs(600)));
    let txn = crate::db::begin_write(db).await?;
    let mut report = SeedReport::default();
    for (name, path, parent) in GOVERNMENT_BODIES {
        let region_code = region_by_path(&txn, path).await?;
        let parent_id = match parent {
            Some(p) => Some(
                org::Entity::find()
                    .filter(org::Column::Name.eq(*p))
                    .one(&txn)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("parent {p} is seeded first"))?
                    .id,
            ),
            None => None,
        };
        directory::ensure(
            &txn,
            NewOrg { name, kind: OrgKind::Government, uscc: None, region_code: Some(&region_code), parent_id: parent_id.as_deref() },
        )
        .await?;
        report.organizations += 1;
    }
    let partners: Vec<crate::companies::CompanyRow> = HUIZHOU_PARTNERS
        .iter()
        .enumerate()
        .map(|(i, name)| crate::companies::CompanyRow {
            name: (*name).to_string(),
            uscc: demo_uscc(i),
            region_code: Some("441302".into()),
            address: Some("广东省惠州市惠城区（演示地址）".into()),
            industry_code: Some(if name.contains("软件") || name.contains("视讯") { "65" } else { "39" }.into()),
            // Made up for the demo, like the codes.
            established_on: Some(format!("{}-{:02}-{:02}", 1995 + i % 25, 1 + i % 12, 1 + (i * 7) % 28)),
        })
        .collect();
    report.companies = crate::companies::upsert(&txn, &partners, "seed-demo: 003 惠州市智能制造生态合作伙伴名单").await?;
    crate::enterprises::dishonest::seed_demo(&txn, &region_by_path(&txn, &["广东省", "惠州市", "惠城区"]).await?).await?;
    for (name, kind, path, status) in OTHER_ORGS {
        let region_code = if path.is_empty() { None } else { Some(region_by_path(&txn, path).await?) };
        let uscc = HUIZHOU_PARTNERS.iter().position(|p| p == name).map(demo_uscc).or_else(|| (*name == XIAMEN_ENTERPRISE).then(xiamen_uscc))
            .or_else(|| (*name == ZHONGSHAN_ENTERPRISE).then(zhongshan_uscc))
            .or_else(|| (*name == ZHONGSHAN_PROVIDER).then(zhongshan_provider_uscc));
        let org = directory::ensure(&txn, NewOrg { name, kind: *kind, uscc: uscc.as_deref(), region_code: region_code.as_deref(), parent_id: None }).await?;
        if crate::directory::profile::Entity::find_by_id(org.id.clone()).one(&txn).await?.is_none() {
            let xiamen = *name == XIAMEN_ENTERPRISE;
            let zhongshan = *name == ZHONGSHAN_ENTERPRISE;
            crate::directory::profile::Entity::insert(crate::directory::profile::ActiveModel {
                certification_status: sea_orm::ActiveValue::Set(*status),
                industry_code: sea_orm::ActiveValue::Set(xiamen.then(|| "3971".to_owned()).or_else(|| zhongshan.then(|| "3389".to_owned()))),
                size: sea_orm::ActiveValue::Set(xiamen.then(|| "中型".to_owned()).or_else(|| zhongshan.then(|| "小型".to_owned()))),
                address: sea_orm::ActiveValue::Set(
                    xiamen.then(|| "福建省厦门市思明区（演示地址）".to_owned()).or_else(|| zhongshan.then(|| "广东省中山市小榄镇（演示地址）".to_owned())),
                ),
                main_product: sea_orm::ActiveValue::Set(zhongshan.then(|| "五金制品 / 卫浴五金".to_owned())),
                headcount: sea_orm::ActiveValue::Set(zhongshan.then_some(86)),
                updated_at: sea_orm::ActiveValue::Set(chrono::Utc::now()),
                ..crate::directory::profile::empty(&org.id)
            })
            .exec(&txn)
            .await?;
        }
        report.organizations += 1;
    }
    // The organizations the flows' placeholders mean in the demo (000: the pre-review org; 002: the third
    // party of filing review; 001: the voucher evaluator and the operator).
    for (placeholder, name) in REVIEW_BINDINGS {
        let org = org::Entity::find()
            .filter(org::Column::Name.eq(*name))
            .one(&txn)
            .await?
            .ok_or_else(|| anyhow::anyhow!("organization {name} is seeded"))?;
        crate::review::flows::bind(&txn, placeholder, &org.id).await?;
    }
    for account in DEMO_ACCOUNTS {
        if accounts::find_by_username(&txn, account.username).await?.is_some() {
            continue;
        }
        let org = org::Entity::find()
            .filter(org::Column::Name.eq(account.organization))
            .one(&txn)
            .await?
            .ok_or_else(|| anyhow::anyhow!("organization {} is seeded", account.organization))?;
        let password = passwords.hash(DEMO_PASSWORD).await?;
        accounts::create_user(
            &txn,
            crypto,
            NewUser {
                organization_id: &org.id,
                username: account.username,
                display_name: account.display_name,
                password: &password,
                roles: account.roles,
                must_change_password: false,
                phone: account.phone,
                phone_login: account.phone.is_some(),
            },
        )
        .await?;
        if let Some(h) = account.handler {
            let department = ensure_department(&txn, &org.id, h.department).await?;
            directory::user::Entity::update_many()
                .col_expr(directory::user::Column::DepartmentId, Expr::value(department))
                .col_expr(directory::user::Column::UserType, Expr::value(h.user_type))
                .col_expr(directory::user::Column::Permissions, Expr::value(serde_json::to_string(h.permissions)?))
                .filter(directory::user::Column::Username.eq(account.username))
                .exec(&txn)
                .await?;
        }
        report.accounts_created.push(account.username);
    }
    // The seeded calls of data/calls (Huizhou 2024 smart-manufacturing partners, Xiamen pilot enterprises).
    report.calls = crate::calls::import::import_seeded(&txn).await?.iter().map(|i| i.calls).sum();
    // Huizhou's bureaus have set their responsible sections for every track of their calls (003 §4.1.3, §4.4.3).
    for (bureau, name) in DEMO_SECTIONS {
        let org = org::Entity::find().filter(org::Column::Name.eq(*bureau)).one(&txn).await?.ok_or_else(|| anyhow::anyhow!("{bureau} is seeded"))?;
        let department = ensure_department(&txn, &org.id, name).await?;
        let city = if *bureau == HUIZHOU_BUREAU { org.id.clone() } else { org.parent_id.clone().unwrap_or_default() };
        let tracks: Vec<String> = crate::calls::entity::call::Entity::find()
            .filter(crate::calls::entity::call::Column::OrgId.eq(city))
            .all(&txn)
            .await?
            .into_iter()
            .map(|c| crate::calls::kind::section_scope(&c.track_id))
            .collect();
        let assigned = crate::review::sections::assigned(&txn, &org.id).await?;
        let missing: Vec<String> = tracks.into_iter().filter(|t| !assigned.contains_key(t)).collect();
        crate::review::sections::assign(&txn, &org.id, &missing, Some(&department), "seed-demo").await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    txn.commit().await?;
    Ok(report)
}
