//! 指定单位（名单制）from Excel (003 §4.3.1 申报单位): a city that limits a call to named enterprises uploads the
//! list as a workbook (企业名称 optional, 统一社会信用代码 required, the template below) instead of pasting codes.
//! The file is read with calamine; every row is checked, and a bad row is reported by its row number with
//! nothing taken: the call's settings change only when the official saves the list the page filled in.

use std::collections::HashSet;

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use shuzhuan_core::Uscc;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::state::AppState;

const NAME: &str = "企业名称";
const USCC: &str = "统一社会信用代码";
/// A named list longer than this is a mistake (a whole registry pasted in), not a call's applicants.
const MAX_ROWS: usize = 5000;
/// Problems listed before the rest are summed up: enough to fix a file, short enough to read.
const MAX_PROBLEMS: usize = 50;

#[derive(Debug, Deserialize, ToSchema)]
pub struct NamedFile {
    /// An uploaded workbook (POST /api/files), .xlsx or .xls.
    pub file_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct NamedApplicant {
    pub name: Option<String>,
    pub uscc: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NamedApplicants {
    pub items: Vec<NamedApplicant>,
}

/// The rows of a table whose first row is the header; every problem by its row number (as Excel numbers rows).
pub fn parse_named(table: &[Vec<String>]) -> Result<Vec<NamedApplicant>, Vec<String>> {
    let Some(header) = table.first() else { return Err(vec!["文件是空的：第1行应为表头（企业名称、统一社会信用代码）".into()]) };
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let Some(uscc_col) = col(USCC) else { return Err(vec![format!("第1行缺少「{USCC}」列，请使用下载的模板")]) };
    let name_col = col(NAME);
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for (i, row) in table.iter().enumerate().skip(1) {
        let line = i + 1;
        let cell = |c: usize| row.get(c).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let name = name_col.and_then(cell);
        let who = name.as_deref().map(|n| format!("（{n}）")).unwrap_or_default();
        match cell(uscc_col).map(|u| Uscc::parse(&u)) {
            None => problems.push(format!("第{line}行{who}：统一社会信用代码为空")),
            Some(Err(e)) => problems.push(format!("第{line}行{who}：{e}")),
            Some(Ok(u)) if !seen.insert(u.as_str().to_owned()) => problems.push(format!("第{line}行{who}：统一社会信用代码与前面的行重复")),
            Some(Ok(u)) => out.push(NamedApplicant { name, uscc: u.as_str().to_owned() }),
        }
    }
    if out.len() + problems.len() > MAX_ROWS {
        return Err(vec![format!("名单最多{MAX_ROWS}行，文件中有{}行", out.len() + problems.len())]);
    }
    if out.is_empty() && problems.is_empty() {
        return Err(vec!["文件中没有单位：请在表头下逐行填写".into()]);
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// The first sheet of a workbook as text cells.
fn read_sheet(bytes: Vec<u8>) -> Result<Vec<Vec<String>>, String> {
    use calamine::Reader;
    let unreadable = |_| "无法读取该文件：请上传 Excel 文件（.xlsx 或 .xls）".to_owned();
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let first = book.sheet_names().first().cloned().ok_or_else(|| "工作簿中没有工作表".to_owned())?;
    let range = book.worksheet_range(&first).map_err(unreadable)?;
    Ok(range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect())
}

/// 导入指定单位: reads an uploaded workbook into the named list, or says which rows are wrong.
#[utoipa::path(post, path = "/api/calls/named-applicants", tag = "calls", request_body = NamedFile,
    responses((status = 200, body = NamedApplicants), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn read_named_applicants(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<NamedFile>) -> ApiResult<Json<NamedApplicants>> {
    super::handlers::require_official(&user)?;
    let file = crate::files::own_files(&state.db, &user.organization.id, "file_id", std::slice::from_ref(&input.file_id)).await?.remove(0);
    let bytes = state.storage.get(&file.storage_key).await.map_err(|e| ApiError::Internal(anyhow::anyhow!("named applicants file: {e}")))?;
    // Parsing a large workbook is CPU work: off the async threads.
    let parsed = tokio::task::spawn_blocking(move || read_sheet(bytes.to_vec()).map_err(|e| vec![e]).and_then(|t| parse_named(&t)))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("named applicants: {e}")))?;
    match parsed {
        Ok(items) => Ok(Json(NamedApplicants { items })),
        Err(problems) => {
            let count = problems.len();
            let mut fields: Vec<FieldError> = problems.into_iter().take(MAX_PROBLEMS).map(|message| FieldError { field: "file_id".into(), message }).collect();
            if count > MAX_PROBLEMS {
                fields.push(FieldError { field: "file_id".into(), message: format!("……另有{}处问题", count - MAX_PROBLEMS) });
            }
            Err(ApiError::Validation { message: format!("文件中有{count}处问题，未导入任何单位"), fields })
        }
    }
}

/// The template: the two columns with one example row.
#[utoipa::path(get, path = "/api/calls/named-applicants/template.xlsx", tag = "calls",
    responses((status = 200, description = "指定单位导入模板", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = ErrorEnvelope)))]
pub async fn named_applicants_template(user: CurrentUser) -> ApiResult<Response> {
    super::handlers::require_official(&user)?;
    let xlsx = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("指定单位").map_err(xlsx)?;
    let bold = rust_xlsxwriter::Format::new().set_bold().set_background_color("#F2F2F2");
    let text = rust_xlsxwriter::Format::new().set_num_format("@");
    sheet.set_column_width(0, 36).map_err(xlsx)?;
    sheet.set_column_format(1, &text).map_err(xlsx)?;
    sheet.set_column_width(1, 24).map_err(xlsx)?;
    sheet.write_string_with_format(0, 0, NAME, &bold).map_err(xlsx)?;
    sheet.write_string_with_format(0, 1, USCC, &bold).map_err(xlsx)?;
    sheet.write_string(1, 0, "示例：某某科技有限公司（可删除此行）").map_err(xlsx)?;
    sheet.write_string(1, 1, "91350100M000100Y43").map_err(xlsx)?;
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    Ok(crate::http::xlsx_download("指定单位导入模板.xlsx", bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn good_rows_are_read_with_or_without_names() {
        let t = table(&[&["企业名称", "统一社会信用代码"], &["惠州华阳精机", " 91350100M000100Y43 "], &["", ""], &["", "91440300708461136T"]]);
        let got = parse_named(&t).unwrap();
        assert_eq!(got, vec![
            NamedApplicant { name: Some("惠州华阳精机".into()), uscc: "91350100M000100Y43".into() },
            NamedApplicant { name: None, uscc: "91440300708461136T".into() },
        ]);
    }

    #[test]
    fn a_bad_row_is_named_by_its_number_and_nothing_is_taken() {
        let t = table(&[&["统一社会信用代码", "企业名称"], &["91350100M000100Y43", "甲"], &["123", "乙"], &["91350100M000100Y43", "丙"], &["", "丁"]]);
        let problems = parse_named(&t).unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("第3行（乙）"), "{problems:?}");
        assert!(problems[1].contains("重复"), "{problems:?}");
        assert!(problems[2].starts_with("第5行（丁）：统一社会信用代码为空"), "{problems:?}");
    }

    #[test]
    fn a_file_without_the_column_or_rows_is_refused() {
        assert!(parse_named(&table(&[&["名称", "代码"], &["甲", "91350100M000100Y43"]])).unwrap_err()[0].contains("缺少「统一社会信用代码」列"));
        assert!(parse_named(&table(&[&["统一社会信用代码"]])).unwrap_err()[0].contains("没有单位"));
        assert!(parse_named(&[]).is_err());
    }
}
