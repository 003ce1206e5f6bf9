//! `seed-demo`: a small, realistic world to try the platform in: the pilot cities' government bodies and
//! demo accounts. Idempotent: running it again changes nothing that exists.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use crate::accounts::{self, NewUser, Role};
use crate::orgs::{self, NewOrg, OrgKind};
use crate::reference::entity::region;

/// Printed by `seed-demo` and by `make run`, so a newcomer can sign in at once.
pub const DEMO_PASSWORD: &str = "Shuzhuan@2026";

pub struct DemoAccount {
    pub username: &'static str,
    pub display_name: &'static str,
    pub organization: &'static str,
    pub roles: &'static [Role],
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount { username: "jiangmen_admin", display_name: "江门市工信局管理员", organization: "江门市工业和信息化局", roles: &[Role::OrgAdmin] },
    DemoAccount { username: "zhongshan_admin", display_name: "中山市工信局管理员", organization: "中山市工业和信息化局", roles: &[Role::OrgAdmin] },
    DemoAccount { username: "huizhou_admin", display_name: "惠州市工信局管理员", organization: "惠州市工业和信息化局", roles: &[Role::OrgAdmin] },
    DemoAccount { username: "guangdong_admin", display_name: "广东省工信厅管理员", organization: "广东省工业和信息化厅", roles: &[Role::OrgAdmin] },
];

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

#[derive(Debug, Default)]
pub struct SeedReport {
    pub organizations: usize,
    pub accounts_created: Vec<&'static str>,
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

pub async fn seed_demo(db: &DatabaseConnection) -> anyhow::Result<SeedReport> {
    let txn = db.begin().await?;
    let mut report = SeedReport::default();
    for (name, path, parent) in GOVERNMENT_BODIES {
        let region_code = region_by_path(&txn, path).await?;
        let parent_id = match parent {
            Some(p) => Some(
                orgs::entity::Entity::find()
                    .filter(orgs::entity::Column::Name.eq(*p))
                    .one(&txn)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("parent {p} is seeded first"))?
                    .id,
            ),
            None => None,
        };
        orgs::ensure(
            &txn,
            NewOrg { name, kind: OrgKind::Government, uscc: None, region_code: Some(&region_code), parent_id: parent_id.as_deref() },
        )
        .await?;
        report.organizations += 1;
    }
    for account in DEMO_ACCOUNTS {
        if accounts::find_by_username(&txn, account.username).await?.is_some() {
            continue;
        }
        let org = orgs::entity::Entity::find()
            .filter(orgs::entity::Column::Name.eq(account.organization))
            .one(&txn)
            .await?
            .ok_or_else(|| anyhow::anyhow!("organization {} is seeded", account.organization))?;
        accounts::create_user(
            &txn,
            NewUser {
                organization_id: &org.id,
                username: account.username,
                display_name: account.display_name,
                password: DEMO_PASSWORD,
                roles: account.roles,
                must_change_password: false,
            },
        )
        .await?;
        report.accounts_created.push(account.username);
    }
    txn.commit().await?;
    Ok(report)
}
