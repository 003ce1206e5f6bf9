//! Seeded calls are data (`data/calls/<name>/call.json` and the forms it names, format in `docs/forms.md`),
//! imported by `shuzhuan import-calls <dir>` and by the demo seed. Dates in the files are the seed's; they are
//! shifted by whole days so that the file's `present` falls on today, keeping every window's length and
//! order (a demo run in 2026 finds the 2024 call open).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde::Deserialize;

use super::entity::{call, program, track};
use super::settings::{AssessmentRequirement, AttachmentItem, Eligibility, Notice, Settings};
use crate::directory::{org, OrgKind};

#[derive(Debug, Deserialize)]
struct File {
    present: NaiveDate,
    program: ProgramFile,
    tracks: Vec<TrackFile>,
    calls: Vec<CallFile>,
}

#[derive(Debug, Deserialize)]
struct ProgramFile {
    key: String,
    year: i32,
    name: String,
    level: String,
    funding: String,
    owner_region: String,
}

#[derive(Debug, Deserialize)]
struct TrackFile {
    key: String,
    name: String,
    opens: NaiveDate,
    closes: NaiveDate,
    #[serde(default)]
    guide: String,
}

#[derive(Debug, Deserialize)]
struct CallFile {
    key: String,
    track: String,
    city_region: String,
    form: String,
    opens: NaiveDate,
    closes: NaiveDate,
    #[serde(default)]
    district_review: bool,
    #[serde(default)]
    district_deadline: Option<NaiveDate>,
    #[serde(default)]
    applicants: Option<serde_json::Value>,
    #[serde(default)]
    remarks: String,
    #[serde(default)]
    city_guide: String,
    #[serde(default)]
    notice: Notice,
    #[serde(default)]
    eligibility: Eligibility,
    #[serde(default)]
    declaration: Option<String>,
    #[serde(default)]
    assessment: Option<AssessmentRequirement>,
    #[serde(default)]
    attachments: Vec<AttachmentItem>,
    /// `call_application` (default) or `pilot_application`.
    #[serde(default)]
    flow: Option<String>,
}

/// What one import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub program: String,
    pub tracks: usize,
    pub calls: usize,
    pub skipped: bool,
}

/// The start of a day in China time.
fn day_start(d: NaiveDate) -> DateTime<Utc> {
    crate::time::china().from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight")).single().expect("fixed offset").to_utc()
}

/// The last second of a day in China time: a deadline of 6月20日 closes at 23:59:59 that day.
fn day_end(d: NaiveDate) -> DateTime<Utc> {
    day_start(d) + Duration::days(1) - Duration::seconds(1)
}

