//! The audit log as an auditor reads it: actions in Chinese, people and organizations by name, objects by
//! name with a link, and what changed. The log stores codes and ids (stable, and what an investigation
//! searches by); the words are added when it is read, so a renamed organization reads with its name of today
//! and the id stays in the record.
//!
//! Objects of capabilities above this module (a review case, a file) are named by those capabilities: each
//! registers an [`ObjectNames`] (decision 0012), as case kinds register with the review engine.

use std::collections::HashMap;

use futures::future::BoxFuture;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::entity;
use crate::directory::{department, org, user};
use crate::error::ApiResult;

/// The actions the platform records, with their Chinese names. An action missing here still shows, by its
/// code; the test `audit::every_recorded_action_has_a_label` keeps the list complete.
pub const ACTIONS: &[(&str, &str)] = &[
    ("login", "登录"),
    ("logout", "退出登录"),
    ("lockout", "账号锁定"),
    ("register", "注册"),
    ("password_change", "修改密码"),
    ("password_reset", "找回密码"),
    ("admin_password_reset", "命令行重置管理员密码"),
    ("phone_change", "修改手机号"),
    ("user_create", "新增用户"),
    ("user_update", "编辑用户"),
    ("user_disable", "停用用户"),
    ("user_delete", "删除用户"),
    ("user_password_reset", "重置用户密码"),
    ("user_unlock", "解锁用户"),
    ("user_roles_change", "分配角色"),
    ("unmask_phone", "查看完整手机号"),
    ("unmask_personal_data", "查看申请中的个人信息"),
    ("department_create", "新增部门"),
    ("department_update", "编辑部门"),
    ("department_delete", "删除部门"),
    ("org_profile_update", "修改单位信息"),
    ("org_change_request", "申请信息变更"),
    ("file_upload", "上传文件"),
    ("file_generate", "生成文件"),
    ("call_program_create", "新建申报专题"),
    ("call_track_create", "新增申报方向"),
    ("call_create", "新建申报通知"),
    ("call_update", "修改申报设置"),
    ("call_batch_update", "批量设置申报"),
    ("call_publish", "发布申报通知"),
    ("call_form_version", "保存申报表新版本"),
    ("responsible_section_assign", "设置责任科室"),
    ("recommendation_letter_upload", "上传推荐函"),
    ("recommendation_letter_delete", "删除推荐函"),
    ("recommendation_summary_export", "下载推荐汇总表"),
    ("result_notice_publish", "发布结果公示"),
    ("file_download", "下载文件"),
    ("assessment_submit", "提交诊断评测"),
    ("project_pre_diagnosis", "选择事前诊断结果"),
    ("project_diagnosis_agency", "确定事前诊断机构"),
    ("project_evaluation_agency", "确定事后评估机构"),
    ("project_evaluation_mode", "选择事后评估方式"),
    ("project_signing_send", "发送牵引单位协助填写签约信息"),
    ("project_signing_assist", "牵引单位提交签约信息"),
    ("project_signing_submit", "提交项目签约"),
    ("project_signing_change", "项目签约信息变更"),
    ("project_implementation_send", "发送牵引单位协助填写项目实施信息"),
    ("project_implementation_assist", "牵引单位提交项目实施信息"),
    ("project_implementation_submit", "提交项目实施-改造中"),
    ("project_implementation_change", "项目实施-改造中信息变更"),
    ("project_completion_submit", "提交项目实施-改造完成"),
    ("acceptance_expert_assign", "分配验收专家"),
    ("announcement_publish", "发布工作台公告"),
    ("announcement_draft", "保存工作台公告草稿"),
    ("announcement_retire", "撤回工作台公告"),
    ("acceptance_window_update", "设置项目入库开放时段"),
    ("project_completion_change", "项目实施-改造完成信息变更"),
    ("lifecycle_settings_update", "设置事前诊断期限"),
    ("review_flow_version", "发布审核流程版本"),
    ("review_save_draft", "保存草稿"),
    ("review_submit", "提交申请"),
    ("review_resubmit", "重新提交"),
    ("review_approve", "审核通过"),
    ("review_reject", "审核不通过"),
    ("review_return", "审核退回"),
    ("review_withdraw_reviewer", "审核人撤回"),
    ("review_withdraw_owner", "申请人撤回"),
    ("review_delete", "删除申请"),
    ("audit_export", "导出审计日志"),
    ("permission_denied", "越权访问"),
];

/// Kinds of object an entry names.
pub const OBJECT_TYPES: &[(&str, &str)] = &[
    ("review_case", "审核事项"),
    ("user", "用户"),
    ("organization", "单位"),
    ("department", "部门"),
    ("file", "文件"),
    ("review_flow", "审核流程"),
    ("assessment", "诊断评测"),
    ("project", "项目"),
    ("endpoint", "接口"),
    ("call_program", "申报专题"),
    ("result_notice", "结果公示"),
];

