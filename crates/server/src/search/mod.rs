//! 站内搜索 (issue 20, spec 50 § Portal; docs/search.md, docs/decisions/0027-site-search.md): one search box
//! across the portal's published content, the published calls and the public product catalogue, in Chinese.
//!
//! Each searchable thing is a [`Doc`] in `search_docs`, its title and text segmented into words by jieba
//! (`jieba-rs`, dictionary compiled into the binary) and stored space-separated, so that the database's own
//! full-text index serves the query: SQLite FTS5, PostgreSQL a `tsvector` with a GIN index (migration m0030).
//! Capabilities keep their documents current with [`put`] and [`remove`] where things become public or stop
//! being public, inside their own transactions; each registers a [`Source`] listing all its public documents,
//! from which [`rebuild`] (the `shuzhuan search-reindex` command, and startup when the index is empty) builds
//! the index afresh. A scheduled document carries `visible_from`: the query compares it with the server's clock.
//!
//! This module sits below the capabilities it indexes: it never names them.

use std::sync::LazyLock;

use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, FromQueryResult, Statement, Value};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::state::AppState;
use crate::time::ApiTime;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(site_search))
}

/// What a document is, with its label on the results page.
pub const KINDS: &[(&str, &str)] = &[
    ("notice", "通知公告"),
    ("policy", "政策文件"),
    ("publicity", "结果公示"),
    ("guide", "服务指南"),
    ("faq", "常见问题"),
    ("call", "申报通知"),
    ("product", "产品"),
];

/// One searchable thing.
#[derive(Debug, Clone)]
pub struct Doc {
    /// One of [`KINDS`].
    pub kind: &'static str,
    pub ref_id: String,
    pub title: String,
    /// Plain text (no markup).
    pub body: String,
    /// Where the result leads on the web (`/portal/notices/…`).
    pub link: String,
    /// The date shown with the result.
    pub date: DateTime<Utc>,
    /// Not shown before this instant (scheduled publishing); `None`: at once.
    pub visible_from: Option<DateTime<Utc>>,
}

/// A capability's public documents, for [`rebuild`] (`inventory::submit!` next to the capability).
pub struct Source {
    pub name: &'static str,
    pub docs: for<'a> fn(&'a DatabaseConnection) -> futures::future::BoxFuture<'a, ApiResult<Vec<Doc>>>,
}

inventory::collect!(Source);

static JIEBA: LazyLock<jieba_rs::Jieba> = LazyLock::new(jieba_rs::Jieba::new);

fn is_word(t: &str) -> bool {
    t.chars().any(char::is_alphanumeric)
}

/// The words of a document: jieba's search segmentation (long words and the dictionary words inside them),
/// lower-cased, space-separated.
pub fn index_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for t in JIEBA.cut_for_search(text, false) {
        let t = t.trim();
        if is_word(t) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&t.to_lowercase());
        }
    }
    out
}

