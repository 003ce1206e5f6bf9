//! A hash chain over the audit log (等保 2.0 安全审计: audit records are protected from deletion, change and
//! forgery; issue 13). The triggers of m0010 stop UPDATE and DELETE for anyone using the application's
//! database account; the chain is what shows, afterwards, that nobody with more rights rewrote history.
//!
//! **How.** Entries are written as they always were (any number of writers, multi-row inserts, no lock).
//! A sealer — `serve` runs it every `audit.seal_interval_seconds`, and `shuzhuan verify-audit` reads its
//! work — takes the entries not yet sealed in the order of their ids and appends one row per entry to
//! `audit_seals`: its position in the chain, the entry's id and `hash = SHA-256(previous hash ‖ entry)`, the
//! entry as the canonical JSON array of every column ([`canonical`]). Sealing is separate from writing so
//! that writers never serialize on the head of the chain (a deadline rush writes thousands of entries a
//! minute from many instances). Several sealers may run at once: the position is the primary key, so the
//! second one to append the same position fails and leaves the work to the first.
//!
//! **What it detects** ([`verify`]): a sealed entry changed (its hash no longer matches) or removed (its seal
//! points at nothing), a seal removed (a gap in the positions), the chain re-ordered. Entries written in the
//! last seconds are not sealed yet; the report counts them. A rewrite of the whole chain by someone who can
//! also disable the seals' triggers is detected only by comparing the head with a copy kept elsewhere: the
//! command prints the head (position and hash) for the operator to record.

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, DatabaseConnection, QueryOrder, QuerySelect, QueryTrait, TransactionTrait};
use sha2::{Digest, Sha256};

use super::entity as audit_log;

/// The seals table: one row per sealed entry, append-only like the log itself (m0011).
pub mod seals {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_seals")]
    pub struct Model {
        /// 1, 2, 3 … in chain order; the primary key makes two sealers of one position impossible.
        #[sea_orm(primary_key, auto_increment = false)]
        pub position: i64,
        #[sea_orm(unique)]
        pub entry_id: i64,
        /// Hex SHA-256 of the previous seal's hash and the entry.
        pub hash: String,
        pub sealed_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The hash before the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Entries sealed per transaction.
const BATCH: u64 = 1_000;

/// How far below the newest sealed entry the sealer still looks for unsealed ones. On PostgreSQL an id is
/// taken when the row is inserted and becomes visible when its transaction commits, so an entry can appear
/// after entries with larger ids were sealed; it is then sealed at the next position. A transaction that
/// stays open while this many other entries are written and sealed is not expected; `verify` reports any
/// entry left behind as unsealed.
const LATE_WINDOW: i64 = 100_000;

/// The entry as hashed: every column, in a fixed order, as JSON (strings escaped one way, `null` for absent).
/// The time is written to the microsecond, the precision both databases keep.
pub fn canonical(e: &audit_log::Model) -> String {
    serde_json::json!([
        e.id,
        e.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        e.actor_user_id,
        e.actor_username,
        e.actor_org_id,
        e.actor_roles,
        e.ip,
        e.action,
        e.object_type,
        e.object_id,
        e.result,
        e.detail,
    ])
    .to_string()
}

pub fn link(previous: &str, entry: &audit_log::Model) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(canonical(entry).as_bytes());
    hex::encode(h.finalize())
}

/// Seals every entry not yet sealed; returns how many it sealed. When another sealer appended the same
/// positions first, this one stops without error (its transaction is rolled back; the entries are sealed).
pub async fn seal(db: &DatabaseConnection) -> Result<u64, DbErr> {
    let mut sealed = 0;
    loop {
        let txn = crate::db::begin_write(db).await?;
        let head = seals::Entity::find().order_by_desc(seals::Column::Position).one(&txn).await?;
        let (mut position, mut previous, floor) = match &head {
            Some(h) => (h.position, h.hash.clone(), h.entry_id - LATE_WINDOW),
            None => (0, GENESIS.to_string(), i64::MIN),
        };
        let sealed_ids = seals::Entity::find().select_only().column(seals::Column::EntryId).filter(seals::Column::EntryId.gt(floor)).into_query();
        let entries = audit_log::Entity::find()
            .filter(audit_log::Column::Id.gt(floor))
            .filter(audit_log::Column::Id.not_in_subquery(sealed_ids))
            .order_by_asc(audit_log::Column::Id)
            .limit(BATCH)
            .all(&txn)
            .await?;
        if entries.is_empty() {
            return Ok(sealed);
        }
        let now = Utc::now();
        let rows: Vec<seals::ActiveModel> = entries
            .iter()
            .map(|e| {
                position += 1;
                previous = link(&previous, e);
                seals::ActiveModel { position: Set(position), entry_id: Set(e.id), hash: Set(previous.clone()), sealed_at: Set(now) }
            })
            .collect();
        let n = rows.len() as u64;
        match crate::db::insert_all(&txn, rows).await {
            Ok(()) => {}
            Err(e) if is_unique_violation(&e) => return Ok(sealed),
            Err(e) => return Err(e),
        }
        match txn.commit().await {
            Ok(()) => sealed += n,
            Err(e) if is_unique_violation(&e) => return Ok(sealed),
            Err(e) => return Err(e),
        }
        if n < BATCH {
            return Ok(sealed);
        }
    }
}

/// What [`verify`] found.
#[derive(Debug, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Report {
    /// Entries in the chain.
    pub sealed: u64,
    /// Entries written but not sealed yet (the sealer runs every few seconds).
    pub unsealed: u64,
    /// The last seal: the operator keeps a copy elsewhere to detect a rewrite of the whole chain.
    pub head_position: i64,
    pub head_hash: String,
    /// Each break of the chain, in Chinese, in chain order; empty when the log is intact.
    pub problems: Vec<String>,
}

