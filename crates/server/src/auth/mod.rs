//! Who is making a request: the server-side session behind the cookie and the signed-in user it resolves
//! to ([`CurrentUser`]), with the roles that grant capabilities. Taking `CurrentUser` as a handler argument
//! is what makes an endpoint require sign-in; every capability uses it and nothing here knows any
//! capability (sign-in itself, with its limits and audit, is the accounts capability's).

pub mod entity;
pub mod session;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Serialize;
use utoipa::ToSchema;

use crate::directory::OrgSummary;
use crate::error::ApiError;
use crate::http::client_ip;
use crate::state::AppState;

/// Roles grant capabilities; the organization (and its region) scopes the data they apply to.
/// System, security and audit administration are separate roles (separation of duties, GB/T 22239 level 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Platform configuration, flows, organizations.
    SystemAdmin,
    /// Accounts, roles, unlocking.
    SecurityAdmin,
    /// Reads the audit log; changes nothing.
    AuditAdmin,
    /// Administers its own organization (departments, sub-accounts).
    OrgAdmin,
    /// An ordinary member of its organization; what it may do is set by its menu permissions.
    Member,
    /// A reviewing expert (product and acceptance reviews), usually in an agency or the expert pool.
    Expert,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin, Role::OrgAdmin, Role::Member, Role::Expert];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::AuditAdmin => "audit_admin",
            Role::OrgAdmin => "org_admin",
            Role::Member => "member",
            Role::Expert => "expert",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The signed-in user of a request, resolved from the session cookie. Taking it as a handler argument is
/// what makes an endpoint require sign-in.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
    pub organization: OrgSummary,
    pub phone_masked: Option<String>,
    /// Menu permission keys granted to a member (admins hold every permission of their organization).
    pub permissions: Vec<String>,
    /// A government user's department and user type (003 §4.1.2): which 责任科室 tasks it holds.
    pub department_id: Option<String>,
    pub user_type: Option<String>,
    pub ip: Option<String>,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Refuses unless the user acts for an organization of `kind` (a provider's, a lead unit's pages).
    pub fn require_org_kind(&self, kind: crate::directory::OrgKind) -> Result<(), ApiError> {
        if self.organization.kind == kind { Ok(()) } else { Err(ApiError::Forbidden(format!("仅{}可使用此功能", kind.label()))) }
    }

    /// Refuses unless the user holds one of `roles`. The denial is the caller's to audit.
    pub fn require_any(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.iter().any(|r| self.has_role(*r)) { Ok(()) } else { Err(ApiError::Forbidden("无权进行此操作".into())) }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let token = session::token_from_headers(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let mut user = session::resolve(state, &token).await?.ok_or(ApiError::Unauthenticated)?;
        user.ip = client_ip(parts);
        // A one-time or initial password must be replaced before the account does anything else.
        if user.must_change_password && !MAY_USE_BEFORE_PASSWORD_CHANGE.contains(&parts.uri.path()) {
            return Err(ApiError::PasswordChangeRequired);
        }
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

const MAY_USE_BEFORE_PASSWORD_CHANGE: &[&str] = &["/api/auth/me", "/api/auth/session", "/api/auth/password", "/api/auth/logout"];

/// `Option<CurrentUser>`: the user when signed in, `None` otherwise (for endpoints open to both).
impl axum::extract::OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(u) => Ok(Some(u)),
            Err(ApiError::Unauthenticated) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

