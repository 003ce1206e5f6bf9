//! The OpenAPI document is generated from the code; `docs/openapi.json` is its committed snapshot, from
//! which the web app's TypeScript types are generated. Any API change shows up here as a diff to review.
//! Refresh with `UPDATE_SNAPSHOTS=1 cargo test --test all openapi::` (or `make openapi`).

#[test]
fn openapi_snapshot_is_current() {
    let generated = serde_json::to_string_pretty(&shuzhuan::openapi()).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is out of date: run `UPDATE_SNAPSHOTS=1 cargo test --test all openapi::`, then `cd web && npm run gen:api`"
    );
}

#[test]
fn every_operation_documents_its_responses_and_errors_use_the_envelope() {
    let doc = serde_json::to_value(shuzhuan::openapi()).unwrap();
    // Operation ids are the handlers' names: two capabilities naming a handler alike would give the generated
    // client one operation for two paths (the web would read one endpoint's answer as the other's).
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op["operationId"].as_str()
                && let Some(other) = seen.insert(id.to_owned(), format!("{method} {path}"))
            {
                panic!("operation id {id} names both {other} and {method} {path}");
            }
            let responses = op["responses"].as_object().unwrap_or_else(|| panic!("{method} {path} has responses"));
            for (status, r) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    let schema = &r["content"]["application/json"]["schema"]["$ref"];
                    let ok = schema.as_str().is_some_and(|s| s.ends_with("/ErrorEnvelope") || s.ends_with("/Health"));
                    assert!(ok, "{method} {path} {status} uses the error envelope");
                }
            }
        }
    }
}
