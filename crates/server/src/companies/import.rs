//! `shuzhuan import companies FILE`: CSV (UTF-8 or GBK as saved by Chinese Excel) or .xlsx, with a header
//! row naming the columns 企业名称, 统一社会信用代码 and optionally 所属地区代码, 注册地址, 行业代码, 成立日期.
//! Every row is checked first; if any row is bad, nothing is imported and every problem is listed.

use std::path::Path;

use sea_orm::DatabaseConnection;
use shuzhuan_core::{IndustryCode, RegionCode, Uscc};

use super::CompanyRow;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("无法读取文件：{0}")]
    Read(String),
    #[error("缺少必需的列：{0}")]
    MissingColumn(&'static str),
    #[error("文件中有 {} 行数据有误，未导入任何数据：\n{}", .0.len(), .0.join("\n"))]
    Rows(Vec<String>),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

pub fn read_table(path: &Path) -> Result<Vec<Vec<String>>, ImportError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if ext == "xlsx" || ext == "xls" {
        use calamine::{open_workbook_auto, Reader};
        let mut wb = open_workbook_auto(path).map_err(|e| ImportError::Read(e.to_string()))?;
        let sheet = wb.sheet_names().first().cloned().ok_or_else(|| ImportError::Read("工作簿中没有工作表".into()))?;
        let range = wb.worksheet_range(&sheet).map_err(|e| ImportError::Read(e.to_string()))?;
        Ok(range.rows().map(|r| r.iter().map(|c| c.to_string().trim().to_string()).collect()).collect())
    } else {
        let bytes = std::fs::read(path).map_err(|e| ImportError::Read(e.to_string()))?;
        let text = match String::from_utf8(bytes.clone()) {
            Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
            Err(_) => return Err(ImportError::Read("CSV 须为 UTF-8 编码（在 Excel 中另存为「CSV UTF-8」）".into())),
        };
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        reader
            .records()
            .map(|r| r.map(|rec| rec.iter().map(|c| c.trim().to_string()).collect()).map_err(|e| ImportError::Read(e.to_string())))
            .collect()
    }
}

/// `YYYY-MM-DD` (also `YYYY/MM/DD`, `YYYY.MM.DD`, or a date-time whose date is first, as Excel writes it) → `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let head: String = s.chars().take(10).collect::<String>().replace(['/', '.'], "-");
    let d = chrono::NaiveDate::parse_from_str(&head, "%Y-%m-%d").ok().or_else(|| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())?;
    Some(d.format("%Y-%m-%d").to_string())
}

/// A row's 企业名称 and 统一社会信用代码, both required and the code parsed; otherwise the problem is written
/// down by row number (`line`, as the spreadsheet counts) and `None` returned. Every company-list import
/// (the business registry here, the dishonest list in `enterprises`) reads its rows' identity this way.
pub fn named_uscc(name: Option<String>, uscc: Option<String>, line: usize, problems: &mut Vec<String>) -> Option<(String, String)> {
    let Some(name) = name else {
        problems.push(format!("第{line}行：企业名称为空"));
        return None;
    };
    match uscc.map(|u| Uscc::parse(&u)) {
        Some(Ok(u)) => Some((name, u.as_str().to_owned())),
        Some(Err(e)) => {
            problems.push(format!("第{line}行（{name}）：{e}"));
            None
        }
        None => {
            problems.push(format!("第{line}行（{name}）：统一社会信用代码为空"));
            None
        }
    }
}

/// Parses the table's rows (header first) into checked company rows.
pub fn parse_rows(table: &[Vec<String>]) -> Result<Vec<CompanyRow>, ImportError> {
    let header = table.first().ok_or(ImportError::MissingColumn("企业名称"))?;
    let col = |name: &str| header.iter().position(|h| h == name);
    let name_col = col("企业名称").ok_or(ImportError::MissingColumn("企业名称"))?;
    let uscc_col = col("统一社会信用代码").ok_or(ImportError::MissingColumn("统一社会信用代码"))?;
    let region_col = col("所属地区代码");
    let address_col = col("注册地址");
    let industry_col = col("行业代码");
    let established_col = col("成立日期");
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, r) in table.iter().enumerate().skip(1) {
        let line = i + 1;
        let cell = |c: Option<usize>| c.and_then(|c| r.get(c)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let Some((name, uscc)) = named_uscc(cell(Some(name_col)), cell(Some(uscc_col)), line, &mut problems) else {
            continue;
        };
        if !seen.insert(uscc.clone()) {
            problems.push(format!("第{line}行（{name}）：统一社会信用代码与前面的行重复"));
            continue;
        }
        let region_code = cell(region_col);
        if let Some(rc) = &region_code
            && RegionCode::parse(rc).is_err()
        {
            problems.push(format!("第{line}行（{name}）：所属地区代码无效"));
            continue;
        }
        let industry_code = cell(industry_col);
        if let Some(ic) = &industry_code
            && IndustryCode::parse(ic).is_err()
        {
            problems.push(format!("第{line}行（{name}）：行业代码无效"));
            continue;
        }
        let established_on = match cell(established_col).map(|d| parse_date(&d)) {
            None => None,
            Some(Some(d)) => Some(d),
            Some(None) => {
                problems.push(format!("第{line}行（{name}）：成立日期应为 YYYY-MM-DD"));
                continue;
            }
        };
        rows.push(CompanyRow { name, uscc, region_code, address: cell(address_col), industry_code, established_on });
    }
    if !problems.is_empty() {
        return Err(ImportError::Rows(problems));
    }
    Ok(rows)
}

/// Imports a file in one transaction.
pub async fn import_file(db: &DatabaseConnection, path: &Path) -> Result<usize, ImportError> {
    let table = read_table(path)?;
    let rows = parse_rows(&table)?;
    let source = format!("import:{}", path.file_name().and_then(|n| n.to_str()).unwrap_or("file"));
    let txn = crate::db::begin_write(db).await?;
    let n = super::upsert(&txn, &rows, &source).await?;
    txn.commit().await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn good_rows_parse_and_bad_rows_are_all_reported() {
        let ok = table(&[&["企业名称", "统一社会信用代码", "注册地址"], &["甲公司", "91350100M000100Y43", "福州"]]);
        let rows = parse_rows(&ok).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].address.as_deref(), Some("福州"));
        let bad = table(&[&["企业名称", "统一社会信用代码"], &["甲", "91350100M000100Y44"], &["", "x"], &["乙", "91350100M000100Y43"], &["丙", "91350100M000100Y43"]]);
        match parse_rows(&bad) {
            Err(ImportError::Rows(p)) => {
                assert_eq!(p.len(), 3, "{p:?}");
                assert!(p[0].starts_with("第2行"));
                assert!(p[2].contains("重复"));
            }
            _ => panic!("bad rows are refused"),
        }
        assert!(matches!(parse_rows(&table(&[&["名称"]])), Err(ImportError::MissingColumn("企业名称"))));
    }
}
