use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organization_id: String,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    /// `active` or `disabled`.
    pub status: String,
    pub must_change_password: bool,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    pub last_login_at: Option<ChronoDateTimeUtc>,
    /// AES-GCM ciphertext of the phone number (see `crypto`).
    pub phone_cipher: Option<String>,
    /// Keyed hash of the phone number, for uniqueness within the organization.
    pub phone_hash: Option<String>,
    pub email: Option<String>,
    /// Government users (003 §4.1.2): city section leader / member, district or town admin.
    pub user_type: Option<String>,
    pub department_id: Option<String>,
    pub identity_type: Option<String>,
    pub identity_cipher: Option<String>,
    pub remarks: Option<String>,
    /// JSON list of menu permission keys (sub-accounts, 001 §1.4.9).
    pub permissions: Option<String>,
    pub failed_logins: i32,
    pub locked_until: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
