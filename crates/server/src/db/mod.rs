//! The database: SQLite by default, PostgreSQL when the URL says so, one codebase for both.
//!
//! Guardrails (see docs/decisions/0002-database.md): portable column types only, foreign keys declared
//! with the table, no PostgreSQL-only SQL in core paths, SQLite pragmas set on every connection.

pub mod migrations;

use std::path::PathBuf;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use sea_orm_migration::MigratorTrait;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("不支持的数据库地址「{0}」：仅支持 sqlite://路径 或 postgres://…")]
    UnknownScheme(String),
    #[error("无法创建数据库目录 {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("无法连接数据库 {url}: {message}")]
    Connect { url: String, message: String },
    #[error("数据库迁移失败: {0}")]
    Migrate(String),
}

/// Parses the URL's scheme into a backend, refusing anything else before any connection is tried.
pub fn backend_of(url: &str) -> Result<Backend, DbSetupError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(DbSetupError::UnknownScheme(redact(url)))
    }
}

/// Hides a password in a URL before it is shown or logged.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path.starts_with(":memory:") {
        return None;
    }
    Some(PathBuf::from(path))
}

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbSetupError> {
    let backend = backend_of(url)?;
    let mut options = ConnectOptions::new(url.to_string());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10));
    match backend {
        Backend::Sqlite => {
            if let Some(file) = sqlite_file(url)
                && let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir)
                    .map_err(|source| DbSetupError::CreateDir { path: dir.display().to_string(), source })?;
            }
            // WAL lets readers proceed during a write; NORMAL sync is durable across app crashes in WAL mode;
            // the busy timeout turns writer contention into waiting instead of "database is locked" errors.
            options.max_connections(8).map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .foreign_keys(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
            });
        }
        Backend::Postgres => {
            options.max_connections(20);
        }
    }
    Database::connect(options)
        .await
        .map_err(|e| DbSetupError::Connect { url: redact(url), message: e.to_string() })
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbSetupError> {
    migrations::Migrator::up(db, None).await.map_err(|e| DbSetupError::Migrate(e.to_string()))
}

pub fn backend(db: &DatabaseConnection) -> Backend {
    match db.get_database_backend() {
        DbBackend::Postgres => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// A cheap round trip, used by the health endpoint.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_schemes_are_refused_with_the_password_hidden() {
        let err = backend_of("mysql://root:secret@localhost/db").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("不支持"), "{text}");
        assert!(!text.contains("secret"), "{text}");
        assert_eq!(backend_of("sqlite://data/x.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("postgresql://h/db").unwrap(), Backend::Postgres);
    }

    #[test]
    fn sqlite_file_path_is_extracted() {
        assert_eq!(sqlite_file("sqlite://data/s.db?mode=rwc"), Some(PathBuf::from("data/s.db")));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
    }
}

/// Begins a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at the
/// start, so concurrent writers queue on the busy timeout. A default (deferred) transaction that reads
/// before it writes cannot wait: when another connection committed in between, SQLite refuses the upgrade
/// at once (`SQLITE_BUSY_SNAPSHOT`), and a check-then-insert such as creating a user answered 500 under
/// concurrency. PostgreSQL ignores the setting.
pub async fn begin_write(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() }).await
}

/// Bind parameters one statement may carry on both backends: PostgreSQL allows 65,535, the SQLite we
/// bundle 32,766; a margin is kept below the smaller.
const STATEMENT_PARAMETERS: usize = 30_000;

/// Inserts `rows` with multi-row `INSERT`s, as many rows per statement as the bind-parameter limit allows:
/// a batch of a thousand audit entries is a few statements, not a thousand round trips. All rows must set
/// the same columns (an auto-increment id left unset in every row).
pub async fn insert_all<A>(db: &impl sea_orm::ConnectionTrait, mut rows: Vec<A>) -> Result<(), sea_orm::DbErr>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    use sea_orm::{EntityTrait, Iterable};
    let columns = <<A::Entity as EntityTrait>::Column as Iterable>::iter().count().max(1);
    let per_statement = (STATEMENT_PARAMETERS / columns).max(1);
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(per_statement));
        <A::Entity as EntityTrait>::insert_many(std::mem::replace(&mut rows, rest)).exec(db).await?;
    }
    Ok(())
}
