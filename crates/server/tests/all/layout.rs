//! The module contract of the review engine (docs/review-engine.md): capabilities reach their cases only
//! through the engine's public API (`review::cases_of`, `review::CaseRef`, `review::submit_new_case`, the
//! `CaseKind` hooks); none outside `src/review/` names the engine's tables, its entity, engine or view
//! internals, or a case status as a string. Statuses are enums (`review::CaseState`).

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_capability_outside_review_names_its_tables_or_status_strings() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    // The engine's own folder, migrations (which create the tables) and the engine's settings
    // (`review.sms_events` names the outcomes that text the applicant) are the only places allowed.
    let allowed = [src.join("review"), src.join("db").join("migrations"), src.join("config.rs")];
    let forbidden = [
        "review_cases",
        "review_tasks",
        "review_trail",
        "review_rounds",
        "review_idempotency",
        "review::entity",
        "review::engine",
        "review::views",
        "\"in_review\"",
        "\"returned\"",
    ];
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !allowed.iter().any(|a| f.starts_with(a))) {
        let text = std::fs::read_to_string(file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden.iter().filter(|w| code.contains(**w)) {
                found.push(format!("{}:{}: {word}", file.strip_prefix(&src).unwrap().display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "use the review engine's API instead:\n{}", found.join("\n"));
}
