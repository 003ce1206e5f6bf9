//! Every operation of the OpenAPI document, fuzzed over real HTTP on both databases: path parameters that
//! name nothing or are malformed, query strings of the wrong type, JSON bodies generated from the operation's
//! schema with wrong types, missing and over-long fields, and bodies that are not JSON at all, sent
//! anonymously and as an enterprise, a city bureau and the system administrator. Any 5xx fails the test, and
//! so does any error that is not the envelope with a Chinese message.
//!
//! Deterministic: the generator is a fixed-seed xorshift, so a failure reproduces with the same request.

use crate::common::TestApp;
use serde_json::{json, Map, Value};

both!(every_operation_answers_bad_input_in_the_envelope);

/// Requests per operation and role.
const ROUNDS: usize = 6;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn strings(rng: &mut Rng) -> Value {
    let pool: [&dyn Fn() -> String; 14] = [
        &|| String::new(),
        &|| "测试".into(),
        &|| "a".repeat(65),
        &|| "長".repeat(3000),
        &|| "13800000001".into(),
        &|| "91440300708461136T".into(),
        &|| "2026-13-45".into(),
        &|| "2026-01-01".into(),
        &|| "0198c0de-0000-7000-8000-000000000000".into(),
        &|| "<script>alert(1)</script>".into(),
        &|| "' OR 1=1 --".into(),
        &|| "\u{0}\u{1f}\u{202e}".into(),
        &|| "-1".into(),
        &|| "approved".into(),
    ];
    Value::String(rng.pick(&pool)())
}

fn wrong_value(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => Value::Null,
        1 => json!(-1),
        2 => json!(1.5e300),
        3 => json!(true),
        4 => json!([1, "二", null]),
        5 => json!({"nested": {"deeper": [{}]}}),
        6 => json!(9_007_199_254_740_993_u64),
        _ => strings(rng),
    }
}

/// A value shaped by `schema`, with random mistakes.
fn generate(doc: &Value, schema: &Value, rng: &mut Rng, depth: usize) -> Value {
    if depth > 5 {
        return Value::Null;
    }
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or_default();
        return generate(doc, &doc["components"]["schemas"][name], rng, depth + 1);
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema.get(combinator).and_then(Value::as_array).filter(|o| !o.is_empty()) {
            let chosen = options[rng.below(options.len())].clone();
            return generate(doc, &chosen, rng, depth + 1);
        }
    }
    if rng.chance(12) {
        return wrong_value(rng);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array).filter(|v| !v.is_empty()) {
        return if rng.chance(85) { values[rng.below(values.len())].clone() } else { strings(rng) };
    }
    let ty = match schema.get("type") {
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null").to_owned(),
        Some(Value::String(t)) => t.clone(),
        _ if schema.get("properties").is_some() => "object".into(),
        _ => "any".into(),
    };
    match ty.as_str() {
        "object" => {
            let mut out = Map::new();
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (name, prop) in props {
                    if rng.chance(85) {
                        out.insert(name.clone(), generate(doc, prop, rng, depth + 1));
                    }
                }
            }
            if rng.chance(10) {
                out.insert("unexpected_field".into(), wrong_value(rng));
            }
            Value::Object(out)
        }
        "array" => {
            let items = schema.get("items").cloned().unwrap_or(Value::Null);
            Value::Array((0..rng.below(4)).map(|_| generate(doc, &items, rng, depth + 1)).collect())
        }
        "string" => strings(rng),
        "integer" => json!(*rng.pick(&[0_i64, 1, -1, 2, 100, i64::MAX, i64::MIN])),
        "number" => json!(*rng.pick(&[0.0_f64, -0.01, 1.5, 1e18, 100_000.01])),
        "boolean" => json!(rng.chance(50)),
        _ => wrong_value(rng),
    }
}

fn path_value(rng: &mut Rng) -> String {
    rng.pick(&["nonexistent", "0198c0de-0000-7000-8000-000000000000", "1", "%E4%B8%AD%E6%96%87", "..%2F..%2Fetc", "a%20b", &"x".repeat(300)])
        .to_string()
}

fn query_value(rng: &mut Rng) -> String {
    rng.pick(&["abc", "-1", "1.5", "", "maybe", "0", "99999999999999999999", "%00", "%27%20OR%201%3D1", "true", "2026-02-30", &"q".repeat(500)])
        .to_string()
}

