//! The `shuzhuan` command: serve the platform, migrate, seed demo data, create the first administrator,
//! print the OpenAPI document. Errors are printed in plain Chinese and exit with status 1, never a panic.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use shuzhuan::accounts::{self, NewUser};
use shuzhuan::auth::Role;
use shuzhuan::config::{Config, LogFormat};
use shuzhuan::directory::{self, NewOrg, OrgKind};

/// mimalloc instead of glibc's malloc, which keeps what a burst of password hashes (19 MiB each, on
/// whichever blocking thread) and PDF renders freed in per-thread arenas for the life of the process
/// (docs/decisions/0011-bounded-memory.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "shuzhuan", version, about = "数转：中小企业数字化转型试点平台")]
struct Cli {
    /// Configuration file (TOML). Default: ./shuzhuan.toml when present. Environment variables override it.
    #[arg(long, global = true, env = "SHUZHUAN_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrates first).
    Serve,
    /// Create or update the database schema and load reference data.
    Migrate,
    /// Add demo government bodies and accounts (idempotent).
    SeedDemo,
    /// Rebuild the site search index from the published portal content, calls and catalogue products.
    SearchReindex,
    /// Create a platform administrator who must change the password at first sign-in.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "平台管理员")]
        display_name: String,
        /// system_admin, security_admin or audit_admin (kept separate: separation of duties).
        #[arg(long, default_value = "system_admin")]
        role: String,
        /// Read the initial password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give a system, security or audit administrator a one-time password (recorded in the audit log). The
    /// API never changes the audit administrator's password; this command is the way.
    ResetAdminPassword {
        #[arg(long)]
        username: String,
    },
    /// Check the audit log's hash chain: every sealed entry unchanged and present. Prints the head of the
    /// chain (keep a copy elsewhere) and exits with status 2 when the log was tampered with.
    VerifyAudit,
    /// Print the OpenAPI document (JSON).
    Openapi,
    /// Import data from a file.
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Subcommand)]
enum ImportCommand {
    /// The company registry behind registration's search: CSV (UTF-8) or .xlsx with the columns
    /// 企业名称, 统一社会信用代码 [, 所属地区代码, 注册地址, 行业代码]. All rows or none.
    Companies { file: PathBuf },
    /// The dishonest-entity list (失信被执行人 / 严重失信主体名单) behind 信用核查: CSV (UTF-8) or .xlsx with the columns
    /// 统一社会信用代码, 企业名称 [, 名单类型, 认定机关, 文号, 列入日期, 失信情形]. Replaces the list; all rows or none.
    Dishonest { file: PathBuf },
    /// A new edition of the digital-level assessment (JSON of the shape of data/reference/assessment/2024.json).
    /// It becomes the edition new assessments use; earlier results keep the edition they were scored under.
    Assessment { file: PathBuf },
    /// A seeded call: a folder holding call.json and the forms it names (docs/forms.md), e.g.
    /// data/calls/xiamen-2024-pilot. Its dates are shifted so that the file's `present` is today.
    Calls { dir: PathBuf },
}

fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("SHUZHUAN_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        println!("{}", serde_json::to_string_pretty(&shuzhuan::openapi()).expect("serializable"));
        return ExitCode::SUCCESS;
    }
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("配置错误：{e}");
            return ExitCode::FAILURE;
        }
    };
    init_tracing(config.log_format);
    match run(cli.command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let db = shuzhuan::db::connect(&config.database_url).await?;
            shuzhuan::db::migrate(&db).await?;
            let r = shuzhuan::reference::load(&db).await?;
            shuzhuan::assessment::ensure_default_edition(&db).await?;
            shuzhuan::review::flows::ensure_default_flows(&db).await?;
            println!(
                "数据库已是最新结构（{}）。参考数据：新增行政区划 {} 条、更新 {} 条，新增行业分类 {} 条。",
                shuzhuan::db::backend(&db).name(),
                r.regions_added,
                r.regions_renamed,
                r.industries_added
            );
            Ok(())
        }
        Command::SearchReindex => {
            let db = shuzhuan::db::connect(&config.database_url).await?;
            shuzhuan::db::migrate(&db).await?;
            let n = shuzhuan::search::rebuild(&db).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            println!("站内搜索索引已重建：{n} 条（来源：{}）。", shuzhuan::search::sources().join("、"));
            Ok(())
        }
        Command::SeedDemo => {
            let state = shuzhuan::prepare(config).await?;
            let report = shuzhuan::seed::seed_demo(&state.db, &state.crypto).await?;
            let pooled = shuzhuan::seed::pool::seed_pool(&state).await?;
            println!("演示数据已就绪：单位 {} 个，企业名录 {} 条。", report.organizations, report.companies);
            if pooled > 0 {
                println!("{}的产品池已有演示产品 {} 款（经首次申报与产品入库审核）。", shuzhuan::seed::ZHONGSHAN_LEAD_UNIT, pooled);
            }
            println!("演示账号（密码均为 {}）：", shuzhuan::seed::DEMO_PASSWORD);
            // Usernames are ASCII: padded to the longest, the columns line up.
            let width = shuzhuan::seed::DEMO_ACCOUNTS.iter().map(|a| a.username.len()).max().unwrap_or(0);
            for a in shuzhuan::seed::DEMO_ACCOUNTS {
                let phone = a.phone.map(|p| format!("，手机号 {p} 亦可登录")).unwrap_or_default();
                println!("  {:<width$} {:<14} {}（{}{}）", a.username, a.plays, a.display_name, a.organization, phone);
            }
            Ok(())
        }
        Command::CreateAdmin { username, display_name, role, password_stdin } => {
            let role = Role::parse(&role)
                .filter(|r| matches!(r, Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin))
                .ok_or_else(|| anyhow::anyhow!("角色须为 system_admin、security_admin 或 audit_admin"))?;
            let password = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                s.trim_end_matches(['\r', '\n']).to_string()
            } else {
                shuzhuan::accounts::generate_password(16)
            };
            config
                .password_policy()
                .check(&password, &[&username])
                .map_err(|e| anyhow::anyhow!("初始密码不符合要求：{e}"))?;
            let state = shuzhuan::prepare(config).await?;
            let org = directory::ensure(
                &state.db,
                NewOrg { name: shuzhuan::directory::OPERATOR_ORG_NAME, kind: OrgKind::Operator, uscc: None, region_code: None, parent_id: None },
            )
            .await?;
            let password_hash = state.passwords.hash(&password).await?;
            accounts::create_user(
                &state.db,
                &state.crypto,
                NewUser {
                    organization_id: &org.id,
                    username: &username,
                    display_name: &display_name,
                    password: &password_hash,
                    roles: &[role],
                    must_change_password: true,
                    phone: None,
                    phone_login: false,
                },
            )
            .await?;
            println!("已创建管理员 {username}（{}）。", role.as_str());
            if !password_stdin {
                println!("初始密码：{password}");
            }
            println!("首次登录后须修改密码。");
            Ok(())
        }
        Command::ResetAdminPassword { username } => {
            let state = shuzhuan::prepare(config).await?;
            let password = accounts::reset_admin_password(&state, &username).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("已为 {username} 设置一次性密码：{password}");
            println!("首次登录后须修改密码；此操作已记入审计日志。");
            Ok(())
        }
        Command::Import(ImportCommand::Companies { file }) => {
            let db = shuzhuan::db::connect(&config.database_url).await?;
            shuzhuan::db::migrate(&db).await?;
            let n = shuzhuan::companies::import_file(&db, &file).await?;
            println!("已导入企业名录 {n} 条。");
            Ok(())
        }
        Command::Import(ImportCommand::Dishonest { file }) => {
            let db = shuzhuan::db::connect(&config.database_url).await?;
            shuzhuan::db::migrate(&db).await?;
            let done = shuzhuan::enterprises::dishonest::import_file(&db, &file).await?;
            println!("已导入失信名单 {} 条（{}），原名单已替换。", done.row_count, done.file_name);
            Ok(())
        }
        Command::Import(ImportCommand::Assessment { file }) => {
            let json = std::fs::read_to_string(&file).map_err(|e| anyhow::anyhow!("无法读取文件 {}：{e}", file.display()))?;
            let db = shuzhuan::db::connect(&config.database_url).await?;
            shuzhuan::db::migrate(&db).await?;
            shuzhuan::assessment::ensure_default_edition(&db).await?;
            let version = shuzhuan::assessment::import_edition(&db, &json).await?;
            println!("已导入评测题库版本 {version}，新发起的评测将使用该版本；已提交的评测结果不受影响。");
            Ok(())
        }
        Command::Import(ImportCommand::Calls { dir }) => {
            let state = shuzhuan::prepare(config).await?;
            let r = shuzhuan::calls::import::import_dir(&state.db, &dir).await?;
            if r.skipped {
                println!("专题「{}」已导入过，未作改动。", r.program);
            } else {
                println!("已导入专题「{}」：方向 {} 个，申报通知 {} 个。", r.program, r.tracks, r.calls);
            }
            Ok(())
        }
        Command::VerifyAudit => {
            let db = shuzhuan::db::connect(&config.database_url).await?;
            shuzhuan::db::migrate(&db).await?;
            let report = shuzhuan::audit::chain::verify(&db).await?;
            println!("已封存审计记录 {} 条，尚未封存 {} 条（服务运行时每 {} 秒封存一次）。", report.sealed, report.unsealed, config.security.audit_seal_seconds);
            println!("链头：第 {} 位 {}", report.head_position, report.head_hash);
            if report.intact() {
                println!("审计日志完整：全部已封存记录未被修改或删除。");
                Ok(())
            } else {
                for p in &report.problems {
                    println!("{p}");
                }
                println!("审计日志不完整：发现 {} 处问题。", report.problems.len());
                std::process::exit(2);
            }
        }
        Command::Openapi => unreachable!("handled before configuration is loaded"),
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    config.check_production()?;
    let listen = config.listen;
    let started = std::time::Instant::now();
    let state = shuzhuan::prepare(config).await?;
    shuzhuan::review::reminders::spawn(state.clone());
    shuzhuan::lifecycle::national_sync::spawn_webhook(state.clone());
    shuzhuan::audit::chain::spawn(state.db.clone(), state.config.security.audit_seal_seconds);
    let app = shuzhuan::app(state);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("无法监听 {listen}：{e}（端口可能已被占用，可用 SHUZHUAN_LISTEN 指定其他地址）"))?;
    let addr = listener.local_addr()?;
    tracing::info!(ms = started.elapsed().as_millis() as u64, %addr, "ready");
    // This exact line is what scripts and the browser tests wait for.
    println!("shuzhuan listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
