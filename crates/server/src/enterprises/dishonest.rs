//! The dishonest-entity list (失信被执行人名单 / 严重失信主体名单), imported from a file with
//! `shuzhuan import dishonest FILE`: CSV (UTF-8) or .xlsx with a header row naming 统一社会信用代码 and 企业名称, and
//! optionally 名单类型, 认定机关, 文号, 列入日期, 失信情形. Real lists come from 信用中国 (creditchina.gov.cn) and the
//! 全国法院失信被执行人名单 (zxgk.court.gov.cn); `data/dishonest-sample.csv` is a made-up sample.
//!
//! Every row is checked first: one bad row and nothing is imported, every problem listed by row number. A good file
//! replaces the whole list in one transaction (a check sees the old list or the new one, never a mix), and the
//! import (file name, row count, date) is recorded: every credit-check answer names the date of the list it used.

use std::collections::HashSet;
use std::path::Path as FsPath;

use chrono::Utc;
use sea_orm::sea_query::SelectStatement;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::time::ApiTime;

pub mod import {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "dishonest_imports")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub file_name: String,
        pub row_count: i32,
        pub imported_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "dishonest_entities")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub import_id: String,
        pub uscc: String,
        pub name: String,
        /// 失信被执行人 or 严重失信主体 (as the file names it).
        pub list_kind: String,
        /// 认定机关 / 执行法院.
        pub authority: Option<String>,
        /// 文号 / 案号.
        pub case_no: Option<String>,
        /// 列入日期, YYYY-MM-DD.
        pub listed_on: Option<String>,
        /// 失信情形.
        pub reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The list every answer is checked against.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DishonestListInfo {
    /// Whether a list was ever imported (if not, no answer can say 失信).
    pub imported: bool,
    pub imported_at: Option<ApiTime>,
    pub file_name: Option<String>,
    pub row_count: i32,
}

/// The current list's import, if any.
pub async fn list_info(db: &impl ConnectionTrait) -> Result<DishonestListInfo, DbErr> {
    let last = import::Entity::find().order_by_desc(import::Column::ImportedAt).one(db).await?;
    Ok(match last {
        Some(i) => DishonestListInfo { imported: true, imported_at: Some(crate::time::api(i.imported_at)), file_name: Some(i.file_name), row_count: i.row_count },
        None => DishonestListInfo { imported: false, imported_at: None, file_name: None, row_count: 0 },
    })
}

/// `SELECT uscc FROM dishonest_entities`, for filters.
pub fn listed_codes() -> SelectStatement {
    sea_orm::sea_query::Query::select().column(entry::Column::Uscc).from(entry::Entity).to_owned()
}

/// Which of `codes` are on the list.
pub async fn listed_among(db: &impl ConnectionTrait, codes: &[String]) -> Result<HashSet<String>, DbErr> {
    let mut out = HashSet::new();
    for chunk in codes.chunks(500) {
        out.extend(entry::Entity::find().filter(entry::Column::Uscc.is_in(chunk.to_vec())).all(db).await?.into_iter().map(|e| e.uscc));
    }
    Ok(out)
}

/// The entries of each of `codes`.
pub async fn entries_of(db: &impl ConnectionTrait, codes: &[String]) -> Result<Vec<entry::Model>, DbErr> {
    let mut out = Vec::new();
    for chunk in codes.chunks(500) {
        out.extend(entry::Entity::find().filter(entry::Column::Uscc.is_in(chunk.to_vec())).order_by_asc(entry::Column::ListedOn).all(db).await?);
    }
    Ok(out)
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("无法读取文件：{0}")]
    Read(String),
    #[error("缺少必需的列：{0}")]
    MissingColumn(&'static str),
    #[error("文件中有 {} 处问题，未导入任何数据（原名单保持不变）：\n{}", .0.len(), .0.join("\n"))]
    Rows(Vec<String>),
    #[error("文件中没有数据行")]
    Empty,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A checked row of the list file.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub uscc: String,
    pub name: String,
    pub list_kind: String,
    pub authority: Option<String>,
    pub case_no: Option<String>,
    pub listed_on: Option<String>,
    pub reason: Option<String>,
}

/// The table's rows (header first), every problem by row number.
pub fn parse_rows(table: &[Vec<String>]) -> Result<Vec<Row>, ImportError> {
    let header = table.first().ok_or(ImportError::Empty)?;
    let col = |name: &str| header.iter().position(|h| h.trim().trim_start_matches('*') == name);
    let uscc_col = col("统一社会信用代码").ok_or(ImportError::MissingColumn("统一社会信用代码"))?;
    let name_col = col("企业名称").ok_or(ImportError::MissingColumn("企业名称"))?;
    let (kind_col, authority_col, case_col, date_col, reason_col) = (col("名单类型"), col("认定机关"), col("文号"), col("列入日期"), col("失信情形"));
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, r) in table.iter().enumerate().skip(1) {
        let line = i + 1;
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |c: Option<usize>| c.and_then(|c| r.get(c)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let clip = |v: Option<String>, n: usize| v.map(|v| v.chars().take(n).collect::<String>());
        let Some((name, uscc)) = crate::companies::named_uscc(cell(Some(name_col)), cell(Some(uscc_col)), line, &mut problems) else {
            continue;
        };
        let listed_on = match cell(date_col) {
            None => None,
            Some(d) => match super::parse_date(&d) {
                Some(d) => Some(d),
                None => {
                    problems.push(format!("第{line}行（{name}）：列入日期应为 YYYY-MM-DD"));
                    continue;
                }
            },
        };
        rows.push(Row {
            uscc,
            name: name.chars().take(200).collect(),
            list_kind: clip(cell(kind_col), 40).unwrap_or_else(|| "失信被执行人".into()),
            authority: clip(cell(authority_col), 200),
            case_no: clip(cell(case_col), 100),
            listed_on,
            reason: clip(cell(reason_col), 2000),
        });
    }
    if !problems.is_empty() {
        return Err(ImportError::Rows(problems));
    }
    if rows.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(rows)
}

