//! 信用核查 (seed 003 §4.3.4.2): one credit code at a time, or a batch from the template workbook (企业名称 optional,
//! 统一社会信用代码 required). A batch's bad rows (code missing or invalid by GB 32100) are reported by row number and
//! the good rows still checked; the result workbook flags 失信 per row and names the list's import date. Every check
//! is audited. A batch is limited to [`MAX_ROWS`] rows and [`MAX_BYTES`] bytes.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::json;
use shuzhuan_core::Uscc;
use utoipa::ToSchema;

use super::dishonest::{self, DishonestListInfo};
use crate::audit::{self, Entry, Outcome};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ApiJson;
use crate::state::AppState;

pub mod batch {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "credit_check_batches")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub org_id: String,
        pub user_id: String,
        pub file_name: String,
        /// JSON of [`super::CreditBatchResult`].
        pub results: String,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

const NAME: &str = "企业名称";
const USCC: &str = "统一社会信用代码";
/// Rows of a batch, not counting the header.
pub const MAX_ROWS: usize = 2000;
/// The workbook's size.
pub const MAX_BYTES: i64 = 2 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DishonestEntry {
    pub name: String,
    pub list_kind: String,
    pub authority: Option<String>,
    pub case_no: Option<String>,
    pub listed_on: Option<String>,
    pub reason: Option<String>,
}

impl From<dishonest::entry::Model> for DishonestEntry {
    fn from(e: dishonest::entry::Model) -> Self {
        Self { name: e.name, list_kind: e.list_kind, authority: e.authority, case_no: e.case_no, listed_on: e.listed_on, reason: e.reason }
    }
}

/// The answer for one credit code.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreditAnswer {
    pub uscc: String,
    /// On the current dishonest list.
    pub dishonest: bool,
    pub entries: Vec<DishonestEntry>,
    /// The enterprise of that code on the platform, if registered (and within the official's region).
    pub enterprise_name: Option<String>,
    pub list: DishonestListInfo,
}

/// What the list says about `uscc` (already checked).
pub async fn answer_for(db: &impl ConnectionTrait, uscc: &str) -> Result<CreditAnswer, DbErr> {
    let entries: Vec<DishonestEntry> = if uscc.is_empty() { vec![] } else { dishonest::entries_of(db, &[uscc.to_owned()]).await?.into_iter().map(Into::into).collect() };
    Ok(CreditAnswer { uscc: uscc.to_owned(), dishonest: !entries.is_empty(), entries, enterprise_name: None, list: dishonest::list_info(db).await? })
}

fn audit_entry<'a>(user: &'a CurrentUser, action: &'static str, object_id: Option<&'a str>, detail: serde_json::Value) -> Entry<'a> {
    Entry { action, actor: Some(user), username: None, ip: user.ip.clone(), object_type: Some("credit_check"), object_id, outcome: Outcome::Success, detail: Some(detail) }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreditQuery {
    /// 统一社会信用代码.
    pub uscc: String,
}

