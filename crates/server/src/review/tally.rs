//! Maintained counts of submitted cases (migration m0032_dashboard, decision 0029): one row of
//! `review_case_tally` per (region, kind, status, stage, month submitted) with how many cases are there and the
//! sum of their amounts (where the kind reports one, [`CaseKind::amount`](super::CaseKind::amount)). The engine
//! moves a case from its old row to its new one in the transaction that writes the transition
//! ([`moved`], called by `engine::write` after the guarded update), so the counts are the cases' counts at every
//! commit; the officials' dashboard reads them with [`counts_in`] and lists the cases behind a figure with
//! [`cases_in`], whose filters are the same columns.
//!
//! Drafts and deleted cases are not counted. An amount counts only while the form cannot change (审核中,
//! 审核通过, 不通过): it is read from the form as stored, inside the transaction, after the guarded update, so
//! what is added when a case enters those statuses is what is taken away when it leaves them.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use shuzhuan_core::Money;

use super::entity::{case, task};
use super::CaseState;
use crate::error::ApiResult;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "review_case_tally")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub region_code: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub kind: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub status: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub stage: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub month: String,
        pub n: i64,
        pub amount_fen: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The statuses counted (submitted at least once, not deleted).
pub const COUNTED: [CaseState; 4] = [CaseState::InReview, CaseState::Returned, CaseState::Approved, CaseState::Rejected];
/// The statuses whose amounts count (the form is frozen).
pub const WITH_AMOUNT: [CaseState; 3] = [CaseState::InReview, CaseState::Approved, CaseState::Rejected];

/// The offset months are counted in: China time.
fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("a valid offset")
}

/// `2026-12`: the China-time month of an instant.
pub fn month_of(at: DateTime<Utc>) -> String {
    at.with_timezone(&china()).format("%Y-%m").to_string()
}

/// The instants `[start, end)` of a month written `2026-12`, or `None` when it is not one.
pub fn month_bounds(month: &str) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let (y, m) = month.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    let start = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(y, m + 1, 1)? };
    let at = |d: NaiveDate| china().from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight")).single().map(|t| t.with_timezone(&Utc));
    Some((at(start)?, at(next)?))
}

/// The bucket of a case: `None` when it is not counted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub region_code: String,
    pub kind: String,
    pub status: String,
    pub stage: i32,
    pub month: String,
}

fn key(row: &case::Model) -> Option<Key> {
    COUNTED.contains(&row.status).then(|| Key {
        region_code: row.owner_region_code.clone().unwrap_or_default(),
        kind: row.kind.clone(),
        status: row.status.code().to_owned(),
        stage: row.stage.unwrap_or(-1),
        month: row.submitted_at.map(month_of).unwrap_or_default(),
    })
}

fn amount(kind: &str, status: CaseState, form: &str) -> i64 {
    if !WITH_AMOUNT.contains(&status) {
        return 0;
    }
    let Some(k) = super::kind(kind) else { return 0 };
    let form: serde_json::Value = serde_json::from_str(form).unwrap_or_default();
    k.amount(&form).map(Money::fen).unwrap_or(0)
}

