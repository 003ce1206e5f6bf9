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

/// The top-level modules of `src` and, for each, the other top-level modules its code names as
/// `crate::<module>` (comments and `#[cfg(test)]` blocks left out: a test may reach for any fixture).
fn import_graph(src: &Path) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>> {
    let module_of = |path: &Path| {
        let first = path.strip_prefix(src).unwrap().components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        first.trim_end_matches(".rs").to_string()
    };
    let mut files = Vec::new();
    sources(src, &mut files);
    let modules: std::collections::BTreeSet<String> = files.iter().map(|f| module_of(f)).collect();
    let mut graph: std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>> = std::collections::BTreeMap::new();
    for file in &files {
        let from = module_of(file);
        let text = std::fs::read_to_string(file).expect("readable source");
        let text = &text[..text.find("#[cfg(test)]").unwrap_or(text.len())];
        let code: String = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
        let mut named = std::collections::BTreeSet::new();
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a, b::c}`: the first segment of each item.
                let group = &group[..group.find('}').unwrap_or(group.len())];
                named.extend(group.split(',').filter_map(|item| item.trim().split("::").next()).map(str::to_string));
            } else {
                named.insert(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>());
            }
        }
        for to in named.into_iter().filter(|m| modules.contains(m) && *m != from) {
            graph.entry(from.clone()).or_default().entry(to).or_default().push(file.strip_prefix(src).unwrap().display().to_string());
        }
    }
    graph
}

/// Modules form layers (decision 0012): infrastructure → `directory` → `auth` → `audit`, `files` → `review` →
/// the capabilities built on it; `lib.rs` (the composition root) and `main.rs` name everything. A cycle
/// between modules means a lower layer learned about a higher one. This prints every cycle and the files
/// that make it: `cargo test --test all layout::modules_import_downwards_only -- --nocapture`.
#[test]
fn modules_import_downwards_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = import_graph(&src);
    // Tarjan's strongly connected components.
    struct Walk<'g> {
        graph: &'g std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>>,
        index: std::collections::HashMap<&'g str, usize>,
        low: std::collections::HashMap<&'g str, usize>,
        stack: Vec<&'g str>,
        cycles: Vec<Vec<&'g str>>,
    }
    fn visit<'g>(w: &mut Walk<'g>, v: &'g str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        for to in w.graph.get(v).into_iter().flat_map(|m| m.keys()) {
            let to = to.as_str();
            if !w.index.contains_key(to) {
                visit(w, to);
                let l = w.low[v].min(w.low[to]);
                w.low.insert(v, l);
            } else if w.stack.contains(&to) {
                let l = w.low[v].min(w.index[to]);
                w.low.insert(v, l);
            }
        }
        if w.low[v] == w.index[v] {
            let at = w.stack.iter().rposition(|x| *x == v).unwrap();
            let component: Vec<&str> = w.stack.split_off(at);
            if component.len() > 1 {
                w.cycles.push(component);
            }
        }
    }
    let mut walk = Walk { graph: &graph, index: Default::default(), low: Default::default(), stack: vec![], cycles: vec![] };
    for m in graph.keys() {
        if !walk.index.contains_key(m.as_str()) {
            visit(&mut walk, m);
        }
    }
    let mut report = String::new();
    for cycle in &walk.cycles {
        report.push_str(&format!("cycle: {}\n", cycle.join(" ")));
        for a in cycle {
            for (b, files) in &graph[*a] {
                if cycle.contains(&b.as_str()) {
                    report.push_str(&format!("  {a} -> {b}   ({})\n", files.join(", ")));
                }
            }
        }
    }
    for (from, tos) in &graph {
        println!("{from} -> {}", tos.keys().cloned().collect::<Vec<_>>().join(", "));
    }
    assert!(walk.cycles.is_empty(), "modules that import each other:\n{report}");
}

/// Case kinds and file-sharing rules register themselves (`inventory`); a kind whose registration the
/// linker dropped would make its cases unreadable, so the registries are checked in the built binary.
#[test]
fn capabilities_register_their_case_kinds_and_sharing_rules() {
    let kinds: Vec<&str> = shuzhuan::review::kinds().iter().map(|k| k.key()).collect();
    assert_eq!(kinds, ["acceptance", "alliance_join", "call_application", "call_application_city", "diagnosis_report", "evaluation_report", "filing", "filing_change", "info_change", "pilot_application", "presubsidy", "product_entry", "provider_certification"]);
    let mut rules = shuzhuan::files::sharing_rules();
    rules.sort();
    assert_eq!(rules, ["enterprise_materials", "portal_objection", "recommendation_letter", "review_case"]);
}

/// The OpenAPI document names a schema by its type's name alone, and when two `ToSchema` types share one it
/// silently keeps one of them: the web's generated types then describe the wrong shape (it happened: the
/// search's and the dashboard's `KindCount`). So every `ToSchema` type has a name of its own.
#[test]
fn api_schema_names_are_unique() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut seen: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("source");
        let (mut derives_schema, mut renamed) = (false, None::<String>);
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                derives_schema = true;
            } else if derives_schema && line.starts_with("#[schema(as = ") {
                // `#[schema(as = PortalKind)]`: the document knows the type by that name.
                renamed = line.trim_start_matches("#[schema(as = ").split(|c: char| c == ')' || c == ',').next().map(str::to_owned);
            } else if derives_schema && !line.starts_with("#[") && !line.starts_with("///") {
                let name = line.split_whitespace().skip_while(|w| *w != "struct" && *w != "enum").nth(1).map(|n| n.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_'));
                if let Some(name) = renamed.take().or(name.map(str::to_owned)) {
                    seen.entry(name).or_default().push(file.strip_prefix(&src).unwrap().display().to_string());
                }
                derives_schema = false;
            }
        }
    }
    let clashes: Vec<String> = seen.iter().filter(|(_, at)| at.len() > 1).map(|(n, at)| format!("{n}: {}", at.join(", "))).collect();
    assert!(seen.len() > 100, "the scan found the API's schema types ({} found)", seen.len());
    assert!(clashes.is_empty(), "schema names used by more than one type:\n{}", clashes.join("\n"));
}