/// 信用核查, one code: on the dishonest list or not, the entry's details and the list's import date. Audited.
#[utoipa::path(post, path = "/api/enterprises/credit-checks", tag = "enterprises", request_body = CreditQuery,
    responses((status = 200, body = CreditAnswer), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn check_credit(State(state): State<AppState>, user: CurrentUser, ApiJson(q): ApiJson<CreditQuery>) -> ApiResult<Json<CreditAnswer>> {
    let scope = super::official_scope(&user)?;
    let uscc = Uscc::parse(q.uscc.trim()).map_err(|e| ApiError::validation("uscc", e.to_string()))?;
    let mut answer = answer_for(&state.db, uscc.as_str()).await?;
    answer.enterprise_name = crate::directory::org::Entity::find()
        .filter(crate::directory::org::Column::Uscc.eq(uscc.as_str()))
        .filter(super::in_scope(&scope))
        .one(&state.db)
        .await?
        .map(|o| o.name);
    audit::record(&state.db, audit_entry(&user, "credit_check", None, json!({ "uscc": uscc.as_str(), "dishonest": answer.dishonest, "list_imported_at": answer.list.imported_at }))).await?;
    Ok(Json(answer))
}

/// 信用查询模板: 企业名称 (optional) and *统一社会信用代码 (required), one example row.
#[utoipa::path(get, path = "/api/enterprises/credit-checks/template.xlsx", tag = "enterprises",
    responses((status = 200, description = "信用查询模板", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn credit_template(user: CurrentUser) -> ApiResult<Response> {
    super::official_scope(&user)?;
    let xlsx = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("信用查询").map_err(xlsx)?;
    let bold = rust_xlsxwriter::Format::new().set_bold().set_background_color("#F2F2F2");
    let text = rust_xlsxwriter::Format::new().set_num_format("@");
    sheet.set_column_width(0, 36).map_err(xlsx)?;
    sheet.set_column_format(1, &text).map_err(xlsx)?;
    sheet.set_column_width(1, 26).map_err(xlsx)?;
    sheet.write_string_with_format(0, 0, NAME, &bold).map_err(xlsx)?;
    sheet.write_string_with_format(0, 1, format!("*{USCC}"), &bold).map_err(xlsx)?;
    sheet.write_string(1, 0, "示例：某某科技有限公司（可删除此行）").map_err(xlsx)?;
    sheet.write_string(1, 1, "91350100M000100Y43").map_err(xlsx)?;
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    Ok(crate::http::xlsx_download("信用查询模板.xlsx", bytes))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreditBatchInput {
    /// The filled template, uploaded first (POST /api/files, purpose `attachment`), .xlsx or .xls.
    pub file_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreditBatchRow {
    /// The row number in the uploaded sheet (as Excel numbers rows).
    pub row: usize,
    pub name: Option<String>,
    pub uscc: String,
    pub dishonest: bool,
    pub entries: Vec<DishonestEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreditBatchProblem {
    pub row: usize,
    pub name: Option<String>,
    /// What the cell held.
    pub value: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreditBatchResult {
    pub id: String,
    pub file_name: String,
    pub checked: usize,
    pub dishonest: usize,
    pub rows: Vec<CreditBatchRow>,
    /// Rows not checked: credit code missing or invalid, by row number.
    pub problems: Vec<CreditBatchProblem>,
    pub list_imported_at: Option<String>,
    pub list_file_name: Option<String>,
}

/// The sheet's data rows (header first) split into credit codes to check and problems, by row number.
pub fn parse_batch(table: &[Vec<String>]) -> Result<(Vec<(usize, Option<String>, String)>, Vec<CreditBatchProblem>), String> {
    let Some(header) = table.first() else { return Err("文件是空的：第1行应为表头（企业名称、*统一社会信用代码）".into()) };
    let col = |name: &str| header.iter().position(|h| h.trim().trim_start_matches('*').trim() == name);
    let Some(uscc_col) = col(USCC) else { return Err(format!("第1行缺少「{USCC}」列，请使用下载的模板")) };
    let name_col = col(NAME);
    let mut good = Vec::new();
    let mut problems = Vec::new();
    for (i, r) in table.iter().enumerate().skip(1) {
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = i + 1;
        let name = name_col.and_then(|c| r.get(c)).map(|v| v.trim().chars().take(200).collect::<String>()).filter(|v| !v.is_empty());
        let raw = r.get(uscc_col).map(|v| v.trim().to_owned()).unwrap_or_default();
        match Uscc::parse(&raw) {
            Ok(u) => good.push((line, name, u.as_str().to_owned())),
            Err(_) if raw.is_empty() => problems.push(CreditBatchProblem { row: line, name, value: raw, message: "统一社会信用代码为空".into() }),
            Err(e) => problems.push(CreditBatchProblem { row: line, name, value: raw.chars().take(40).collect(), message: e.to_string() }),
        }
        if good.len() + problems.len() > MAX_ROWS {
            return Err(format!("一次最多核查{MAX_ROWS}行，请分批上传"));
        }
    }
    if good.is_empty() && problems.is_empty() {
        return Err("文件中没有需要核查的企业：请在表头下逐行填写".into());
    }
    Ok((good, problems))
}

fn read_sheet(bytes: Vec<u8>) -> Result<Vec<Vec<String>>, String> {
    use calamine::Reader;
    let unreadable = |_| "无法读取该文件：请上传 Excel 文件（.xlsx 或 .xls），可先下载信用查询模板".to_owned();
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let first = book.sheet_names().first().cloned().ok_or_else(|| "工作簿中没有工作表".to_owned())?;
    let range = book.worksheet_range(&first).map_err(unreadable)?;
    if range.height() > MAX_ROWS + 1 + 1000 {
        return Err(format!("一次最多核查{MAX_ROWS}行，请分批上传"));
    }
    Ok(range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect())
}

/// 批量信用核查: reads the uploaded template, checks every good row against the list, reports bad rows by number,
/// keeps the result for its workbook (GET …/{id}/result.xlsx). Audited with every code checked.
#[utoipa::path(post, path = "/api/enterprises/credit-checks/batch", tag = "enterprises", request_body = CreditBatchInput,
    responses((status = 200, body = CreditBatchResult), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn batch_credit_check(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<CreditBatchInput>) -> ApiResult<Json<CreditBatchResult>> {
    super::official_scope(&user)?;
    let file = crate::files::own_files(&state.db, &user.organization.id, "file_id", std::slice::from_ref(&input.file_id)).await?.remove(0);
    if file.size_bytes > MAX_BYTES {
        return Err(ApiError::validation("file_id", format!("文件过大：批量核查文件不能超过{}MB，请分批上传", MAX_BYTES / 1024 / 1024)));
    }
    let bytes = state.storage.get(&file.storage_key).await.map_err(|e| ApiError::Unavailable(e.to_string()))?;
    let parsed = tokio::task::spawn_blocking(move || read_sheet(bytes.to_vec()).and_then(|t| parse_batch(&t)))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("credit batch: {e}")))?;
    let (good, problems) = parsed.map_err(|m| ApiError::validation("file_id", m))?;
    let codes: Vec<String> = good.iter().map(|(_, _, u)| u.clone()).collect();
    let txn = crate::db::begin_write(&state.db).await?;
    // The list and the answers from one transaction: an import running meanwhile is seen whole or not at all.
    let list = dishonest::list_info(&txn).await?;
    let mut by_code: std::collections::HashMap<String, Vec<DishonestEntry>> = std::collections::HashMap::new();
    for e in dishonest::entries_of(&txn, &codes).await? {
        by_code.entry(e.uscc.clone()).or_default().push(e.into());
    }
    let rows: Vec<CreditBatchRow> = good
        .into_iter()
        .map(|(row, name, uscc)| {
            let entries = by_code.get(&uscc).cloned().unwrap_or_default();
            CreditBatchRow { row, name, dishonest: !entries.is_empty(), entries, uscc }
        })
        .collect();
    let result = CreditBatchResult {
        id: uuid::Uuid::now_v7().to_string(),
        file_name: file.original_name.clone(),
        checked: rows.len(),
        dishonest: rows.iter().filter(|r| r.dishonest).count(),
        rows,
        problems,
        list_imported_at: list.imported_at.as_ref().map(|t| serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()),
        list_file_name: list.file_name.clone(),
    };
    batch::Entity::insert(batch::ActiveModel {
        id: Set(result.id.clone()),
        org_id: Set(user.organization.id.clone()),
        user_id: Set(user.user_id.clone()),
        file_name: Set(file.original_name.chars().take(200).collect()),
        results: Set(serde_json::to_string(&result).map_err(|e| ApiError::Internal(e.into()))?),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(&txn)
    .await?;
    let flagged: Vec<&str> = result.rows.iter().filter(|r| r.dishonest).map(|r| r.uscc.as_str()).collect();
    audit::record(
        &txn,
        audit_entry(
            &user,
            "credit_check_batch",
            Some(&result.id),
            json!({ "file": result.file_name, "checked": result.checked, "codes": codes, "dishonest": flagged, "bad_rows": result.problems.len(), "list_imported_at": result.list_imported_at }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(result))
}

/// The result workbook of a batch the user's body ran: every row with its 失信 flag and details, the bad rows,
/// and the list's import date.
#[utoipa::path(get, path = "/api/enterprises/credit-checks/{id}/result.xlsx", tag = "enterprises", params(("id" = String, Path, description = "batch id")),
    responses((status = 200, description = "信用核查结果", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn batch_credit_result(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Response> {
    super::official_scope(&user)?;
    let found = batch::Entity::find_by_id(id)
        .filter(batch::Column::OrgId.eq(user.organization.id.clone()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::NotFound("核查记录不存在".into()))?;
    let result: CreditBatchResult = serde_json::from_str(&found.results).map_err(|e| ApiError::Internal(e.into()))?;
    let bytes = result_workbook(&result).map_err(|e| ApiError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(crate::http::xlsx_download("信用核查结果.xlsx", bytes))
}

/// Sheet 核查结果: 行号, 企业名称, 统一社会信用代码, 是否失信, 名单类型, 认定机关, 文号, 列入日期, 失信情形, 名单导入日期;
/// sheet 未核查的行 when some rows were bad.
pub fn result_workbook(r: &CreditBatchResult) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold().set_background_color("#F2F2F2");
    let red = rust_xlsxwriter::Format::new().set_bold().set_font_color("#B00020");
    let imported = r.list_imported_at.clone().unwrap_or_else(|| "尚未导入失信名单".into());
    let sheet = book.add_worksheet();
    sheet.set_name("核查结果")?;
    let head = ["行号", NAME, USCC, "是否失信", "名单类型", "认定机关", "文号", "列入日期", "失信情形", "名单导入日期"];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (c, w) in [6, 34, 22, 10, 14, 28, 28, 12, 36, 28].iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    let mut line = 1u32;
    for row in &r.rows {
        let first = row.entries.first();
        sheet.write_number(line, 0, row.row as f64)?;
        sheet.write_string(line, 1, row.name.as_deref().or(first.map(|e| e.name.as_str())).unwrap_or(""))?;
        sheet.write_string(line, 2, &row.uscc)?;
        if row.dishonest {
            sheet.write_string_with_format(line, 3, "是", &red)?;
        } else {
            sheet.write_string(line, 3, "否")?;
        }
        let join = |f: fn(&DishonestEntry) -> Option<&str>| row.entries.iter().filter_map(f).collect::<Vec<_>>().join("；");
        sheet.write_string(line, 4, join(|e| Some(e.list_kind.as_str())))?;
        sheet.write_string(line, 5, join(|e| e.authority.as_deref()))?;
        sheet.write_string(line, 6, join(|e| e.case_no.as_deref()))?;
        sheet.write_string(line, 7, join(|e| e.listed_on.as_deref()))?;
        sheet.write_string(line, 8, join(|e| e.reason.as_deref()))?;
        sheet.write_string(line, 9, &imported)?;
        line += 1;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !r.problems.is_empty() {
        let bad = book.add_worksheet();
        bad.set_name("未核查的行")?;
        for (c, h) in ["行号", NAME, USCC, "问题"].iter().enumerate() {
            bad.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (c, w) in [6, 34, 22, 40].iter().enumerate() {
            bad.set_column_width(c as u16, *w)?;
        }
        for (i, p) in r.problems.iter().enumerate() {
            let l = i as u32 + 1;
            bad.write_number(l, 0, p.row as f64)?;
            bad.write_string(l, 1, p.name.as_deref().unwrap_or(""))?;
            bad.write_string(l, 2, &p.value)?;
            bad.write_string(l, 3, &p.message)?;
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn bad_rows_are_reported_by_number_and_the_good_ones_kept() {
        let t = table(&[&["企业名称", "*统一社会信用代码"], &["甲", "91350100M000100Y43"], &["乙", ""], &["", "", ""], &["丙", "91350100M000100Y44"], &["", "91441302ma5x000911"]]);
        let (good, bad) = parse_batch(&t).unwrap();
        assert_eq!(good.iter().map(|g| (g.0, g.2.as_str())).collect::<Vec<_>>(), vec![(2, "91350100M000100Y43"), (6, "91441302MA5X000911")]);
        assert_eq!(bad.iter().map(|b| b.row).collect::<Vec<_>>(), vec![3, 5]);
        assert!(parse_batch(&table(&[&["名称"]])).unwrap_err().contains("统一社会信用代码"));
        let many: Vec<Vec<String>> = std::iter::once(vec!["统一社会信用代码".to_owned()]).chain((0..=MAX_ROWS).map(|_| vec!["x".to_owned()])).collect();
        assert!(parse_batch(&many).unwrap_err().contains("最多"));
    }
}
