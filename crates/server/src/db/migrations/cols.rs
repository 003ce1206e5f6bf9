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
