//! Fixed-window rate limits kept in the database, so a limit holds across every app instance.
//! One atomic upsert per check (`INSERT … ON CONFLICT … RETURNING`, supported by SQLite ≥ 3.35 and
//! PostgreSQL).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement};

#[derive(FromQueryResult)]
struct Count {
    count: i64,
}

/// Counts one event under `key` in the current window and says whether it is still within `max`.
pub async fn hit(db: &impl ConnectionTrait, key: &str, window: Duration, max: i64) -> Result<bool, DbErr> {
    Ok(count_hit(db, key, window, Utc::now()).await? <= max)
}

/// Returns the number of events in the window including this one.
pub async fn count_hit(db: &impl ConnectionTrait, key: &str, window: Duration, now: DateTime<Utc>) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    let expired_before = now - window;
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            "INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1) \
             ON CONFLICT (key) DO UPDATE SET \
               count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END, \
               window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END \
             RETURNING count"
        }
        _ => {
            "INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1) \
             ON CONFLICT (key) DO UPDATE SET \
               count = CASE WHEN window_start <= ?3 THEN 1 ELSE count + 1 END, \
               window_start = CASE WHEN window_start <= ?3 THEN ?2 ELSE window_start END \
             RETURNING count"
        }
    };
    let row = Count::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [key.into(), now.into(), expired_before.into()],
    ))
    .one(db)
    .await?
    .ok_or_else(|| DbErr::Custom("rate limit upsert returned no row".into()))?;
    Ok(row.count)
}