async fn add(txn: &impl ConnectionTrait, k: Key, n: i64, amount_fen: i64) -> ApiResult<()> {
    use entity::Column as C;
    entity::Entity::insert(entity::ActiveModel {
        region_code: Set(k.region_code),
        kind: Set(k.kind),
        status: Set(k.status),
        stage: Set(k.stage),
        month: Set(k.month),
        n: Set(n),
        amount_fen: Set(amount_fen),
    })
    .on_conflict(
        OnConflict::columns([C::RegionCode, C::Kind, C::Status, C::Stage, C::Month])
            .value(C::N, Expr::cust("review_case_tally.n + excluded.n"))
            .value(C::AmountFen, Expr::cust("review_case_tally.amount_fen + excluded.amount_fen"))
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Moves the case from its bucket before the transition to its bucket after, in the transition's
/// transaction, after the guarded update of the case row (which holds the row: nobody changes its form
/// before this transaction ends).
pub(super) async fn moved(txn: &DatabaseTransaction, before: &case::Model, after: &case::Model) -> ApiResult<()> {
    let (from, to) = (key(before), key(after));
    let needs_form = WITH_AMOUNT.contains(&before.status) || WITH_AMOUNT.contains(&after.status);
    let form = if needs_form && super::kind(&after.kind).is_some_and(|k| k.reports_amount()) {
        case::Entity::find_by_id(after.id.clone()).select_only().column(case::Column::Form).into_tuple::<String>().one(txn).await?.unwrap_or_default()
    } else {
        String::new()
    };
    let (a_from, a_to) = (amount(&before.kind, before.status, &form), amount(&after.kind, after.status, &form));
    if from == to && a_from == a_to {
        return Ok(());
    }
    // Two rows are locked in key order whatever the direction of the move: a case going from bucket X to Y
    // while another goes from Y to X would otherwise each hold one row and wait for the other (a deadlock that
    // PostgreSQL breaks by failing one of the two transitions).
    let mut changes: Vec<(Key, i64, i64)> = Vec::with_capacity(2);
    changes.extend(from.map(|k| (k, -1, -a_from)));
    changes.extend(to.map(|k| (k, 1, a_to)));
    changes.sort_by(|a, b| a.0.cmp(&b.0));
    for (k, n, amount_fen) in changes {
        add(txn, k, n, amount_fen).await?;
    }
    Ok(())
}

/// The codes within a scope prefix (`"4407"`: the city 440700 and all it holds) as a range, which both
/// databases answer from an index: `[prefix, next)`.
fn range(prefix: &str) -> (String, String) {
    let mut next = prefix.to_owned();
    let last = next.pop().map(|c| char::from_u32(c as u32 + 1).unwrap_or(c));
    next.extend(last);
    (prefix.to_owned(), next)
}

/// A counted row of the tally within a scope.
#[derive(Debug, Clone)]
pub struct Counted {
    pub region_code: String,
    pub kind: String,
    pub status: CaseState,
    pub stage: Option<i32>,
    pub month: Option<String>,
    pub n: i64,
    pub amount_fen: i64,
}

/// The tally's rows within `prefix` (a region's [`scope_prefix`](shuzhuan_core::RegionCode::scope_prefix)),
/// empty ones left out.
pub async fn counts_in(db: &impl ConnectionTrait, prefix: &str) -> ApiResult<Vec<Counted>> {
    let (lo, hi) = range(prefix);
    let rows = entity::Entity::find()
        .filter(entity::Column::RegionCode.gte(lo))
        .filter(entity::Column::RegionCode.lt(hi))
        .filter(entity::Column::N.ne(0))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Counted {
                status: CaseState::parse(&r.status)?,
                region_code: r.region_code,
                kind: r.kind,
                stage: (r.stage >= 0).then_some(r.stage),
                month: (!r.month.is_empty()).then_some(r.month),
                n: r.n,
                amount_fen: r.amount_fen,
            })
        })
        .collect())
}

/// The whole tally as stored, by key (for checks).
pub async fn stored(db: &impl ConnectionTrait) -> ApiResult<BTreeMap<Key, (i64, i64)>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::N.ne(0))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (Key { region_code: r.region_code, kind: r.kind, status: r.status, stage: r.stage, month: r.month }, (r.n, r.amount_fen)))
        .collect())
}

/// The tally recomputed from the cases themselves (a scan: for checks and repair, never for a page).
pub async fn recount(db: &impl ConnectionTrait) -> ApiResult<BTreeMap<Key, (i64, i64)>> {
    let mut out: BTreeMap<Key, (i64, i64)> = BTreeMap::new();
    for row in case::Entity::find().filter(case::Column::Status.is_in(COUNTED)).all(db).await? {
        let a = amount(&row.kind, row.status, &row.form);
        if let Some(k) = key(&row) {
            let e = out.entry(k).or_default();
            e.0 += 1;
            e.1 += a;
        }
    }
    Ok(out)
}

/// What a drill-down lists: counted cases within a scope, narrowed like the figure clicked.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// The region's scope prefix (`"4407"`); the narrower `district` prefix when one is chosen.
    pub prefix: String,
    pub kind: Option<String>,
    /// Empty: every counted status.
    pub statuses: Vec<CaseState>,
    /// `Some(-1)`: no stage.
    pub stage: Option<i32>,
    /// A month (`2026-12`) of `submitted_at`, China time.
    pub month: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

fn scope_condition(s: &Scope) -> Condition {
    let (lo, hi) = range(&s.prefix);
    let statuses: Vec<CaseState> = if s.statuses.is_empty() { COUNTED.to_vec() } else { s.statuses.iter().copied().filter(|x| COUNTED.contains(x)).collect() };
    let mut c = Condition::all()
        .add(case::Column::OwnerRegionCode.gte(lo))
        .add(case::Column::OwnerRegionCode.lt(hi))
        .add(case::Column::Status.is_in(statuses));
    if let Some(k) = &s.kind {
        c = c.add(case::Column::Kind.eq(k.clone()));
    }
    match s.stage {
        Some(-1) => c = c.add(case::Column::Stage.is_null()),
        Some(n) => c = c.add(case::Column::Stage.eq(n)),
        None => {}
    }
    if let Some((from, to)) = s.month {
        c = c.add(case::Column::SubmittedAt.gte(from)).add(case::Column::SubmittedAt.lt(to));
    }
    c
}