/// What a JSON body of this operation might be: generated from its schema, or not JSON at all.
fn body(doc: &Value, op: &Value, rng: &mut Rng) -> Option<(String, &'static str)> {
    let content = op.get("requestBody")?.get("content")?;
    if let Some(json_body) = content.get("application/json") {
        let text = match rng.below(10) {
            0 => rng.pick(&["", "{", "[]", "null", "123", "\"x\"", "{\"a\":", "\u{feff}{}"]).to_string(),
            1 => {
                let mut nested = String::new();
                for _ in 0..200 {
                    nested.push('[');
                }
                nested
            }
            _ => generate(doc, &json_body["schema"], rng, 0).to_string(),
        };
        return Some((text, "application/json"));
    }
    if content.get("multipart/form-data").is_some() {
        let text = "--b\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n???\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.exe\"\r\n\r\nMZ\r\n--b--\r\n";
        return Some((text.to_owned(), if rng.chance(50) { "multipart/form-data; boundary=b" } else { "multipart/form-data" }));
    }
    Some(("garbage".into(), "text/plain"))
}

fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

async fn every_operation_answers_bad_input_in_the_envelope(app: TestApp) {
    app.seed_demo().await;
    let doc = serde_json::to_value(shuzhuan::openapi()).unwrap();
    let mut roles: Vec<(&str, reqwest::Client)> = vec![("anonymous", app.new_client())];
    for user in ["enterprise_demo", "jiangmen_admin", "system_admin"] {
        roles.push((user, app.client_for(user).await));
    }
    let mut rng = Rng(0x5eed_2026_1203);
    let mut failures = Vec::new();
    let mut sent = 0;
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            // Signing out would only end the fuzzing roles' sessions; it takes no input.
            if path == "/api/auth/logout" {
                continue;
            }
            operations += 1;
            for (role, client) in &roles {
                for _ in 0..ROUNDS {
                    let mut url = path.clone();
                    while let (Some(open), Some(close)) = (url.find('{'), url.find('}')) {
                        url.replace_range(open..=close, &path_value(&mut rng));
                    }
                    let params: Vec<String> = op["parameters"]
                        .as_array()
                        .map(|ps| ps.iter().filter(|p| p["in"] == "query").filter_map(|p| p["name"].as_str().map(str::to_owned)).collect())
                        .unwrap_or_default();
                    let mut query = Vec::new();
                    for name in &params {
                        if rng.chance(70) {
                            query.push(format!("{name}={}", query_value(&mut rng)));
                        }
                    }
                    if !query.is_empty() {
                        url = format!("{url}?{}", query.join("&"));
                    }
                    let method_ = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                    let mut req = client.request(method_, app.url(&url)).header("x-requested-with", "shuzhuan");
                    if let Some((text, content_type)) = body(&doc, op, &mut rng) {
                        req = req.header("content-type", content_type).body(text.clone());
                    }
                    let built = format!("{role} {} {url}", method.to_uppercase());
                    sent += 1;
                    let res = match req.send().await {
                        Ok(res) => res,
                        Err(e) => {
                            failures.push(format!("{built}: no answer ({e})"));
                            continue;
                        }
                    };
                    let status = res.status();
                    let content_type = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                    let text = res.text().await.unwrap_or_default();
                    if status.is_server_error() {
                        failures.push(format!("{built}: {status} {text}"));
                    } else if status.is_client_error() {
                        let parsed: Option<Value> = serde_json::from_str(&text).ok();
                        let ok = content_type.starts_with("application/json")
                            && parsed.as_ref().is_some_and(|b| {
                                b["error"]["code"].is_string() && b["error"]["fields"].is_array() && b["error"]["message"].as_str().is_some_and(is_chinese)
                            });
                        if !ok {
                            failures.push(format!("{built}: {status} not the envelope: {content_type} {text:.200}"));
                        }
                    }
                }
            }
        }
    }
    eprintln!("fuzz: {sent} requests over {operations} operations, {} failures", failures.len());
    assert!(operations > 50, "the document lists the API ({operations} operations)");
    assert!(failures.is_empty(), "{} of {sent} fuzzed requests failed:\n{}", failures.len(), failures.iter().take(40).cloned().collect::<Vec<_>>().join("\n"));
}
