//! Responsible sections (责任科室, 003 §4.1.3, §4.4.3). A 「responsible section」 stage goes to the bureau of the
//! case's region like a 「region authority」 stage; the bureau names, per scope (the case kind's
//! [`section_scope`](super::CaseKind::section_scope), for calls the track), the department whose handlers take
//! it. The task then carries that department and the stage's user type (`district_member`,
//! `city_section_member`, `city_section_leader`): only a user of that department and type acts on it, or the
//! bureau's administrator, who answers for the whole bureau. Without an assignment the whole bureau's handlers
//! of that type act, so a bureau that has not set its sections yet still works.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter};

use super::entity::{section, task};
use crate::auth::{CurrentUser, Role};
use crate::error::ApiResult;

/// Who the user is among its organization's handlers: what narrows the tasks it holds.
#[derive(Debug, Clone, Default)]
pub struct Holder {
    /// The organization's administrator holds every task of the organization.
    pub all: bool,
    pub department_id: Option<String>,
    pub user_type: Option<String>,
    /// The user: a personal task (an assigned 验收专家's) is held by its person alone, administrators included.
    pub user_id: Option<String>,
}

impl Holder {
    pub fn of(user: &CurrentUser) -> Holder {
        Holder { all: user.has_role(Role::OrgAdmin), department_id: user.department_id.clone(), user_type: user.user_type.clone(), user_id: Some(user.user_id.clone()) }
    }

    /// Every task of the organization (benchmarks, administrators).
    pub fn everyone() -> Holder {
        Holder { all: true, ..Default::default() }
    }

    pub fn holds(&self, t: &task::Model) -> bool {
        self.holds_person(t.assignee_user_id.as_deref()) && self.holds_section(t.department_id.as_deref(), t.user_type.as_deref())
    }

    /// Whether a task of this person (unset: the organization's) is the user's. Benchmarks' [`everyone`]
    /// (no user) hold every task.
    pub fn holds_person(&self, person: Option<&str>) -> bool {
        person.is_none_or(|p| self.user_id.as_deref().is_none_or(|me| me == p))
    }

    /// Whether a task of this department and user type (either unset: any) is the user's.
    pub fn holds_section(&self, department_id: Option<&str>, user_type: Option<&str>) -> bool {
        self.all
            || (department_id.is_none_or(|d| self.department_id.as_deref() == Some(d)) && user_type.is_none_or(|u| self.user_type.as_deref() == Some(u)))
    }

    /// The same as [`holds`](Self::holds), as a condition on `review_tasks`.
    pub fn condition(&self) -> Condition {
        let person = match &self.user_id {
            Some(me) => person_condition(me),
            None => Condition::all(),
        };
        if self.all {
            return Condition::all().add(person);
        }
        let column = |c: task::Column, mine: &Option<String>| {
            let any = Condition::any().add(c.is_null());
            match mine {
                Some(v) => any.add(c.eq(v.clone())),
                None => any,
            }
        };
        Condition::all().add(person).add(column(task::Column::DepartmentId, &self.department_id)).add(column(task::Column::UserType, &self.user_type))
    }
}

/// The tasks `user_id` may hold as a person: the organization's, and its own personal ones (not another
/// expert's), as a condition on `review_tasks`.
pub fn person_condition(user_id: &str) -> Condition {
    Condition::any().add(task::Column::AssigneeUserId.is_null()).add(task::Column::AssigneeUserId.eq(user_id))
}

/// The departments `org_id` has made responsible, by scope.
pub async fn assigned(db: &impl ConnectionTrait, org_id: &str) -> ApiResult<HashMap<String, String>> {
    Ok(section::Entity::find()
        .filter(section::Column::OrganizationId.eq(org_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.scope, s.department_id))
        .collect())
}

/// The department responsible for `scope` in `org_id`, if one is assigned.
pub async fn responsible(db: &impl ConnectionTrait, scope: &str, org_id: &str) -> ApiResult<Option<String>> {
    Ok(section::Entity::find_by_id((scope.to_owned(), org_id.to_owned())).one(db).await?.map(|s| s.department_id))
}

/// Makes `department_id` responsible for every scope in `scopes` (or clears them with `None`), in the caller's
/// transaction: a batch is set whole or not at all. Tasks already open keep their department; those opened
/// from now on take the new one.
pub async fn assign(txn: &DatabaseTransaction, org_id: &str, scopes: &[String], department_id: Option<&str>, by: &str) -> ApiResult<()> {
    for chunk in scopes.chunks(500) {
        section::Entity::delete_many()
            .filter(section::Column::OrganizationId.eq(org_id))
            .filter(section::Column::Scope.is_in(chunk.to_vec()))
            .exec(txn)
            .await?;
    }
    if let Some(d) = department_id {
        let now = Utc::now();
        let rows = scopes.iter().map(|scope| section::ActiveModel {
            scope: Set(scope.clone()),
            organization_id: Set(org_id.to_owned()),
            department_id: Set(d.to_owned()),
            assigned_by: Set(Some(by.to_owned())),
            assigned_at: Set(now),
        });
        crate::db::insert_all(txn, rows.collect()).await?;
    }
    Ok(())
}

/// Whether the department is responsible for anything (a department still responsible is not deleted).
pub async fn is_responsible(db: &impl ConnectionTrait, department_id: &str) -> ApiResult<bool> {
    Ok(section::Entity::find().filter(section::Column::DepartmentId.eq(department_id)).count(db).await? > 0)
}
