//! The foundation schema: reference data, organizations, users and sessions, files, the audit log.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

/// Ids are UUID strings: portable, and safe to generate on any app instance.
fn id_col(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).string_len(36).not_null().primary_key().to_owned()
}

fn ref_col(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).string_len(36).not_null().to_owned()
}

fn time_col(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).timestamp_with_time_zone().not_null().to_owned()
}

fn index(table: impl IntoIden + Clone, name: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Administrative divisions (GB/T 2260 + towns) and GB/T 4754 industries: loaded from data/reference.
        m.create_table(
            Table::create()
                .table(Regions::Table)
                .col(ColumnDef::new(Regions::Code).string_len(12).not_null().primary_key())
                .col(ColumnDef::new(Regions::Name).string_len(100).not_null())
                .col(ColumnDef::new(Regions::Level).string_len(16).not_null())
                .col(ColumnDef::new(Regions::ParentCode).string_len(12).null())
                .foreign_key(ForeignKey::create().from(Regions::Table, Regions::ParentCode).to(Regions::Table, Regions::Code))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Regions::Table, "idx_regions_parent", &["parent_code", "code"])).await?;

        m.create_table(
            Table::create()
                .table(Industries::Table)
                .col(ColumnDef::new(Industries::Code).string_len(8).not_null().primary_key())
                .col(ColumnDef::new(Industries::Name).string_len(200).not_null())
                .col(ColumnDef::new(Industries::Level).string_len(16).not_null())
                .col(ColumnDef::new(Industries::ParentCode).string_len(8).null())
                .foreign_key(
                    ForeignKey::create().from(Industries::Table, Industries::ParentCode).to(Industries::Table, Industries::Code),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(Industries::Table, "idx_industries_parent", &["parent_code"])).await?;

        m.create_table(
            Table::create()
                .table(Organizations::Table)
                .col(id_col(Organizations::Id))
                .col(ColumnDef::new(Organizations::Name).string_len(200).not_null())
                .col(ColumnDef::new(Organizations::Kind).string_len(32).not_null())
                .col(ColumnDef::new(Organizations::Uscc).string_len(18).null())
                .col(ColumnDef::new(Organizations::RegionCode).string_len(12).null())
                .col(ColumnDef::new(Organizations::ParentId).string_len(36).null())
                .col(time_col(Organizations::CreatedAt))
                .col(time_col(Organizations::UpdatedAt))
                .foreign_key(
                    ForeignKey::create().from(Organizations::Table, Organizations::RegionCode).to(Regions::Table, Regions::Code),
                )
                .foreign_key(
                    ForeignKey::create().from(Organizations::Table, Organizations::ParentId).to(Organizations::Table, Organizations::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(Organizations::Table, "idx_orgs_region_kind", &["region_code", "kind"])).await?;
        m.create_index(index(Organizations::Table, "idx_orgs_kind_name", &["kind", "name"])).await?;
        m.create_index(index(Organizations::Table, "idx_orgs_parent", &["parent_id"])).await?;
        m.create_index(index(Organizations::Table, "idx_orgs_uscc", &["uscc"])).await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(id_col(Users::Id))
                .col(ref_col(Users::OrganizationId))
                .col(ColumnDef::new(Users::Username).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(Users::DisplayName).string_len(100).not_null())
                .col(ColumnDef::new(Users::PasswordHash).string_len(255).not_null())
                .col(ColumnDef::new(Users::Status).string_len(16).not_null())
                .col(ColumnDef::new(Users::MustChangePassword).boolean().not_null())
                .col(time_col(Users::CreatedAt))
                .col(time_col(Users::UpdatedAt))
                .col(ColumnDef::new(Users::LastLoginAt).timestamp_with_time_zone().null())
                .foreign_key(ForeignKey::create().from(Users::Table, Users::OrganizationId).to(Organizations::Table, Organizations::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Users::Table, "idx_users_org", &["organization_id"])).await?;

        m.create_table(
            Table::create()
                .table(UserRoles::Table)
                .col(ref_col(UserRoles::UserId))
                .col(ColumnDef::new(UserRoles::Role).string_len(32).not_null())
                .primary_key(Index::create().col(UserRoles::UserId).col(UserRoles::Role))
                .foreign_key(
                    ForeignKey::create()
                        .from(UserRoles::Table, UserRoles::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        // Sessions live in the database so that any app instance can serve any request.
        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(ColumnDef::new(Sessions::TokenHash).string_len(64).not_null().primary_key())
                .col(ref_col(Sessions::UserId))
                .col(time_col(Sessions::CreatedAt))
                .col(time_col(Sessions::LastSeenAt))
                .col(time_col(Sessions::ExpiresAt))
                .col(ColumnDef::new(Sessions::Ip).string_len(64).null())
                .col(ColumnDef::new(Sessions::UserAgent).string_len(255).null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(Sessions::Table, "idx_sessions_user", &["user_id"])).await?;

        m.create_table(
            Table::create()
                .table(Files::Table)
                .col(id_col(Files::Id))
                .col(ref_col(Files::OrganizationId))
                .col(ref_col(Files::UploadedBy))
                .col(ColumnDef::new(Files::Purpose).string_len(32).not_null())
                .col(ColumnDef::new(Files::OriginalName).string_len(255).not_null())
                .col(ColumnDef::new(Files::ContentType).string_len(128).not_null())
                .col(ColumnDef::new(Files::SizeBytes).big_integer().not_null())
                .col(ColumnDef::new(Files::Sha256).string_len(64).not_null())
                .col(ColumnDef::new(Files::StorageKey).string_len(255).not_null())
                .col(time_col(Files::CreatedAt))
                .foreign_key(ForeignKey::create().from(Files::Table, Files::OrganizationId).to(Organizations::Table, Organizations::Id))
                .foreign_key(ForeignKey::create().from(Files::Table, Files::UploadedBy).to(Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Files::Table, "idx_files_org_created", &["organization_id", "created_at"])).await?;

        // Append-only: the application never updates or deletes rows here.
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(ColumnDef::new(AuditLog::Id).big_integer().not_null().auto_increment().primary_key())
                .col(time_col(AuditLog::At))
                .col(ColumnDef::new(AuditLog::ActorUserId).string_len(36).null())
                .col(ColumnDef::new(AuditLog::ActorUsername).string_len(64).null())
                .col(ColumnDef::new(AuditLog::ActorOrgId).string_len(36).null())
                .col(ColumnDef::new(AuditLog::ActorRoles).string_len(255).null())
                .col(ColumnDef::new(AuditLog::Ip).string_len(64).null())
                .col(ColumnDef::new(AuditLog::Action).string_len(64).not_null())
                .col(ColumnDef::new(AuditLog::ObjectType).string_len(64).null())
                .col(ColumnDef::new(AuditLog::ObjectId).string_len(64).null())
                .col(ColumnDef::new(AuditLog::Result).string_len(16).not_null())
                .col(ColumnDef::new(AuditLog::Detail).text().null())
                .to_owned(),
        )
        .await?;
        m.create_index(index(AuditLog::Table, "idx_audit_at", &["at"])).await?;
        m.create_index(index(AuditLog::Table, "idx_audit_actor", &["actor_user_id", "at"])).await?;
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum Regions {
    Table,
    Code,
    Name,
    Level,
    ParentCode,
}

#[derive(DeriveIden, Clone)]
enum Industries {
    Table,
    Code,
    Name,
    Level,
    ParentCode,
}

#[derive(DeriveIden, Clone)]
enum Organizations {
    Table,
    Id,
    Name,
    Kind,
    Uscc,
    RegionCode,
    ParentId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum Users {
    Table,
    Id,
    OrganizationId,
    Username,
    DisplayName,
    PasswordHash,
    Status,
    MustChangePassword,
    CreatedAt,
    UpdatedAt,
    LastLoginAt,
}

#[derive(DeriveIden, Clone)]
enum UserRoles {
    Table,
    UserId,
    Role,
}

#[derive(DeriveIden, Clone)]
enum Sessions {
    Table,
    TokenHash,
    UserId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    Ip,
    UserAgent,
}

#[derive(DeriveIden, Clone)]
enum Files {
    Table,
    Id,
    OrganizationId,
    UploadedBy,
    Purpose,
    OriginalName,
    ContentType,
    SizeBytes,
    Sha256,
    StorageKey,
    CreatedAt,
}

#[derive(DeriveIden, Clone)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    ActorUsername,
    ActorOrgId,
    ActorRoles,
    Ip,
    Action,
    ObjectType,
    ObjectId,
    Result,
    Detail,
}
