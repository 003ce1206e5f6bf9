//! Wrong passwords from known and unknown sources (issue 13: five wrong attempts by anyone used to lock any
//! account for 15 minutes — a stranger could keep an official out on the day of a deadline).
//!
//! A *known source* of an account is an address it signed in from successfully in the last
//! [`KNOWN_FOR_DAYS`] days (any method). From a known source the rule of 10-identity stays: wrong passwords
//! in a row lock the account (`lock_after_failures`, `lock_minutes`). From anywhere else, and for names
//! nobody holds, wrong passwords never lock the account: each (account or name typed, address) pair gets
//! `lock_after_failures` attempts, then a delay that doubles with each further failure (1, 2, 4 … minutes,
//! at most [`MAX_DELAY_MINUTES`]). The owner, signing in from their usual address (or by SMS code), is not
//! affected by what a stranger does elsewhere. Unknown names and accounts seen from an unknown address get
//! the same answers, so the answers do not tell which accounts exist.
//!
//! Attempts are claimed before the password is checked, with one conditional upsert, so concurrent guesses
//! from one address check at most the allowance (the same rule as the account's counter).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

pub const KNOWN_FOR_DAYS: i64 = 90;
pub const MAX_DELAY_MINUTES: i64 = 60;

/// Whether `ip` is a known source of the account.
pub async fn is_known(db: &impl ConnectionTrait, user_id: &str, ip: Option<&str>, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let Some(ip) = ip else { return Ok(false) };
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT 1 AS one FROM sign_in_sources WHERE user_id = $1 AND ip = $2 AND last_success_at > $3",
        _ => "SELECT 1 AS one FROM sign_in_sources WHERE user_id = ?1 AND ip = ?2 AND last_success_at > ?3",
    };
    let since = now - Duration::days(KNOWN_FOR_DAYS);
    Ok(db.query_one_raw(Statement::from_sql_and_values(backend, sql, [user_id.into(), clip(ip).into(), since.into()])).await?.is_some())
}

/// Remembers a successful sign-in from `ip`.
pub async fn remember(db: &impl ConnectionTrait, user_id: &str, ip: Option<&str>, now: DateTime<Utc>) -> Result<(), DbErr> {
    let Some(ip) = ip else { return Ok(()) };
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO sign_in_sources (user_id, ip, last_success_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, ip) DO UPDATE SET last_success_at = excluded.last_success_at"
        }
        _ => {
            "INSERT INTO sign_in_sources (user_id, ip, last_success_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (user_id, ip) DO UPDATE SET last_success_at = excluded.last_success_at"
        }
    };
    db.execute_raw(Statement::from_sql_and_values(backend, sql, [user_id.into(), clip(ip).into(), now.into()])).await?;
    Ok(())
}

/// The delay key of an account (by id, so a username and a phone number typed for it share it) or of a
/// name nobody holds, seen from one address.
pub fn key(account_or_name: &str, ip: Option<&str>) -> String {
    let who: String = account_or_name.to_lowercase().chars().take(64).collect();
    format!("{who}@{}", ip.map(clip).unwrap_or("unknown"))
}

/// The outcome of [`claim`].
pub enum Claim {
    /// This attempt may be checked; it is the n-th failure in a row if the password is wrong.
    Checked(i32),
    /// Wrong passwords used up the allowance: wait until then.
    Delayed(DateTime<Utc>),
    /// As many attempts as the address may still fail are being checked right now (concurrent sign-ins):
    /// not a wrong password, so answered like a full queue.
    Busy,
}

/// Minutes an address waits after its k-th failure beyond the allowance (k = 0, 1, …).
pub fn delay_minutes(k: i32) -> i64 {
    1i64.checked_shl(k.clamp(0, 30) as u32).unwrap_or(i64::MAX).min(MAX_DELAY_MINUTES)
}