/// Names of the keys entries keep in their detail; other keys show as recorded.
const DETAIL_KEYS: &[(&str, &str)] = &[
    ("kind_name", "事项类型"),
    ("kind", "类型"),
    ("stage_name", "环节"),
    ("round", "轮次"),
    ("opinion", "意见"),
    ("reason", "原因"),
    ("method", "方式"),
    ("field", "字段"),
    ("purpose", "用途"),
    ("size", "大小（字节）"),
    ("version", "版本"),
    ("total", "总分"),
    ("level", "等级"),
    ("via", "途径"),
    ("os_user", "操作系统用户"),
    ("username", "用户名"),
    ("subject", "统一身份标识"),
    ("method_path", "请求"),
    ("path", "请求"),
];

/// Values of `reason` and `method` in Chinese.
const DETAIL_VALUES: &[(&str, &str)] = &[
    ("bad_credentials", "用户名或密码错误"),
    ("bad_password", "密码错误"),
    ("bad_old_password", "原密码错误"),
    ("unknown_phone", "手机号未注册"),
    ("disabled", "账号已停用"),
    ("locked", "账号已锁定"),
    ("too_many_failures", "连续失败次数过多"),
    ("password", "账号密码"),
    ("sms", "短信验证码"),
    ("unified_identity", "统一身份认证"),
    ("command_line", "服务器命令行"),
    ("enterprise", "企业"),
    ("provider", "服务商"),
];

pub fn action_label(code: &str) -> String {
    lookup(ACTIONS, code).unwrap_or(code).to_owned()
}

pub fn object_type_label(code: &str) -> String {
    lookup(OBJECT_TYPES, code).unwrap_or(code).to_owned()
}

fn lookup(table: &[(&'static str, &'static str)], code: &str) -> Option<&'static str> {
    table.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// A capability names the objects of one `object_type` it owns (ids to names) and says where the web app
/// shows one.
pub struct ObjectNames {
    pub object_type: &'static str,
    pub names: for<'a> fn(&'a DatabaseConnection, &'a [String]) -> BoxFuture<'a, ApiResult<HashMap<String, String>>>,
    /// The web app's page of the object, if it has one.
    pub link: Option<fn(&str) -> String>,
}

inventory::collect!(ObjectNames);

/// One change an entry records: a field, and its value before and after (either may be absent).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Change {
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What the page of entries needs besides the rows: names of the people, organizations and objects.
pub struct Names {
    people: HashMap<String, String>,
    orgs: HashMap<String, String>,
    objects: HashMap<(String, String), String>,
}

impl Names {
    /// Reads the names of everything `rows` refer to, a few queries per page (not per row).
    pub async fn of(db: &DatabaseConnection, rows: &[entity::Model]) -> ApiResult<Names> {
        let distinct = |ids: Vec<String>| -> Vec<String> {
            let mut ids = ids;
            ids.sort();
            ids.dedup();
            ids
        };
        let people_ids = distinct(rows.iter().filter_map(|e| e.actor_user_id.clone()).collect());
        let mut org_ids: Vec<String> = rows.iter().filter_map(|e| e.actor_org_id.clone()).collect();
        let mut by_type: HashMap<&str, Vec<String>> = HashMap::new();
        for e in rows {
            if let (Some(t), Some(id)) = (e.object_type.as_deref(), e.object_id.clone()) {
                by_type.entry(t).or_default().push(id);
            }
        }
        let mut objects = HashMap::new();
        for (t, ids) in &by_type {
            let ids = distinct(ids.clone());
            let found: HashMap<String, String> = match *t {
                "user" => users(db, &ids).await?,
                "organization" => {
                    org_ids.extend(ids.iter().cloned());
                    HashMap::new()
                }
                "department" => department::Entity::find()
                    .filter(department::Column::Id.is_in(ids.clone()))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|d| (d.id, d.name))
                    .collect(),
                other => match inventory::iter::<ObjectNames>.into_iter().find(|n| n.object_type == other) {
                    Some(n) => (n.names)(db, &ids).await?,
                    None => HashMap::new(),
                },
            };
            objects.extend(found.into_iter().map(|(id, name)| ((t.to_string(), id), name)));
        }
        let people = users(db, &people_ids).await?;
        let org_ids = distinct(org_ids);
        let orgs: HashMap<String, String> =
            org::Entity::find().filter(org::Column::Id.is_in(org_ids)).all(db).await?.into_iter().map(|o| (o.id, o.name)).collect();
        for e in rows.iter().filter(|e| e.object_type.as_deref() == Some("organization")) {
            if let Some(id) = &e.object_id
                && let Some(name) = orgs.get(id)
            {
                objects.insert(("organization".into(), id.clone()), name.clone());
            }
        }
        Ok(Names { people, orgs, objects })
    }

    pub fn person(&self, user_id: Option<&str>) -> Option<String> {
        user_id.and_then(|id| self.people.get(id).cloned())
    }

    pub fn org(&self, org_id: Option<&str>) -> Option<String> {
        org_id.and_then(|id| self.orgs.get(id).cloned())
    }

    pub fn object(&self, object_type: Option<&str>, object_id: Option<&str>) -> Option<String> {
        Some(self.objects.get(&(object_type?.to_owned(), object_id?.to_owned()))?.clone())
    }
}

