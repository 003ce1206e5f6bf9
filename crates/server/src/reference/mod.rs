//! Reference data: administrative divisions (GB/T 2260 plus the towns of the pilot cities) and the
//! national industry classification (GB/T 4754-2017). Shipped in `data/reference/` with their sources,
//! built into the binary, loaded into the database by `migrate`, and served for cascaders and trees.

pub mod entity;
mod handlers;

use std::collections::{HashMap, HashSet};

use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub use handlers::{IndustryNode, RegionItem, RegionPathItem};

pub const REGIONS_JSON: &str = include_str!("../../../../data/reference/regions.json");
pub const INDUSTRIES_JSON: &str = include_str!("../../../../data/reference/industries.json");

#[derive(Debug, Clone, Deserialize)]
pub struct Row {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent: Option<String>,
}

pub fn regions() -> Vec<Row> {
    serde_json::from_str(REGIONS_JSON).expect("data/reference/regions.json is valid (checked by tests)")
}

pub fn industries() -> Vec<Row> {
    serde_json::from_str(INDUSTRIES_JSON).expect("data/reference/industries.json is valid (checked by tests)")
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::list_regions))
        .routes(routes!(handlers::get_region))
        .routes(routes!(handlers::list_industries))
}

/// Parents before children, so foreign keys hold while inserting.
fn by_depth<'a>(rows: &'a [Row]) -> Vec<&'a Row> {
    let index: HashMap<&str, &'a Row> = rows.iter().map(|r| (r.code.as_str(), r)).collect();
    let depth = |mut r: &'a Row| -> usize {
        let mut d = 0;
        while let Some(p) = r.parent.as_deref().and_then(|p| index.get(p)) {
            d += 1;
            r = p;
        }
        d
    };
    let mut sorted: Vec<(usize, &Row)> = rows.iter().map(|r| (depth(r), r)).collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
    sorted.into_iter().map(|(_, r)| r).collect()
}