/// The words of a query: jieba's precise segmentation, each of which a matching document must hold.
pub fn query_tokens(q: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in JIEBA.cut(q, false) {
        let t = t.trim().to_lowercase();
        if is_word(&t) && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

fn doc_id(kind: &str, ref_id: &str) -> String {
    format!("{kind}:{ref_id}")
}

fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn stmt(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    let sql = if backend == DbBackend::Postgres {
        // `?` placeholders in order become `$1, $2, …`.
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Adds the document, or replaces the one of the same kind and id (inside the caller's transaction).
pub async fn put(db: &impl ConnectionTrait, doc: Doc) -> Result<(), DbErr> {
    let id = doc_id(doc.kind, &doc.ref_id);
    let title_tokens = index_tokens(&doc.title);
    let body_tokens = index_tokens(&doc.body);
    let summary = clip(doc.body.split_whitespace().collect::<Vec<_>>().join(" ").as_str(), 120);
    db.execute_raw(stmt(db, "DELETE FROM search_docs WHERE id = ?", vec![id.clone().into()])).await?;
    db.execute_raw(stmt(
        db,
        "INSERT INTO search_docs (id, kind, ref_id, title, summary, link, date, visible_from, title_tokens, body_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            id.into(),
            doc.kind.into(),
            doc.ref_id.into(),
            clip(&doc.title, 300).into(),
            summary.into(),
            clip(&doc.link, 300).into(),
            doc.date.into(),
            doc.visible_from.into(),
            title_tokens.into(),
            body_tokens.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Takes the document out of the index (retired, withdrawn); nothing when it is not there.
pub async fn remove(db: &impl ConnectionTrait, kind: &str, ref_id: &str) -> Result<(), DbErr> {
    db.execute_raw(stmt(db, "DELETE FROM search_docs WHERE id = ?", vec![doc_id(kind, ref_id).into()])).await?;
    Ok(())
}

/// Builds the index afresh from every registered [`Source`]; returns how many documents it holds.
pub async fn rebuild(db: &DatabaseConnection) -> ApiResult<usize> {
    let mut docs = Vec::new();
    for source in inventory::iter::<Source> {
        docs.extend((source.docs)(db).await?);
    }
    let txn = crate::db::begin_write(db).await?;
    txn.execute_raw(stmt(&txn, "DELETE FROM search_docs", vec![])).await?;
    let n = docs.len();
    for d in docs {
        put(&txn, d).await?;
    }
    txn.commit().await?;
    Ok(n)
}

/// At startup: builds the index when it is empty (a new database, or one that predates it).
pub async fn ensure(db: &DatabaseConnection) -> ApiResult<()> {
    #[derive(FromQueryResult)]
    struct N {
        n: i64,
    }
    let n = N::find_by_statement(stmt(db, "SELECT COUNT(*) AS n FROM search_docs", vec![])).one(db).await?.map_or(0, |r| r.n);
    if n == 0 {
        rebuild(db).await?;
    }
    Ok(())
}

/// The names of the registered sources.
pub fn sources() -> Vec<&'static str> {
    inventory::iter::<Source>.into_iter().map(|s| s.name).collect()
}

// ---------------------------------------------------------------------------------------------------------
// Searching

const MAX_QUERY: usize = 50;
const PAGE_SIZE: u64 = 20;
const MAX_PAGE: u64 = 50;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What to look for (Chinese or not; up to 50 characters).
    pub q: Option<String>,
    /// Only this kind (notice, policy, publicity, guide, faq, call, product).
    pub kind: Option<String>,
    pub page: Option<u64>,
}

/// A piece of a result's title: `hit` where it holds a word searched for (the page marks it).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct TitlePart {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub title_parts: Vec<TitlePart>,
    pub summary: String,
    pub link: String,
    pub date: ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KindCount {
    pub kind: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    pub q: String,
    /// The words searched for, as segmented.
    pub words: Vec<String>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
    /// How many hits each kind has (for the kind filter), whatever `kind` was asked.
    pub kinds: Vec<KindCount>,
    pub items: Vec<SearchHit>,
}

/// The title cut into pieces, those that are one of the words marked (case-insensitively for Latin letters).
pub fn highlight(title: &str, words: &[String]) -> Vec<TitlePart> {
    let chars: Vec<char> = title.chars().collect();
    let lower: Vec<char> = title.to_lowercase().chars().collect();
    let mut hit = vec![false; chars.len()];
    if lower.len() == chars.len() {
        for w in words {
            let w: Vec<char> = w.chars().collect();
            if w.is_empty() || w.len() > lower.len() {
                continue;
            }
            for i in 0..=(lower.len() - w.len()) {
                if lower[i..i + w.len()] == w[..] {
                    hit[i..i + w.len()].iter_mut().for_each(|h| *h = true);
                }
            }
        }
    }
    let mut parts: Vec<TitlePart> = Vec::new();
    for (c, h) in chars.into_iter().zip(hit) {
        match parts.last_mut() {
            Some(p) if p.hit == h => p.text.push(c),
            _ => parts.push(TitlePart { text: c.to_string(), hit: h }),
        }
    }
    parts
}

#[derive(FromQueryResult)]
struct Row {
    kind: String,
    title: String,
    summary: String,
    link: String,
    date: DateTime<Utc>,
}

#[derive(FromQueryResult)]
struct CountRow {
    kind: String,
    n: i64,
}

/// The match condition and its bound values for each backend, over the table aliased `d`.
fn matching(backend: DbBackend, words: &[String]) -> (String, &'static str, Value, Vec<Value>) {
    match backend {
        DbBackend::Postgres => {
            // The words are the tsvector's lexemes as they are ('simple'): each one must be there.
            let q = words.join(" ");
            (
                "FROM search_docs d WHERE d.tsv @@ plainto_tsquery('simple', ?)".into(),
                "(to_tsvector('simple', d.title_tokens) @@ plainto_tsquery('simple', ?)) DESC, ts_rank(d.tsv, plainto_tsquery('simple', ?)) DESC, d.date DESC, d.id",
                q.clone().into(),
                vec![q.clone().into(), q.into()],
            )
        }
        _ => {
            // FTS5: each word a quoted string (no operator a visitor types means anything), all required.
            let q = words.iter().map(|w| format!("\"{}\"", w.replace('"', "\"\""))).collect::<Vec<_>>().join(" ");
            (
                "FROM search_fts JOIN search_docs d ON d.rowid = search_fts.rowid WHERE search_fts MATCH ?".into(),
                "(d.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)) DESC, bm25(search_fts, 10.0, 1.0), d.date DESC, d.id",
                q.clone().into(),
                vec![format!("{{title_tokens}} : ({q})").into()],
            )
        }
    }
}

/// Searches the index: the documents holding every word of `q`, visible at `now`, title hits first.
pub async fn search(db: &impl ConnectionTrait, q: &str, kind: Option<&str>, page: u64, now: DateTime<Utc>) -> ApiResult<SearchResults> {
    let q = q.trim();
    let words = query_tokens(q);
    let mut out = SearchResults { q: q.to_owned(), words: words.clone(), total: 0, page, page_size: PAGE_SIZE, kinds: vec![], items: vec![] };
    if words.is_empty() {
        return Ok(out);
    }
    let backend = db.get_database_backend();
    let (from, order, matched, order_values) = matching(backend, &words);
    let visible = " AND (d.visible_from IS NULL OR d.visible_from <= ?)";
    let mut base = vec![matched];
    base.push(now.into());
    let counts = CountRow::find_by_statement(stmt(db, &format!("SELECT d.kind AS kind, COUNT(*) AS n {from}{visible} GROUP BY d.kind"), base.clone())).all(db).await?;
    out.kinds = KINDS
        .iter()
        .filter_map(|(k, label)| counts.iter().find(|c| c.kind == *k).map(|c| KindCount { kind: (*k).into(), label: (*label).into(), count: c.n as u64 }))
        .collect();
    let mut sql = format!("SELECT d.kind AS kind, d.title AS title, d.summary AS summary, d.link AS link, d.date AS date {from}{visible}");
    let mut vals = base;
    if let Some(k) = kind {
        sql.push_str(" AND d.kind = ?");
        vals.push(k.to_owned().into());
    }
    out.total = match kind {
        Some(k) => out.kinds.iter().find(|c| c.kind == k).map_or(0, |c| c.count),
        None => out.kinds.iter().map(|c| c.count).sum(),
    };
    sql.push_str(&format!(" ORDER BY {order} LIMIT {PAGE_SIZE} OFFSET {}", (page - 1) * PAGE_SIZE));
    vals.extend(order_values);
    let rows = Row::find_by_statement(stmt(db, &sql, vals)).all(db).await?;
    out.items = rows
        .into_iter()
        .map(|r| SearchHit {
            kind_label: KINDS.iter().find(|(k, _)| *k == r.kind).map_or("", |(_, l)| l).into(),
            title_parts: highlight(&r.title, &words),
            kind: r.kind,
            title: r.title,
            summary: r.summary,
            link: r.link,
            date: crate::time::api(r.date),
        })
        .collect();
    Ok(out)
}

#[derive(FromQueryResult)]
struct RefRow {
    ref_id: String,
}

/// The ids of the documents of `kind` holding every word of `q`, visible at `now`, best first (at most `limit`):
/// for a capability's own list that searches through the index.
pub async fn ref_ids(db: &impl ConnectionTrait, q: &str, kind: &str, now: DateTime<Utc>, limit: u64) -> ApiResult<Vec<String>> {
    let words = query_tokens(q.trim());
    if words.is_empty() {
        return Ok(vec![]);
    }
    let (from, order, matched, order_values) = matching(db.get_database_backend(), &words);
    let mut vals = vec![matched, now.into(), kind.to_owned().into()];
    vals.extend(order_values);
    let sql = format!("SELECT d.ref_id AS ref_id {from} AND (d.visible_from IS NULL OR d.visible_from <= ?) AND d.kind = ? ORDER BY {order} LIMIT {limit}");
    Ok(RefRow::find_by_statement(stmt(db, &sql, vals)).all(db).await?.into_iter().map(|r| r.ref_id).collect())
}

/// 站内搜索: the portal's published content, the published calls and the catalogue's products holding every
/// word searched for, title hits first, with how many of each kind; 20 a page.
#[utoipa::path(get, path = "/api/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 422, body = ErrorEnvelope)))]
pub async fn site_search(State(state): State<AppState>, Query(p): Query<SearchQuery>) -> ApiResult<Json<SearchResults>> {
    let q = p.q.unwrap_or_default();
    if q.trim().is_empty() {
        return Err(ApiError::validation("q", "请输入要搜索的内容"));
    }
    if q.chars().count() > MAX_QUERY {
        return Err(ApiError::validation("q", format!("搜索内容不能超过{MAX_QUERY}个字")));
    }
    let kind = p.kind.as_deref().map(str::trim).filter(|k| !k.is_empty());
    if let Some(k) = kind {
        if !KINDS.iter().any(|(x, _)| *x == k) {
            return Err(ApiError::validation("kind", "搜索类别无效"));
        }
    }
    let page = p.page.unwrap_or(1).max(1);
    if page > MAX_PAGE {
        return Err(ApiError::validation("page", format!("页码不能超过{MAX_PAGE}")));
    }
    Ok(Json(search(&state.db, &q, kind, page, state.clock.now()).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_inside_a_longer_title_is_one_of_its_index_words() {
        let doc = index_tokens("中小企业数字化转型城市试点申报通知");
        let words: Vec<&str> = doc.split(' ').collect();
        for w in query_tokens("数字化转型") {
            assert!(words.contains(&w.as_str()), "{w} not in {doc}");
        }
    }

    #[test]
    fn hits_are_marked_in_the_title() {
        let parts = highlight("关于数字化转型的通知", &["数字化".into(), "转型".into()]);
        assert_eq!(parts, vec![TitlePart { text: "关于".into(), hit: false }, TitlePart { text: "数字化转型".into(), hit: true }, TitlePart { text: "的通知".into(), hit: false }]);
    }
}