/// "姓名（用户名）" of users by id.
async fn users(db: &DatabaseConnection, ids: &[String]) -> ApiResult<HashMap<String, String>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        for u in user::Entity::find().filter(user::Column::Id.is_in(chunk.to_vec())).all(db).await? {
            out.insert(u.id, format!("{}（{}）", u.display_name, u.username));
        }
    }
    Ok(out)
}

/// The web page of an object, when its owner registered one.
pub fn link(object_type: Option<&str>, object_id: Option<&str>) -> Option<String> {
    let (t, id) = (object_type?, object_id?);
    inventory::iter::<ObjectNames>.into_iter().find(|n| n.object_type == t).and_then(|n| n.link).map(|f| f(id))
}

/// What an entry's detail says, as label / before / after lines: a review action's status change first
/// (`审核中 → 审核通过`), then its other keys by name.
pub fn changes(detail: Option<&str>) -> Vec<Change> {
    let Some(Value::Object(map)) = detail.and_then(|d| serde_json::from_str::<Value>(d).ok()) else {
        return detail.filter(|d| !d.is_empty()).map(|d| vec![Change { label: "详情".into(), before: None, after: Some(d.to_owned()) }]).unwrap_or_default();
    };
    let status = |key: &str| {
        map.get(key).and_then(Value::as_str).map(|c| shuzhuan_core::review::CaseStatus::label_of_code(c).unwrap_or(c).to_owned())
    };
    let mut out = Vec::new();
    if map.contains_key("before") || map.contains_key("after") {
        out.push(Change { label: "状态".into(), before: status("before"), after: status("after") });
    }
    for (key, value) in &map {
        // Shown above, or ids and codes an auditor reads through the names beside them.
        let named_kind = key == "kind" && map.contains_key("kind_name");
        if named_kind || ["before", "after", "stage", "user_id"].contains(&key.as_str()) || value.is_null() {
            continue;
        }
        let text = match value {
            Value::String(s) => lookup(DETAIL_VALUES, s).unwrap_or(s).to_owned(),
            other => other.to_string(),
        };
        let label = lookup(DETAIL_KEYS, key).unwrap_or(key).to_owned();
        out.push(Change { label, before: None, after: Some(text) });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every action code the server records (`action: "…"`, `entry("…"`, the review engine's codes) has a
    /// Chinese name, so the auditor never reads a raw code.
    #[test]
    fn every_recorded_action_has_a_label() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        let mut files = vec![src];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let markers = [("action: \"", ""), ("entry(\"", ""), ("=> \"review_", "review_"), ("audit_user(&state, &caller, \"", ""), ("audit_change(&state, &user, \"", "")];
            for (marker, prefix) in markers {
                for (i, _) in text.match_indices(marker) {
                    let rest: String = text[i + marker.len()..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                    let code = format!("{prefix}{rest}");
                    if code.len() > prefix.len() && lookup(ACTIONS, &code).is_none() && !missing.contains(&code) {
                        missing.push(code);
                    }
                }
            }
        }
        assert!(missing.is_empty(), "audit actions without a label in ACTIONS: {missing:?}");
    }

    #[test]
    fn review_details_read_as_status_change_and_named_keys() {
        use shuzhuan_core::review::CaseStatus;
        let detail = serde_json::json!({"kind": "info_change", "kind_name": "信息变更", "stage": 0, "stage_name": "市工信审核",
            "before": CaseStatus::InReview { stage: 0 }.code(), "after": CaseStatus::Returned { from_stage: 0 }.code(), "round": 1, "opinion": "请补充"})
        .to_string();
        let c = changes(Some(&detail));
        assert_eq!((c[0].label.as_str(), c[0].before.as_deref(), c[0].after.as_deref()), ("状态", Some("审核中"), Some("已退回")));
        assert!(c.iter().any(|x| x.label == "意见" && x.after.as_deref() == Some("请补充")));
        assert!(!c.iter().any(|x| x.label == "类型"), "the kind is named by kind_name");
        assert_eq!(changes(Some(r#"{"reason":"locked"}"#))[0].after.as_deref(), Some("账号已锁定"));
        assert_eq!(changes(Some("plain text"))[0].after.as_deref(), Some("plain text"));
        assert!(changes(None).is_empty());
    }
}