/// One case of a drill-down list.
#[derive(Debug, Clone)]
pub struct ScopedCase {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub status: CaseState,
    pub stage: Option<i32>,
    pub flow_version: i32,
    pub region_code: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub amount: Option<Money>,
}

/// The cases behind a figure, newest submitted first: how many, and one page of them.
pub async fn cases_in(db: &impl ConnectionTrait, s: &Scope, page_size: u64, page_index: u64) -> ApiResult<(u64, Vec<ScopedCase>)> {
    let q = case::Entity::find().filter(scope_condition(s));
    let total = q.clone().count(db).await?;
    let rows = q.order_by_desc(case::Column::SubmittedAt).order_by_desc(case::Column::Id).offset(page_index * page_size).limit(page_size).all(db).await?;
    Ok((
        total,
        rows.into_iter()
            .map(|r| {
                let fen = amount(&r.kind, r.status, &r.form);
                let reports = super::kind(&r.kind).is_some_and(|k| k.reports_amount()) && WITH_AMOUNT.contains(&r.status);
                ScopedCase {
                    amount: reports.then(|| Money::from_fen(fen).unwrap_or(Money::ZERO)),
                    id: r.id,
                    kind: r.kind,
                    title: r.title,
                    status: r.status,
                    stage: r.stage,
                    flow_version: r.flow_version,
                    region_code: r.owner_region_code,
                    submitted_at: r.submitted_at,
                }
            })
            .collect(),
    ))
}

/// An open review task past its due time, of a case within a scope.
#[derive(Debug, Clone)]
pub struct Overdue {
    pub task_id: String,
    pub case_id: String,
    pub kind: String,
    pub title: String,
    pub applicant_name: String,
    pub stage_name: String,
    pub assignee_org_id: String,
    pub due_at: DateTime<Utc>,
    pub region_code: Option<String>,
}

fn overdue_query(prefix: &str, kind: Option<&str>, now: DateTime<Utc>) -> sea_orm::Select<task::Entity> {
    let (lo, hi) = range(prefix);
    let rel: sea_orm::RelationDef = task::Entity::belongs_to(case::Entity).from(task::Column::CaseId).to(case::Column::Id).into();
    let mut q = task::Entity::find()
        .join(JoinType::InnerJoin, rel)
        .filter(task::Column::State.eq(super::TaskState::Open))
        .filter(task::Column::DueAt.lt(now))
        .filter(case::Column::OwnerRegionCode.gte(lo))
        .filter(case::Column::OwnerRegionCode.lt(hi));
    if let Some(k) = kind {
        q = q.filter(task::Column::Kind.eq(k));
    }
    q
}

/// How many tasks are overdue at `now`, by case kind.
pub async fn overdue_counts(db: &impl ConnectionTrait, prefix: &str, now: DateTime<Utc>) -> ApiResult<Vec<(String, i64)>> {
    Ok(overdue_query(prefix, None, now)
        .select_only()
        .column(task::Column::Kind)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .group_by(task::Column::Kind)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?)
}

/// The overdue tasks, longest overdue first: how many, and one page.
pub async fn overdue_in(db: &impl ConnectionTrait, prefix: &str, kind: Option<&str>, now: DateTime<Utc>, page_size: u64, page_index: u64) -> ApiResult<(u64, Vec<Overdue>)> {
    let q = overdue_query(prefix, kind, now);
    let total = q.clone().count(db).await?;
    let rows = q
        .select_also(case::Entity)
        .order_by_asc(task::Column::DueAt)
        .order_by_asc(task::Column::Id)
        .offset(page_index * page_size)
        .limit(page_size)
        .all(db)
        .await?;
    Ok((
        total,
        rows.into_iter()
            .map(|(t, c)| Overdue {
                region_code: c.and_then(|c| c.owner_region_code),
                task_id: t.id,
                case_id: t.case_id,
                kind: t.kind,
                title: t.title,
                applicant_name: t.applicant_name,
                stage_name: t.stage_name,
                assignee_org_id: t.assignee_org_id,
                due_at: t.due_at.unwrap_or(now),
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_china_time() {
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 16, 30, 0).unwrap();
        assert_eq!(month_of(at), "2026-12");
        let (from, to) = month_bounds("2026-12").unwrap();
        assert_eq!(from, Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap());
        assert_eq!(to, Utc.with_ymd_and_hms(2026, 12, 31, 16, 0, 0).unwrap());
        assert!(from <= at && at < to);
        assert!(month_bounds("2026-13").is_none());
        assert!(month_bounds("26-1").is_none());
    }

    #[test]
    fn ranges_cover_a_prefix() {
        assert_eq!(range("4407"), ("4407".to_owned(), "4408".to_owned()));
        assert_eq!(range("449"), ("449".to_owned(), "44:".to_owned()));
    }
}