/// Replaces the list with `rows` inside the caller's transaction and records the import.
pub async fn replace(db: &impl ConnectionTrait, rows: &[Row], file_name: &str) -> Result<import::Model, DbErr> {
    let import_id = uuid::Uuid::now_v7().to_string();
    entry::Entity::delete_many().exec(db).await?;
    for chunk in rows.chunks(200) {
        let models = chunk.iter().map(|r| entry::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            import_id: Set(import_id.clone()),
            uscc: Set(r.uscc.clone()),
            name: Set(r.name.clone()),
            list_kind: Set(r.list_kind.clone()),
            authority: Set(r.authority.clone()),
            case_no: Set(r.case_no.clone()),
            listed_on: Set(r.listed_on.clone()),
            reason: Set(r.reason.clone()),
        });
        entry::Entity::insert_many(models).exec_without_returning(db).await?;
    }
    import::Entity::insert(import::ActiveModel {
        id: Set(import_id),
        file_name: Set(file_name.chars().take(200).collect()),
        row_count: Set(rows.len() as i32),
        imported_at: Set(Utc::now()),
    })
    .exec_with_returning(db)
    .await
}

/// `shuzhuan import dishonest FILE`: all rows or none; the previous list is replaced atomically.
pub async fn import_file(db: &sea_orm::DatabaseConnection, path: &FsPath) -> Result<import::Model, ImportError> {
    let table = crate::companies::read_table(path).map_err(|e| ImportError::Read(e.to_string()))?;
    let rows = parse_rows(&table)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let txn = crate::db::begin_write(db).await?;
    let done = replace(&txn, &rows, name).await?;
    txn.commit().await?;
    Ok(done)
}

/// The sample list shipped in the repository (made-up entities), imported by the demo seed.
pub const SAMPLE_CSV: &str = include_str!("../../../../data/dishonest-sample.csv");
pub const SAMPLE_NAME: &str = "dishonest-sample.csv";

/// The sample's rows.
pub fn sample_rows() -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(SAMPLE_CSV.as_bytes());
    let table: Vec<Vec<String>> = reader.records().map(|r| r.expect("the sample is valid CSV").iter().map(str::to_owned).collect()).collect();
    parse_rows(&table).expect("the sample list is valid (unit test)")
}

/// The demo: a made-up enterprise in 惠城区 that the sample lists, and the sample imported as the current list.
pub async fn seed_demo(db: &impl ConnectionTrait, huicheng_code: &str) -> Result<(), DbErr> {
    let rows = sample_rows();
    let flagged = &rows[0];
    let org = crate::directory::ensure(
        db,
        crate::directory::NewOrg { name: &flagged.name, kind: crate::directory::OrgKind::Enterprise, uscc: Some(&flagged.uscc), region_code: Some(huicheng_code), parent_id: None },
    )
    .await?;
    if crate::directory::profile::Entity::find_by_id(org.id.clone()).one(db).await?.is_none() {
        crate::directory::profile::Entity::insert(crate::directory::profile::ActiveModel {
            nature: Set(Some("民营".into())),
            industry_code: Set(Some("39".into())),
            contact_name: Set(Some("陈经理".into())),
            address: Set(Some("广东省惠州市惠城区（演示地址）".into())),
            updated_at: Set(Utc::now()),
            ..crate::directory::profile::empty(&org.id)
        })
        .exec(db)
        .await?;
    }
    if list_info(db).await?.imported {
        return Ok(());
    }
    replace(db, &rows, SAMPLE_NAME).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn the_sample_parses_and_bad_rows_are_all_reported() {
        let rows = sample_rows();
        assert!(rows.len() >= 5);
        assert!(rows.iter().all(|r| r.name.contains("虚构") || r.name.contains("演示")), "made-up entities only");
        let bad = table(&[&["统一社会信用代码", "企业名称", "列入日期"], &["91350100M000100Y43", "甲", "2024-01-02"], &["91350100M000100Y44", "乙", ""], &["", "丙", ""], &["91350100M000100Y43", "丁", "明天"]]);
        match parse_rows(&bad) {
            Err(ImportError::Rows(p)) => {
                assert_eq!(p.len(), 3, "{p:?}");
                assert!(p[0].starts_with("第3行") && p[1].starts_with("第4行") && p[2].starts_with("第5行"), "{p:?}");
            }
            other => panic!("bad rows are refused: {other:?}"),
        }
        assert!(matches!(parse_rows(&table(&[&["企业名称"]])), Err(ImportError::MissingColumn("统一社会信用代码"))));
        assert!(matches!(parse_rows(&table(&[&["企业名称", "统一社会信用代码"]])), Err(ImportError::Empty)));
    }
}