/// Imports one call folder: `read(path)` gives a file of it (`call.json`, `forms/…`). A program already
/// imported under its key is left as it is.
pub async fn import(txn: &DatabaseTransaction, read: &dyn Fn(&str) -> anyhow::Result<String>, today: NaiveDate) -> anyhow::Result<Imported> {
    let file: File = serde_json::from_str(&read("call.json")?).map_err(|e| anyhow::anyhow!("call.json: {e}"))?;
    let mut out = Imported { program: file.program.name.clone(), ..Default::default() };
    if program::Entity::find().filter(program::Column::ImportKey.eq(file.program.key.clone())).one(txn).await?.is_some() {
        out.skipped = true;
        return Ok(out);
    }
    let shift = today - file.present;
    let at = |d: NaiveDate| d + shift;
    let owner = bureau(txn, &file.program.owner_region).await?;
    let now = Utc::now();
    let program_id = uuid::Uuid::now_v7().to_string();
    program::Entity::insert(program::ActiveModel {
        id: Set(program_id.clone()),
        owner_org_id: Set(owner),
        import_key: Set(Some(file.program.key.clone())),
        year: Set(file.program.year),
        name: Set(file.program.name.clone()),
        level: Set(file.program.level.clone()),
        funding: Set(file.program.funding.clone()),
        created_at: Set(now),
    })
    .exec(txn)
    .await?;
    let mut tracks = std::collections::HashMap::new();
    for (i, t) in file.tracks.iter().enumerate() {
        let id = uuid::Uuid::now_v7().to_string();
        track::Entity::insert(track::ActiveModel {
            id: Set(id.clone()),
            program_id: Set(program_id.clone()),
            name: Set(t.name.clone()),
            guide: Set(t.guide.clone()),
            opens_at: Set(day_start(at(t.opens))),
            closes_at: Set(day_end(at(t.closes))),
            sort: Set(i as i32),
        })
        .exec(txn)
        .await?;
        tracks.insert(t.key.clone(), (id, day_start(at(t.opens)), day_end(at(t.closes))));
        out.tracks += 1;
    }
    for c in &file.calls {
        let (track_id, t_open, t_close) = tracks.get(&c.track).cloned().ok_or_else(|| anyhow::anyhow!("call {}: no track {}", c.key, c.track))?;
        let schema_json: serde_json::Value = serde_json::from_str(&read(&c.form)?).map_err(|e| anyhow::anyhow!("{}: {e}", c.form))?;
        let schema = shuzhuan_core::form::parse_schema(&schema_json)
            .map_err(|p| anyhow::anyhow!("{}: {}", c.form, p.iter().map(|p| format!("{} {}", p.field, p.message)).collect::<Vec<_>>().join("; ")))?;
        let form_key = format!("import-{}", c.key);
        super::forms::create_version(txn, &form_key, &schema, None).await.map_err(|e| anyhow::anyhow!("{form_key}: {e}"))?;
        let (applicants, listed) = match &c.applicants {
            Some(serde_json::Value::Array(list)) => ("listed".to_owned(), list.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()),
            _ => ("all".to_owned(), vec![]),
        };
        let settings = Settings {
            opens_at: day_start(at(c.opens)),
            closes_at: day_end(at(c.closes)),
            applicants,
            listed_usccs: listed,
            district_review: c.district_review,
            district_deadline: c.district_deadline.map(|d| day_end(at(d))),
            remarks: c.remarks.clone(),
            city_guide: c.city_guide.clone(),
            oa_file_ids: vec![],
            notice: c.notice.clone(),
            eligibility: c.eligibility.clone(),
            declaration: c.declaration.clone(),
            assessment: c.assessment.clone(),
            attachments: c.attachments.clone(),
        };
        let problems = settings.check((t_open, t_close));
        if !problems.is_empty() {
            anyhow::bail!("call {}: {}", c.key, problems.iter().map(|p| format!("{} {}", p.field, p.message)).collect::<Vec<_>>().join("; "));
        }
        let flow_key = c.flow.clone().unwrap_or_else(|| "call_application".into());
        if !super::kind::FLOW_KEYS.contains(&flow_key.as_str()) {
            anyhow::bail!("call {}: unknown flow {flow_key}", c.key);
        }
        let call_id = uuid::Uuid::now_v7().to_string();
        call::Entity::insert(call::ActiveModel {
            id: Set(call_id.clone()),
            track_id: Set(track_id),
            org_id: Set(bureau(txn, &c.city_region).await?),
            import_key: Set(Some(c.key.clone())),
            status: Set(call::CallStatus::Published),
            flow_key: Set(flow_key),
            opens_at: Set(settings.opens_at),
            closes_at: Set(settings.closes_at),
            form_key: Set(form_key),
            settings: Set(serde_json::to_string(&settings)?),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec(txn)
        .await?;
        // Imported published: in the site search at once.
        super::search::index(txn, &call_id).await.map_err(|e| anyhow::anyhow!("indexing call {}: {e:?}", c.key))?;
        out.calls += 1;
    }
    Ok(out)
}

/// The government body of a region (广东省工业和信息化厅 for 440000).
async fn bureau(txn: &DatabaseTransaction, region: &str) -> anyhow::Result<String> {
    org::Entity::find()
        .filter(org::Column::RegionCode.eq(region))
        .filter(org::Column::Kind.eq(OrgKind::Government.as_str()))
        .one(txn)
        .await?
        .map(|o| o.id)
        .ok_or_else(|| anyhow::anyhow!("no government body for region {region}: run seed-demo or create it first"))
}

/// Imports a folder from disk.
pub async fn import_dir(db: &sea_orm::DatabaseConnection, dir: &std::path::Path) -> anyhow::Result<Imported> {
    let txn = crate::db::begin_write(db).await?;
    let read = |rel: &str| -> anyhow::Result<String> { std::fs::read_to_string(dir.join(rel)).map_err(|e| anyhow::anyhow!("{}: {e}", dir.join(rel).display())) };
    let today = Utc::now().with_timezone(&crate::time::china()).date_naive();
    let out = import(&txn, &read, today).await?;
    txn.commit().await?;
    Ok(out)
}

macro_rules! seeded_file {
    ($dir:literal, $file:literal) => {
        ($file, include_str!(concat!("../../../../data/calls/", $dir, "/", $file)))
    };
}

/// The seeded calls of `data/calls`, shipped in the binary so that `seed-demo` works wherever the binary
/// runs: (folder, its files).
pub const SEEDED: &[(&str, &[(&str, &str)])] = &[
    (
        "huizhou-2024-partners",
        &[
            seeded_file!("huizhou-2024-partners", "call.json"),
            seeded_file!("huizhou-2024-partners", "forms/form-2-1.json"),
            seeded_file!("huizhou-2024-partners", "forms/form-2-2.json"),
            seeded_file!("huizhou-2024-partners", "forms/form-2-3.json"),
        ],
    ),
    ("xiamen-2024-pilot", &[seeded_file!("xiamen-2024-pilot", "call.json"), seeded_file!("xiamen-2024-pilot", "forms/pilot-application.json")]),
];

/// Imports every seeded call (inside the demo seed's transaction).
pub async fn import_seeded(txn: &DatabaseTransaction) -> anyhow::Result<Vec<Imported>> {
    let today = Utc::now().with_timezone(&crate::time::china()).date_naive();
    let mut out = Vec::new();
    for (dir, files) in SEEDED {
        let read = |rel: &str| -> anyhow::Result<String> {
            files.iter().find(|(name, _)| *name == rel).map(|(_, text)| (*text).to_owned()).ok_or_else(|| anyhow::anyhow!("{dir}/{rel} is not shipped in the binary"))
        };
        out.push(import(txn, &read, today).await.map_err(|e| anyhow::anyhow!("{dir}: {e}"))?);
    }
    Ok(out)
}
