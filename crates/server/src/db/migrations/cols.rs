//! Column, key and index builders shared by the migrations (portable across SQLite and PostgreSQL).
//! Changing one changes no shipped schema only if its output stays the same: add a new builder instead.

use sea_orm_migration::prelude::*;

pub fn a(s: &str) -> Alias {
    Alias::new(s)
}
pub fn id(name: &str) -> ColumnDef {
    ColumnDef::new(a(name)).string_len(36).not_null().primary_key().to_owned()
}
pub fn s(name: &str, len: u32) -> ColumnDef {
    ColumnDef::new(a(name)).string_len(len).not_null().to_owned()
}
pub fn s_null(name: &str, len: u32) -> ColumnDef {
    ColumnDef::new(a(name)).string_len(len).null().to_owned()
}
pub fn text(name: &str) -> ColumnDef {
    ColumnDef::new(a(name)).text().not_null().to_owned()
}
pub fn text_null(name: &str) -> ColumnDef {
    ColumnDef::new(a(name)).text().null().to_owned()
}
pub fn ts(name: &str) -> ColumnDef {
    ColumnDef::new(a(name)).timestamp_with_time_zone().not_null().to_owned()
}
pub fn ts_null(name: &str) -> ColumnDef {
    ColumnDef::new(a(name)).timestamp_with_time_zone().null().to_owned()
}
pub fn int(name: &str) -> ColumnDef {
    ColumnDef::new(a(name)).integer().not_null().to_owned()
}
/// An integer counter starting at 0.
pub fn int_zero(name: &str) -> ColumnDef {
    ColumnDef::new(a(name)).integer().not_null().default(0).to_owned()
}
pub fn int_null(name: &str) -> ColumnDef {
    ColumnDef::new(a(name)).integer().null().to_owned()
}
pub fn fk(from_table: &str, from_col: &str, to_table: &str, to_col: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(a(from_table), a(from_col)).to(a(to_table), a(to_col)).to_owned()
}
pub fn idx(table: &str, name: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

/// Makes `table` append-only in the database: UPDATE and DELETE abort (and, with `no_truncate`, TRUNCATE on
/// PostgreSQL, which skips row triggers). Used by m0004 (`review_trail`) and m0010 (`audit_log`).
pub async fn append_only(db: &sea_orm_migration::SchemaManagerConnection<'_>, table: &str, no_truncate: bool) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            for op in ["UPDATE", "DELETE"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_no_{} BEFORE {op} ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;",
                    op.to_lowercase()
                ))
                .await?;
            }
        }
        DbBackend::Postgres => {
            db.execute_unprepared(&format!(
                "CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql;"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_append_only();"
            ))
            .await?;
            if no_truncate {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only();"
                ))
                .await?;
            }
        }
        _ => {}
    }
    Ok(())
}