impl Report {
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Walks the whole chain, recomputing every hash from the entries as they are now stored.
/// Each break is reported once: after a mismatch the walk goes on from the stored hash.
pub async fn verify(db: &DatabaseConnection) -> Result<Report, DbErr> {
    const PAGE: u64 = 5_000;
    let txn = db.begin().await?;
    let mut report = Report { head_hash: GENESIS.into(), ..Default::default() };
    let mut previous = GENESIS.to_string();
    let mut expected_position = 1;
    loop {
        let seals = seals::Entity::find()
            .filter(seals::Column::Position.gte(expected_position))
            .order_by_asc(seals::Column::Position)
            .limit(PAGE)
            .all(&txn)
            .await?;
        if seals.is_empty() {
            break;
        }
        let ids: Vec<i64> = seals.iter().map(|s| s.entry_id).collect();
        let entries: std::collections::HashMap<i64, audit_log::Model> =
            audit_log::Entity::find().filter(audit_log::Column::Id.is_in(ids)).all(&txn).await?.into_iter().map(|e| (e.id, e)).collect();
        for s in &seals {
            if s.position != expected_position {
                report.problems.push(format!("封存记录第 {expected_position}–{} 位缺失（封存表被改动）", s.position - 1));
            }
            match entries.get(&s.entry_id) {
                None => report.problems.push(format!("第 {} 位：审计记录（编号 {}）已被删除", s.position, s.entry_id)),
                Some(e) if link(&previous, e) != s.hash => {
                    report.problems.push(format!("第 {} 位：审计记录（编号 {}，{}，{}）已被修改", s.position, e.id, when(e.at), e.action))
                }
                Some(_) => {}
            }
            previous = s.hash.clone();
            expected_position = s.position + 1;
            report.sealed += 1;
            report.head_position = s.position;
            report.head_hash = s.hash.clone();
        }
    }
    let total = audit_log::Entity::find().count(&txn).await?;
    let present = report.sealed - report.problems.iter().filter(|p| p.contains("已被删除")).count() as u64;
    report.unsealed = total.saturating_sub(present);
    txn.commit().await?;
    Ok(report)
}

fn when(at: DateTime<Utc>) -> String {
    crate::time::display(at)
}

fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

/// Seals in the background (`serve`); 0 seconds turns it off.
pub fn spawn(db: DatabaseConnection, seconds: u64) {
    if seconds == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(seconds));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tick.tick().await;
            if let Err(e) = seal(&db).await {
                tracing::warn!(error = %e, "sealing the audit log failed; retried at the next tick");
            }
        }
    });
}
