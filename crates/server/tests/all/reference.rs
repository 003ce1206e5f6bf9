//! Reference data through the API: the region cascade and the industry tree.

use crate::common::{json, TestApp};

both!(provinces_then_cities_then_districts, zhongshan_towns_sit_under_the_city, region_path_from_province_down,
    bad_region_codes_are_refused, industry_tree_has_all_four_levels, loading_reference_data_again_changes_nothing);

async fn provinces_then_cities_then_districts(app: TestApp) {
    let provinces = json(app.get("/api/regions").await).await;
    let items = provinces["items"].as_array().unwrap();
    assert_eq!(items.len(), 31);
    let gd = items.iter().find(|p| p["name"] == "广东省").unwrap();
    assert_eq!(gd["code"], "440000");
    assert_eq!(gd["level"], "province");
    assert_eq!(gd["has_children"], true);

    let cities = json(app.get("/api/regions?parent=440000").await).await;
    let jiangmen = cities["items"].as_array().unwrap().iter().find(|c| c["name"] == "江门市").unwrap().clone();
    assert_eq!(jiangmen["code"], "440700");
    assert_eq!(cities["items"].as_array().unwrap().len(), 21, "Guangdong has 21 prefecture-level cities");

    let districts = json(app.get("/api/regions?parent=440700").await).await;
    let names: Vec<&str> = districts["items"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    for d in ["蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"] {
        assert!(names.contains(&d), "{d} in {names:?}");
    }
    let pengjiang = districts["items"].as_array().unwrap().iter().find(|d| d["name"] == "蓬江区").unwrap();
    assert_eq!(pengjiang["has_children"], true, "Jiangmen's towns are shipped");
    let towns = json(app.get(&format!("/api/regions?parent={}", pengjiang["code"].as_str().unwrap())).await).await;
    assert!(towns["items"].as_array().unwrap().iter().any(|t| t["name"] == "白沙街道"));
    assert!(towns["items"].as_array().unwrap().iter().all(|t| t["level"] == "town" && t["has_children"] == false));
}

async fn zhongshan_towns_sit_under_the_city(app: TestApp) {
    let towns = json(app.get("/api/regions?parent=442000").await).await;
    let items = towns["items"].as_array().unwrap();
    assert!(items.len() >= 20);
    assert!(items.iter().all(|t| t["level"] == "town"));
    assert!(items.iter().any(|t| t["name"] == "小榄镇"));
}

async fn region_path_from_province_down(app: TestApp) {
    let body = json(app.get("/api/regions/440703").await).await;
    assert_eq!(body["name"], "蓬江区");
    let path: Vec<&str> = body["path"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(path, ["广东省", "江门市", "蓬江区"]);
    assert_eq!(app.get("/api/regions/449999").await.status(), 404);
}

async fn bad_region_codes_are_refused(app: TestApp) {
    for bad in ["abc", "44070", "4407000000"] {
        let res = app.get(&format!("/api/regions?parent={bad}")).await;
        assert_eq!(res.status(), 422, "{bad}");
        let body = json(res).await;
        assert_eq!(body["error"]["fields"][0]["field"], "parent");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
}

async fn industry_tree_has_all_four_levels(app: TestApp) {
    let body = json(app.get("/api/industries").await).await;
    let sections = body["items"].as_array().unwrap();
    assert_eq!(sections.len(), 20);
    let c = sections.iter().find(|s| s["code"] == "C").unwrap();
    assert_eq!(c["name"], "制造业");
    assert_eq!(c["level"], "section");
    let divisions = c["children"].as_array().unwrap();
    assert_eq!(divisions.len(), 31);
    assert!(divisions.iter().any(|d| d["code"] == "39" && d["name"] == "计算机、通信和其他电子设备制造业"));
    let total: usize = sections.iter().map(|s| s["children"].as_array().unwrap().len()).sum();
    assert_eq!(total, 97);

    let d39 = divisions.iter().find(|d| d["code"] == "39").unwrap();
    let g397 = d39["children"].as_array().unwrap().iter().find(|g| g["code"] == "397").unwrap();
    assert_eq!((g397["name"].as_str(), g397["level"].as_str()), (Some("电子器件制造"), Some("group")));
    let c3971 = g397["children"].as_array().unwrap().iter().find(|c| c["code"] == "3971").unwrap();
    assert_eq!((c3971["name"].as_str(), c3971["level"].as_str()), (Some("电子真空器件制造"), Some("class")));
    assert!(c3971["children"].as_array().unwrap().is_empty());

    let mut per_level = std::collections::HashMap::<String, usize>::new();
    fn walk(nodes: &[serde_json::Value], per_level: &mut std::collections::HashMap<String, usize>) {
        for n in nodes {
            *per_level.entry(n["level"].as_str().unwrap().to_owned()).or_default() += 1;
            walk(n["children"].as_array().unwrap(), per_level);
        }
    }
    walk(sections, &mut per_level);
    assert_eq!((per_level["section"], per_level["division"], per_level["group"], per_level["class"]), (20, 97, 473, 1382));
}

async fn loading_reference_data_again_changes_nothing(app: TestApp) {
    let before = app.count("regions").await;
    let report = shuzhuan::reference::load(&app.state.db).await.unwrap();
    assert_eq!((report.regions_added, report.regions_renamed, report.industries_added), (0, 0, 0));
    assert_eq!(app.count("regions").await, before);
}