/// Claims one attempt under `key`: counted now, before the password is checked. Allowed while fewer than
/// `allowance` attempts failed in a row, or once the delay set by the last failure has passed. When this
/// attempt reaches the allowance, the delay after it is set in the same statement (a right password clears
/// it with [`clear`]).
pub async fn claim(db: &impl ConnectionTrait, key: &str, allowance: i32, now: DateTime<Utc>) -> Result<Claim, DbErr> {
    let backend = db.get_database_backend();
    let p = |n: usize| match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    };
    // $1 key, $2 now, $3 allowance, $4.. the delay ends after the k-th failure beyond the allowance.
    const STEPS: i32 = 8;
    let mut cases = String::new();
    for k in 0..STEPS {
        cases.push_str(&format!(" WHEN {k} THEN {}", p(4 + k as usize)));
    }
    let next = format!(
        "CASE WHEN sign_in_delays.failures + 1 < {a} THEN sign_in_delays.next_allowed_at \
         ELSE CASE sign_in_delays.failures + 1 - {a}{cases} ELSE {last} END END",
        a = p(3),
        last = p(4 + STEPS as usize - 1),
    );
    let first_next = if allowance <= 1 { p(4) } else { p(2) };
    let sql = format!(
        "INSERT INTO sign_in_delays (key, failures, next_allowed_at) VALUES ({k}, 1, {first_next}) \
         ON CONFLICT (key) DO UPDATE SET failures = sign_in_delays.failures + 1, next_allowed_at = {next} \
         WHERE sign_in_delays.failures < {a} OR sign_in_delays.next_allowed_at <= {now} \
         RETURNING failures",
        k = p(1),
        a = p(3),
        now = p(2),
    );
    let mut values: Vec<Value> = vec![key.into(), now.into(), allowance.into()];
    for k in 0..STEPS {
        values.push((now + Duration::minutes(delay_minutes(k))).into());
    }
    if let Some(row) = db.query_one_raw(Statement::from_sql_and_values(backend, &sql, values)).await? {
        return Ok(Claim::Checked(row.try_get::<i32>("", "failures")?));
    }
    let sql = format!("SELECT next_allowed_at, failed FROM sign_in_delays WHERE key = {}", p(1));
    let Some(row) = db.query_one_raw(Statement::from_sql_and_values(backend, &sql, [key.into()])).await? else {
        return Ok(Claim::Busy);
    };
    if row.try_get::<i32>("", "failed")? < allowance {
        return Ok(Claim::Busy);
    }
    Ok(Claim::Delayed(row.try_get::<DateTime<Utc>>("", "next_allowed_at")?))
}

/// Records that a claimed attempt's password was wrong.
pub async fn failed(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "UPDATE sign_in_delays SET failed = failed + 1 WHERE key = $1",
        _ => "UPDATE sign_in_delays SET failed = failed + 1 WHERE key = ?1",
    };
    db.execute_raw(Statement::from_sql_and_values(backend, sql, [key.into()])).await?;
    Ok(())
}

/// Gives back an attempt claimed by [`claim`] whose password was never checked (the password gate was full).
pub async fn release(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "UPDATE sign_in_delays SET failures = failures - 1 WHERE key = $1 AND failures > 0",
        _ => "UPDATE sign_in_delays SET failures = failures - 1 WHERE key = ?1 AND failures > 0",
    };
    db.execute_raw(Statement::from_sql_and_values(backend, sql, [key.into()])).await?;
    Ok(())
}

/// A right password ends the run of failures from that address.
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "DELETE FROM sign_in_delays WHERE key = $1",
        _ => "DELETE FROM sign_in_delays WHERE key = ?1",
    };
    db.execute_raw(Statement::from_sql_and_values(backend, sql, [key.into()])).await?;
    Ok(())
}

/// Ends every delay of the account (an administrator's 解锁).
pub async fn clear_account(db: &impl ConnectionTrait, user_id: &str) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "DELETE FROM sign_in_delays WHERE key LIKE $1",
        _ => "DELETE FROM sign_in_delays WHERE key LIKE ?1",
    };
    // A user id is a UUID: no LIKE wildcards of its own.
    db.execute_raw(Statement::from_sql_and_values(backend, sql, [format!("{}@%", user_id.to_lowercase()).into()])).await?;
    Ok(())
}

fn clip(ip: &str) -> &str {
    match ip.char_indices().nth(64) {
        Some((i, _)) => &ip[..i],
        None => ip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let d: Vec<i64> = (0..9).map(delay_minutes).collect();
        assert_eq!(d, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(delay_minutes(1_000), 60);
    }

    #[test]
    fn keys_are_per_account_and_address() {
        assert_eq!(key("Enterprise_Demo", Some("198.51.100.7")), "enterprise_demo@198.51.100.7");
        assert_eq!(key("x", None), "x@unknown");
    }
}
