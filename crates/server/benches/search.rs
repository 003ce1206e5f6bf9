//! Site search (issue 20), against the bar of the issue: p95 < 50 ms over 100,000 documents.
//!
//! Fills `search_docs` with `SEARCH_DOCS` (default 100,000) generated documents — titles and texts made of the
//! words officials write (通知, 数字化转型, 智能制造 …) with a region and a number, so that common words match
//! tens of thousands of documents and rare ones a handful — through `shuzhuan::search::put` (jieba segmentation
//! and the database's own index, as in production), then runs each query `SEARCH_ROUNDS` times (default 100)
//! through `shuzhuan::search::search`, the function the endpoint calls (counts by kind, title hits first, one
//! page of 20), and prints p50 / p95 / max per query and over all.
//!
//! `cargo bench --bench search` prints numbers and asserts nothing; results are written down in
//! docs/benchmarks.md. `SEARCH_DATABASE_URL`: an empty PostgreSQL database instead of SQLite in a temporary folder.

mod common;

use std::time::{Duration, Instant};

use common::{percentile, setting};

const REGIONS: &[&str] = &["惠州市", "江门市", "中山市", "厦门市", "广州市", "深圳市", "佛山市", "东莞市", "珠海市", "汕头市"];
const SUBJECTS: &[&str] = &[
    "中小企业数字化转型城市试点",
    "智能制造生态合作伙伴",
    "工业互联网标识解析",
    "专精特新企业培育",
    "企业上云上平台",
    "工业软件应用推广",
    "数字化车间和智能工厂",
    "制造业高质量发展专项资金",
    "服务型制造示范",
    "绿色制造体系建设",
    "5G全连接工厂",
    "网络安全和数据安全",
];
const FORMS: &[&str] = &["申报通知", "实施方案", "名单公示", "申报指南", "常见问题解答", "政策解读", "评审结果", "资金拨付通知"];
const BODY: &[&str] = &[
    "各区县工业和信息化主管部门，各有关单位：",
    "为深入贯彻落实制造强国战略，加快推动中小企业数字化转型，",
    "现将有关事项通知如下。",
    "申报单位应在本市注册，具有独立法人资格，信用状况良好，",
    "近三年未发生重大安全、环保、质量事故。",
    "支持企业开展设备联网、数据采集、生产管控和供应链协同，",
    "对符合条件的项目按投资额给予一定比例的补助。",
    "请于截止日期前通过平台提交申报材料，逾期不予受理。",
    "联系人及电话见附件。",
];
const KINDS: &[&str] = &["notice", "policy", "publicity", "guide", "faq", "call", "product"];

fn doc(n: usize) -> shuzhuan::search::Doc {
    let region = REGIONS[n % REGIONS.len()];
    let subject = SUBJECTS[(n / 7) % SUBJECTS.len()];
    let form = FORMS[(n / 3) % FORMS.len()];
    let year = 2018 + n % 9;
    let body: String = (0..6).map(|i| BODY[(n + i * 5) % BODY.len()]).collect::<Vec<_>>().concat();
    shuzhuan::search::Doc {
        kind: KINDS[n % KINDS.len()],
        ref_id: format!("{n:08}"),
        title: format!("{region}关于{year}年{subject}{form}（第{}批）", n % 97 + 1),
        body: format!("{body}{subject}，编号{n}。"),
        link: format!("/notices/{n}"),
        date: chrono::Utc::now() - chrono::Duration::minutes(n as i64),
        visible_from: None,
    }
}

#[tokio::main]
async fn main() {
    let docs = setting("SEARCH_DOCS", 100_000) as usize;
    let rounds = setting("SEARCH_ROUNDS", 100) as usize;
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = std::env::var("SEARCH_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.path().join("search.db").display()));
    let db = shuzhuan::db::connect(&url).await.expect("database");
    shuzhuan::db::migrate(&db).await.expect("migrate");
    println!("search bench: {} with {docs} documents, {rounds} rounds per query", shuzhuan::db::backend(&db).name());

    let started = Instant::now();
    for chunk in (0..docs).collect::<Vec<_>>().chunks(2_000) {
        let txn = shuzhuan::db::begin_write(&db).await.expect("transaction");
        for &n in chunk {
            shuzhuan::search::put(&txn, doc(n)).await.expect("index");
        }
        txn.commit().await.expect("commit");
    }
    let took = started.elapsed();
    println!("indexed {docs} documents in {:.1} s ({:.2} ms each)", took.as_secs_f64(), took.as_secs_f64() * 1000.0 / docs as f64);
    if shuzhuan::db::backend(&db).name() == "PostgreSQL" {
        use sea_orm::ConnectionTrait;
        db.execute_unprepared("ANALYZE search_docs").await.expect("analyze");
    }

    // Common words (tens of thousands of hits), phrases across words, rare ones, and one with no hit.
    let queries = ["数字化转型", "申报通知", "惠州 智能制造", "工业互联网标识解析", "专项资金 名单公示", "5G全连接工厂 厦门", "编号12345", "火锅"];
    let now = chrono::Utc::now();
    let mut all = Vec::new();
    for q in queries {
        let mut times = Vec::with_capacity(rounds);
        let mut total = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            let r = shuzhuan::search::search(&db, q, None, 1, now).await.expect("search");
            times.push(t.elapsed());
            total = r.total;
        }
        times.sort();
        println!(
            "  {q:<16} {total:>6} hits   p50 {:>6.1} ms   p95 {:>6.1} ms   max {:>6.1} ms",
            ms(percentile(&times, 0.50)),
            ms(percentile(&times, 0.95)),
            ms(*times.last().unwrap())
        );
        all.extend(times);
    }
    all.sort();
    println!("all queries: p50 {:.1} ms, p95 {:.1} ms (bar: p95 < 50 ms)", ms(percentile(&all, 0.50)), ms(percentile(&all, 0.95)));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
