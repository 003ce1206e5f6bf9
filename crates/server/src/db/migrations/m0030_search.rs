//! 站内搜索 (issue 20, docs/decisions/0027-site-search.md): one row per searchable document (portal content,
//! published calls, catalogue products) in `search_docs`, its title and text already segmented into Chinese
//! words (jieba) and joined by spaces, so each database's own full-text index does the rest:
//! SQLite an FTS5 table over those columns (external content, kept in step by triggers), PostgreSQL a stored
//! `tsvector` ('simple': the words as they are, title weighted A) with a GIN index. `visible_from` is when a
//! scheduled document may appear (compared with the server's clock at query time).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0030_search"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("search_docs"))
                .col(s("id", 80))
                .primary_key(Index::create().col(a("id")))
                .col(s("kind", 20))
                .col(s("ref_id", 36))
                .col(s("title", 300))
                .col(s("summary", 300))
                .col(s("link", 300))
                .col(ts("date"))
                .col(ts_null("visible_from"))
                .col(text("title_tokens"))
                .col(text("body_tokens"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("search_docs", "search_docs_kind", &["kind", "ref_id"], false)).await?;
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                for sql in [
                    "CREATE VIRTUAL TABLE search_fts USING fts5(title_tokens, body_tokens, content='search_docs', content_rowid='rowid', tokenize='unicode61')",
                    "CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN INSERT INTO search_fts(rowid, title_tokens, body_tokens) VALUES (new.rowid, new.title_tokens, new.body_tokens); END",
                    "CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN INSERT INTO search_fts(search_fts, rowid, title_tokens, body_tokens) VALUES ('delete', old.rowid, old.title_tokens, old.body_tokens); END",
                    "CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN INSERT INTO search_fts(search_fts, rowid, title_tokens, body_tokens) VALUES ('delete', old.rowid, old.title_tokens, old.body_tokens); INSERT INTO search_fts(rowid, title_tokens, body_tokens) VALUES (new.rowid, new.title_tokens, new.body_tokens); END",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', title_tokens), 'A') || setweight(to_tsvector('simple', body_tokens), 'B')) STORED",
                )
                .await?;
                db.execute_unprepared("CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv)").await?;
            }
            _ => return Err(DbErr::Custom("unsupported database".into())),
        }
        Ok(())
    }
}