/// Inserts missing rows and renames changed ones; never deletes (organizations may point at old codes).
/// Idempotent, so `migrate` can run it every time.
pub async fn load(db: &DatabaseConnection) -> Result<LoadReport, sea_orm::DbErr> {
    use entity::{industry, region};
    let txn = crate::db::begin_write(db).await?;

    let existing: HashMap<String, String> =
        region::Entity::find().all(&txn).await?.into_iter().map(|m| (m.code, m.name)).collect();
    let rows = regions();
    let mut new_regions = Vec::new();
    let mut renamed = 0;
    for r in by_depth(&rows) {
        match existing.get(&r.code) {
            None => new_regions.push(region::ActiveModel {
                code: Set(r.code.clone()),
                name: Set(r.name.clone()),
                level: Set(r.level.clone()),
                parent_code: Set(r.parent.clone()),
            }),
            Some(name) if name != &r.name => {
                region::Entity::update(region::ActiveModel {
                    code: Set(r.code.clone()),
                    name: Set(r.name.clone()),
                    ..Default::default()
                })
                .exec(&txn)
                .await?;
                renamed += 1;
            }
            Some(_) => {}
        }
    }
    let regions_added = new_regions.len();
    // Chunks keep each statement well under SQLite's bound-variable limit; order is kept, so parents
    // always land in an earlier or the same statement as their children.
    for chunk in new_regions.chunks(500) {
        region::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }

    let existing: HashSet<String> = industry::Entity::find().all(&txn).await?.into_iter().map(|m| m.code).collect();
    let rows = industries();
    let new_industries: Vec<industry::ActiveModel> = by_depth(&rows)
        .into_iter()
        .filter(|r| !existing.contains(&r.code))
        .map(|r| industry::ActiveModel {
            code: Set(r.code.clone()),
            name: Set(r.name.clone()),
            level: Set(r.level.clone()),
            parent_code: Set(r.parent.clone()),
        })
        .collect();
    let industries_added = new_industries.len();
    for chunk in new_industries.chunks(500) {
        industry::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(LoadReport { regions_added, regions_renamed: renamed, industries_added })
}

#[derive(Debug, Clone, Copy)]
pub struct LoadReport {
    pub regions_added: usize,
    pub regions_renamed: usize,
    pub industries_added: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use shuzhuan_core::{IndustryCode, RegionCode};

    fn check_tree(rows: &[Row]) {
        let codes: HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes.len(), rows.len(), "codes are unique");
        for r in rows {
            if let Some(p) = &r.parent {
                assert!(codes.contains(p.as_str()), "parent {p} of {} exists", r.code);
            }
        }
    }

    fn count(rows: &[Row], level: &str) -> usize {
        rows.iter().filter(|r| r.level == level).count()
    }

    #[test]
    fn industries_have_all_four_levels_with_parents() {
        let rows = industries();
        check_tree(&rows);
        assert_eq!(count(&rows, "section"), 20, "GB/T 4754-2017 has 20 sections (门类)");
        assert_eq!(count(&rows, "division"), 97, "GB/T 4754-2017 has 97 divisions (大类)");
        assert_eq!(count(&rows, "group"), 473, "GB/T 4754-2017 has 473 groups (中类)");
        assert_eq!(count(&rows, "class"), 1382, "GB/T 4754-2017 with amendment No. 1 has 1,382 classes (小类)");
        for r in &rows {
            let code: IndustryCode = r.code.parse().unwrap_or_else(|e| panic!("{}: {e}", r.code));
            assert_eq!(code.level().as_str(), r.level, "{}", r.code);
            assert_eq!(code.parent().map(|p| p.to_string()), r.parent, "{}: parent follows from the code", r.code);
            assert!(!r.name.trim().is_empty());
        }
        let c = rows.iter().find(|r| r.code == "C").unwrap();
        assert_eq!(c.name, "制造业");
        assert_eq!(rows.iter().filter(|r| r.parent.as_deref() == Some("C")).count(), 31, "C has divisions 13-43");
        let name = |code: &str| rows.iter().find(|r| r.code == code).map(|r| r.name.as_str());
        assert_eq!(name("397"), Some("电子器件制造"));
        assert_eq!(name("3971"), Some("电子真空器件制造"));
        // Parents before children (for the foreign keys) across all four levels.
        let order: HashMap<&str, usize> = by_depth(&rows).iter().enumerate().map(|(i, r)| (r.code.as_str(), i)).collect();
        for r in &rows {
            if let Some(p) = &r.parent {
                assert!(order[p.as_str()] < order[r.code.as_str()], "{p} before {}", r.code);
            }
        }
    }

    #[test]
    fn regions_are_a_tree_with_the_pilot_cities_towns() {
        let rows = regions();
        check_tree(&rows);
        assert_eq!(count(&rows, "province"), 31, "the 31 provinces of the mainland (the package has no codes for HK, Macao, Taiwan)");
        assert!(count(&rows, "city") > 330);
        assert!(count(&rows, "district") > 2800);
        for r in &rows {
            let code: RegionCode = r.code.parse().unwrap_or_else(|e| panic!("{}: {e}", r.code));
            assert_eq!(code.level().as_str(), r.level, "{}", r.code);
        }
        let towns_under = |prefix: &str| rows.iter().filter(|r| r.level == "town" && r.code.starts_with(prefix)).count();
        for (city, name) in [("4407", "江门"), ("4420", "中山"), ("4413", "惠州"), ("3502", "厦门")] {
            assert!(towns_under(city) > 10, "{name} has its towns");
        }
        // Zhongshan has no districts: its towns sit directly under the city.
        assert!(rows.iter().filter(|r| r.code.starts_with("4420") && r.level == "town").all(|r| r.parent.as_deref() == Some("442000")));
        assert!(!rows.iter().any(|r| r.code.starts_with("4420") && r.level == "district"));
    }
}
