//! Configuration: an optional TOML file, then environment variables (`SHUZHUAN_*`), then defaults.
//!
//! Every setting is documented in `docs/configuration.md`; keep the two in step.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The development secret. Production refuses to start with it (or with an empty or short one), because
/// it protects sessions and, later, field-level encryption of personal data.
pub const DEFAULT_SECRET: &str = "dev-only-secret-change-me-before-production";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub mode: Mode,
    pub listen: SocketAddr,
    /// `sqlite://PATH` (default) or `postgres://…`. `DATABASE_URL` is honoured too.
    pub database_url: String,
    /// Where runtime state lives by default (SQLite file, local files).
    pub data_dir: PathBuf,
    pub secret_key: String,
    /// Serve the web app from this folder instead of the copy built into the binary.
    pub web_dir: Option<PathBuf>,
    pub site_name: String,
    pub organizer: String,
    pub log_format: LogFormat,
    /// Largest request body the server reads at all; per-purpose file limits are smaller.
    pub max_body_bytes: u64,
    pub storage: StorageConfig,
    pub session: SessionConfig,
    pub security: SecurityConfig,
    pub sms: SmsConfig,
    pub review: ReviewConfig,
    pub lifecycle: LifecycleConfig,
    pub unified_identity: UnifiedIdentityConfig,
    /// Folders searched for fonts when rendering PDFs (a CJK font must be among them).
    pub pdf_font_dirs: Vec<PathBuf>,
    pub capacity: CapacityConfig,
}

/// How much of the heaviest work runs at once (`[capacity]`, `gate.rs`): password hashing (argon2id, 19 MiB
/// and tens of milliseconds of a core per hash) and PDF rendering. More than one per core only queues on the
/// CPU while holding memory; a request that waits longer than the queue timeout is refused with 503 and
/// `Retry-After`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CapacityConfig {
    /// Password hashes and verifications at once; 0 = one per core.
    pub password_hashes: usize,
    /// Milliseconds a sign-in, registration or password change waits for a hashing slot.
    pub password_queue_ms: u64,
    /// PDF documents rendered at once; 0 = one per core.
    pub pdf_renders: usize,
    /// Milliseconds a PDF download waits for a rendering slot.
    pub pdf_queue_ms: u64,
}

impl Default for CapacityConfig {
    fn default() -> Self {
        Self { password_hashes: 0, password_queue_ms: 5_000, pdf_renders: 0, pdf_queue_ms: 10_000 }
    }
}

impl CapacityConfig {
    pub fn password_gate(&self) -> crate::gate::Gate {
        crate::gate::Gate::new("password_hashing", self.password_hashes, std::time::Duration::from_millis(self.password_queue_ms))
    }

    pub fn pdf_gate(&self) -> crate::gate::Gate {
        crate::gate::Gate::new("pdf_rendering", self.pdf_renders, std::time::Duration::from_millis(self.pdf_queue_ms))
    }
}

/// Abuse controls and the password policy. Where the manuals differ (8-20 vs 8-18 characters), the
/// behaviour is a setting with the more common value as default.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    pub password_min_len: usize,
    pub password_max_len: usize,
    pub password_min_classes: usize,
    /// A new password may not equal any of the last N.
    pub password_history: usize,
    /// Failed password sign-ins in a row before the account is locked.
    pub lock_after_failures: i32,
    pub lock_minutes: i64,
    /// Sign-in attempts per client address per minute (held in the database, so across instances).
    pub login_per_minute_per_ip: i64,
    /// Captcha images per client address per minute.
    pub captcha_per_minute_per_ip: i64,
    pub captcha_ttl_seconds: i64,
    /// Test-only: return the captcha's answer with the image, so browser tests can sign in. Never in production.
    pub test_expose_captcha: bool,
    /// Reverse proxies (addresses or CIDR blocks, e.g. `["127.0.0.1", "10.0.0.0/8"]`) whose `X-Forwarded-For`
    /// / `X-Real-IP` / `Forwarded` headers name the client. Empty: the socket's address is the client, and those
    /// headers are ignored from everyone (anyone could send them). See docs/deployment.md for nginx.
    pub trusted_proxies: Vec<String>,
    /// Sign-in attempts per account (username or phone number typed) per hour, whatever the address.
    pub login_per_hour_per_account: i64,
    /// Registrations per client address per hour.
    pub register_per_hour_per_ip: i64,
    /// Seconds between runs of the audit log's sealer (`audit::chain`); 0 turns it off (then
    /// `shuzhuan verify-audit` reports every entry as unsealed).
    pub audit_seal_seconds: u64,
    /// Bytes an organization may hold in uploaded files, all its users together (MiB); 0: no quota.
    pub upload_quota_mib_per_org: i64,
    /// Uploads per user per hour, whatever their size.
    pub uploads_per_hour_per_user: i64,
}

impl SecurityConfig {
    /// The parsed `trusted_proxies` (checked by [`Config::check`], so unparsable entries never get here).
    pub fn trusted_proxy_nets(&self) -> Vec<ipnet::IpNet> {
        self.trusted_proxies.iter().filter_map(|p| parse_net(p).ok()).collect()
    }
}

/// An address (`10.0.0.1`, `::1`) or a CIDR block (`10.0.0.0/8`).
fn parse_net(s: &str) -> Result<ipnet::IpNet, String> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("trusted_proxies 中的「{s}」不是有效的 IP 地址或网段"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsGateway {
    /// Writes messages to the `sms_outbox` table (development, tests); readable at /api/dev/sms-outbox.
    Log,
    /// POSTs to an SMS provider's HTTP API.
    Http,
}

/// 统一身份认证 (`[unified_identity]`): sign-in through an OpenID Connect provider, e.g. the province's
/// government-service identity. Off while `issuer` is empty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UnifiedIdentityConfig {
    /// The provider's issuer URL, exactly as its discovery document states it.
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// This platform's callback as registered with the provider: `https://HOST/api/auth/unified/callback`.
    pub redirect_url: Option<String>,
    /// The button text on the login page; `统一身份认证登录` when empty.
    pub label: Option<String>,
}

impl UnifiedIdentityConfig {
    pub fn enabled(&self) -> bool {
        self.issuer.as_deref().is_some_and(|i| !i.trim().is_empty())
    }

    pub fn label(&self) -> &str {
        self.label.as_deref().filter(|l| !l.trim().is_empty()).unwrap_or("统一身份认证登录")
    }
}

/// The project lifecycle (`[lifecycle]`, docs/lifecycle.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LifecycleConfig {
    /// The 项目备案号 rule (`shuzhuan_core::filing_number`): literal digits, letters and `-` with the tokens
    /// `{yyyy}` `{yy}` `{MM}` `{dd}` `{town}` `{town3}` and one `{seq:N}`.
    pub filing_number: String,
    /// 事前诊断's deadline: days after 备案完成 (China dates) by which the pre-diagnosis result must be fixed;
    /// later it shows 是否逾期 = 是. 0 = no deadline. One value per platform for now (see docs/lifecycle.md).
    pub diagnosis_days: u32,
    /// 诊断机构 offered for 诊断机构诊断 and 市工信局分配: the registered names of agency organizations, in the
    /// order shown. By default the five comprehensive agencies seed 002 lists (综合型服务机构).
    pub diagnosis_agencies: Vec<String>,
    /// 评估机构 offered for 事后评估 (评估机构评估 and 市工信局分配): seed 002 allows only the comprehensive
    /// agencies here, whatever diagnosed before; by default its five.
    pub evaluation_agencies: Vec<String>,
    /// The bearer token the national platform presents to pull the feed (`/api/national-sync/v1`,
    /// docs/national-sync.md). Unset: the feed is recorded but not served.
    pub national_sync_token: Option<String>,
    /// Where the feed is also pushed (a signed webhook, docs/national-sync.md); unset: pull only.
    pub national_webhook_url: Option<String>,
    /// The shared secret the webhook's `X-Shuzhuan-Signature` is computed with (HMAC-SHA256).
    pub national_webhook_secret: Option<String>,
}

/// Seed 002's comprehensive agencies (综合型服务机构), which diagnose before and evaluate after.
pub const COMPREHENSIVE_AGENCIES: [&str; 5] =
    ["中国信息通信研究院", "中国工业互联网研究院", "中国电子信息产业发展研究院", "工业和信息化部电子第五研究所", "国家工业信息安全发展研究中心"];

impl Default for LifecycleConfig {
    fn default() -> Self {
        Self {
            filing_number: shuzhuan_core::filing_number::DEFAULT_FILING_NUMBER.into(),
            diagnosis_days: 30,
            diagnosis_agencies: COMPREHENSIVE_AGENCIES.iter().map(|s| (*s).to_owned()).collect(),
            evaluation_agencies: COMPREHENSIVE_AGENCIES.iter().map(|s| (*s).to_owned()).collect(),
            national_sync_token: None,
            national_webhook_url: None,
            national_webhook_secret: None,
        }
    }
}

impl LifecycleConfig {
    /// The parsed rule (checked at start-up by [`Config::check`]).
    pub fn filing_number_rule(&self) -> shuzhuan_core::FilingNumberRule {
        shuzhuan_core::FilingNumberRule::parse(&self.filing_number).unwrap_or_default()
    }
}

/// Review engine settings (`[review]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewConfig {
    /// Review events that also send the applicant an SMS through the gateway: any of `returned`, `rejected`,
    /// `approved` (final approval). In-site notifications are always sent.
    pub sms_events: Vec<String>,
    /// Minutes between sweeps that send 超时提醒 for tasks past their stage deadline; 0 turns them off.
    pub reminder_interval_minutes: u64,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        Self { sms_events: vec!["returned".into(), "rejected".into(), "approved".into()], reminder_interval_minutes: 5 }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmsConfig {
    pub gateway: SmsGateway,
    pub code_ttl_seconds: i64,
    pub code_max_attempts: i32,
    /// Minimum seconds between two codes to the same number.
    pub interval_seconds: i64,
    /// Codes per number per day.
    pub daily_cap: i64,
    /// Codes per client address per hour.
    pub per_ip_per_hour: i64,
    /// The text sent; `{code}` and `{minutes}` are replaced.
    pub template: String,
    pub http_url: Option<String>,
    /// Request body with `{phone}` and `{text}` placeholders (JSON-escaped when the content type is JSON).
    pub http_body_template: String,
    pub http_content_type: String,
    /// Sent as the Authorization header when set.
    pub http_authorization: Option<String>,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        Self {
            password_min_len: 8,
            password_max_len: 64,
            password_min_classes: 3,
            password_history: 5,
            lock_after_failures: 5,
            lock_minutes: 15,
            login_per_minute_per_ip: 30,
            captcha_per_minute_per_ip: 60,
            captcha_ttl_seconds: 300,
            test_expose_captcha: false,
            trusted_proxies: Vec::new(),
            login_per_hour_per_account: 30,
            register_per_hour_per_ip: 20,
            audit_seal_seconds: 10,
            // An enterprise's applications carry a few dozen attachments of up to 10–50 MB: 2 GiB is ample for
            // honest use and stops a stolen session from filling the disk (issue 13: 30 uploads of 100 MB).
            upload_quota_mib_per_org: 2048,
            uploads_per_hour_per_user: 200,
        }
    }
}

impl Default for SmsConfig {
    fn default() -> Self {
        Self {
            gateway: SmsGateway::Log,
            code_ttl_seconds: 300,
            code_max_attempts: 5,
            interval_seconds: 60,
            daily_cap: 10,
            per_ip_per_hour: 30,
            template: "【数转平台】您的验证码为{code}，{minutes}分钟内有效。如非本人操作，请忽略本短信。".into(),
            http_url: None,
            http_body_template: r#"{"phone":"{phone}","text":"{text}"}"#.into(),
            http_content_type: "application/json".into(),
            http_authorization: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageConfig {
    /// `local` (default) or `s3`.
    pub backend: StorageBackend,
    /// For `local`: the folder for uploaded files (default `<data_dir>/files`).
    pub local_dir: Option<PathBuf>,
    pub s3_endpoint: Option<String>,
    pub s3_bucket: Option<String>,
    pub s3_region: String,
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<String>,
    /// Allow a plain-http endpoint (a test server, an intranet MinIO).
    pub s3_allow_http: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    Local,
    S3,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionConfig {
    pub idle_timeout_minutes: i64,
    pub absolute_timeout_hours: i64,
    /// Mark the cookie `Secure`; turn on whenever the platform is served over TLS.
    pub cookie_secure: bool,
    /// Production refuses to start without `cookie_secure` (session cookies would cross the network in clear
    /// text) unless this says, explicitly, that the platform is served over plain HTTP (an isolated intranet).
    pub allow_insecure_http: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            mode: Mode::Development,
            listen: "127.0.0.1:8080".parse().expect("valid literal"),
            database_url: "sqlite://data/shuzhuan.db".into(),
            data_dir: PathBuf::from("data"),
            secret_key: DEFAULT_SECRET.into(),
            web_dir: None,
            site_name: "中小企业数字化转型服务平台".into(),
            organizer: "市工业和信息化局".into(),
            log_format: LogFormat::Text,
            max_body_bytes: 110 * 1024 * 1024,
            storage: StorageConfig::default(),
            session: SessionConfig::default(),
            security: SecurityConfig::default(),
            sms: SmsConfig::default(),
            review: ReviewConfig::default(),
            lifecycle: LifecycleConfig::default(),
            unified_identity: UnifiedIdentityConfig::default(),
            pdf_font_dirs: vec![PathBuf::from("fonts"), PathBuf::from("/usr/share/fonts/opentype/noto"), PathBuf::from("/usr/share/fonts/truetype/noto")],
            capacity: CapacityConfig::default(),
        }
    }
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            backend: StorageBackend::Local,
            local_dir: None,
            s3_endpoint: None,
            s3_bucket: None,
            s3_region: "us-east-1".into(),
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_allow_http: false,
        }
    }
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self { idle_timeout_minutes: 30, absolute_timeout_hours: 12, cookie_secure: false, allow_insecure_http: false }
    }
}

/// More slots than this would undo the bound (each hash holds 19 MiB); a longer queue than this would hold
/// a client longer than any browser or proxy waits.
const MAX_GATE_SIZE: usize = 256;
const MAX_QUEUE_MS: u64 = 120_000;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("无法读取配置文件 {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("配置文件 {path} 格式错误: {message}")]
    Parse { path: String, message: String },
    #[error("环境变量 {name} 的值无效: {message}")]
    Env { name: String, message: String },
    #[error("配置无效: {0}")]
    Invalid(String),
}

impl Config {
    /// Reads `file` (when given, it must exist) or `shuzhuan.toml` in the working directory (when present),
    /// then applies environment overrides from the process environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut config = match file {
            Some(path) => Self::from_file(path)?,
            None if Path::new("shuzhuan.toml").exists() => Self::from_file(Path::new("shuzhuan.toml"))?,
            None => Self::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        config.check()?;
        Ok(config)
    }

    fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse { path: path.display().to_string(), message: e.to_string() })
    }

    /// Environment variables win over the file so that containers and CI can override one setting.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(name: &str, value: String) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            value.trim().parse().map_err(|e: T::Err| ConfigError::Env { name: name.into(), message: e.to_string() })
        }
        fn parse_bool(name: &str, value: String) -> Result<bool, ConfigError> {
            match value.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(ConfigError::Env { name: name.into(), message: "应为 true 或 false".into() }),
            }
        }
        if let Some(v) = get("SHUZHUAN_MODE") {
            self.mode = match v.trim() {
                "development" => Mode::Development,
                "production" => Mode::Production,
                _ => return Err(ConfigError::Env { name: "SHUZHUAN_MODE".into(), message: "应为 development 或 production".into() }),
            };
        }
        if let Some(v) = get("SHUZHUAN_LISTEN") {
            self.listen = parse("SHUZHUAN_LISTEN", v)?;
        }
        if let Some(v) = get("SHUZHUAN_DATABASE_URL").or_else(|| get("DATABASE_URL")) {
            self.database_url = v.trim().to_string();
        }
        if let Some(v) = get("SHUZHUAN_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = get("SHUZHUAN_SECRET_KEY") {
            self.secret_key = v;
        }
        if let Some(v) = get("SHUZHUAN_WEB_DIR") {
            self.web_dir = Some(PathBuf::from(v));
        }
        if let Some(v) = get("SHUZHUAN_SITE_NAME") {
            self.site_name = v;
        }
        if let Some(v) = get("SHUZHUAN_ORGANIZER") {
            self.organizer = v;
        }
        if let Some(v) = get("SHUZHUAN_LOG_FORMAT") {
            self.log_format = match v.trim() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => return Err(ConfigError::Env { name: "SHUZHUAN_LOG_FORMAT".into(), message: "应为 text 或 json".into() }),
            };
        }
        if let Some(v) = get("SHUZHUAN_MAX_BODY_BYTES") {
            self.max_body_bytes = parse("SHUZHUAN_MAX_BODY_BYTES", v)?;
        }
        if let Some(v) = get("SHUZHUAN_STORAGE_BACKEND") {
            self.storage.backend = match v.trim() {
                "local" => StorageBackend::Local,
                "s3" => StorageBackend::S3,
                _ => return Err(ConfigError::Env { name: "SHUZHUAN_STORAGE_BACKEND".into(), message: "应为 local 或 s3".into() }),
            };
        }
        for (name, slot) in [
            ("SHUZHUAN_OIDC_ISSUER", &mut self.unified_identity.issuer),
            ("SHUZHUAN_OIDC_CLIENT_ID", &mut self.unified_identity.client_id),
            ("SHUZHUAN_OIDC_CLIENT_SECRET", &mut self.unified_identity.client_secret),
            ("SHUZHUAN_OIDC_REDIRECT_URL", &mut self.unified_identity.redirect_url),
            ("SHUZHUAN_OIDC_LABEL", &mut self.unified_identity.label),
        ] {
            if let Some(v) = get(name) {
                *slot = Some(v.trim().to_string()).filter(|v| !v.is_empty());
            }
        }
        if let Some(v) = get("SHUZHUAN_STORAGE_LOCAL_DIR") {
            self.storage.local_dir = Some(PathBuf::from(v));
        }
        if let Some(v) = get("SHUZHUAN_S3_ENDPOINT") {
            self.storage.s3_endpoint = Some(v);
        }
        if let Some(v) = get("SHUZHUAN_S3_BUCKET") {
            self.storage.s3_bucket = Some(v);
        }
        if let Some(v) = get("SHUZHUAN_S3_REGION") {
            self.storage.s3_region = v;
        }
        if let Some(v) = get("SHUZHUAN_S3_ACCESS_KEY_ID") {
            self.storage.s3_access_key_id = Some(v);
        }
        if let Some(v) = get("SHUZHUAN_S3_SECRET_ACCESS_KEY") {
            self.storage.s3_secret_access_key = Some(v);
        }
        if let Some(v) = get("SHUZHUAN_S3_ALLOW_HTTP") {
            self.storage.s3_allow_http = parse_bool("SHUZHUAN_S3_ALLOW_HTTP", v)?;
        }
        if let Some(v) = get("SHUZHUAN_SESSION_IDLE_TIMEOUT_MINUTES") {
            self.session.idle_timeout_minutes = parse("SHUZHUAN_SESSION_IDLE_TIMEOUT_MINUTES", v)?;
        }
        if let Some(v) = get("SHUZHUAN_SESSION_ABSOLUTE_TIMEOUT_HOURS") {
            self.session.absolute_timeout_hours = parse("SHUZHUAN_SESSION_ABSOLUTE_TIMEOUT_HOURS", v)?;
        }
        if let Some(v) = get("SHUZHUAN_TEST_EXPOSE_CAPTCHA") {
            self.security.test_expose_captcha = parse_bool("SHUZHUAN_TEST_EXPOSE_CAPTCHA", v)?;
        }
        if let Some(v) = get("SHUZHUAN_SMS_GATEWAY") {
            self.sms.gateway = match v.trim() {
                "log" => SmsGateway::Log,
                "http" => SmsGateway::Http,
                _ => return Err(ConfigError::Env { name: "SHUZHUAN_SMS_GATEWAY".into(), message: "应为 log 或 http".into() }),
            };
        }
        if let Some(v) = get("SHUZHUAN_FILING_NUMBER") {
            self.lifecycle.filing_number = v;
        }
        if let Some(v) = get("SHUZHUAN_NATIONAL_SYNC_TOKEN") {
            self.lifecycle.national_sync_token = Some(v).filter(|t| !t.trim().is_empty());
        }
        if let Some(v) = get("SHUZHUAN_NATIONAL_WEBHOOK_URL") {
            self.lifecycle.national_webhook_url = Some(v).filter(|t| !t.trim().is_empty());
        }
        if let Some(v) = get("SHUZHUAN_NATIONAL_WEBHOOK_SECRET") {
            self.lifecycle.national_webhook_secret = Some(v).filter(|t| !t.trim().is_empty());
        }
        if let Some(v) = get("SHUZHUAN_DIAGNOSIS_DAYS") {
            self.lifecycle.diagnosis_days = parse("SHUZHUAN_DIAGNOSIS_DAYS", v)?;
        }
        if let Some(v) = get("SHUZHUAN_REVIEW_SMS_EVENTS") {
            self.review.sms_events = v.split(',').map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect();
        }
        if let Some(v) = get("SHUZHUAN_SMS_HTTP_URL") {
            self.sms.http_url = Some(v);
        }
        if let Some(v) = get("SHUZHUAN_SMS_HTTP_AUTHORIZATION") {
            self.sms.http_authorization = Some(v);
        }
        if let Some(v) = get("SHUZHUAN_PDF_FONT_DIRS") {
            self.pdf_font_dirs = std::env::split_paths(&v).collect();
        }
        if let Some(v) = get("SHUZHUAN_COOKIE_SECURE") {
            self.session.cookie_secure = parse_bool("SHUZHUAN_COOKIE_SECURE", v)?;
        }
        if let Some(v) = get("SHUZHUAN_ALLOW_INSECURE_HTTP") {
            self.session.allow_insecure_http = parse_bool("SHUZHUAN_ALLOW_INSECURE_HTTP", v)?;
        }
        if let Some(v) = get("SHUZHUAN_CAPACITY_PASSWORD_HASHES") {
            self.capacity.password_hashes = parse("SHUZHUAN_CAPACITY_PASSWORD_HASHES", v)?;
        }
        if let Some(v) = get("SHUZHUAN_CAPACITY_PASSWORD_QUEUE_MS") {
            self.capacity.password_queue_ms = parse("SHUZHUAN_CAPACITY_PASSWORD_QUEUE_MS", v)?;
        }
        if let Some(v) = get("SHUZHUAN_CAPACITY_PDF_RENDERS") {
            self.capacity.pdf_renders = parse("SHUZHUAN_CAPACITY_PDF_RENDERS", v)?;
        }
        if let Some(v) = get("SHUZHUAN_CAPACITY_PDF_QUEUE_MS") {
            self.capacity.pdf_queue_ms = parse("SHUZHUAN_CAPACITY_PDF_QUEUE_MS", v)?;
        }
        if let Some(v) = get("SHUZHUAN_TRUSTED_PROXIES") {
            self.security.trusted_proxies = v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        }
        Ok(())
    }

    /// Checks that hold in every mode. Production-only checks are in [`Config::check_production`].
    pub fn check(&self) -> Result<(), ConfigError> {
        for p in &self.security.trusted_proxies {
            parse_net(p).map_err(ConfigError::Invalid)?;
        }
        if self.session.idle_timeout_minutes <= 0 || self.session.absolute_timeout_hours <= 0 {
            return Err(ConfigError::Invalid("会话超时时间必须为正数".into()));
        }
        if self.max_body_bytes < 1024 {
            return Err(ConfigError::Invalid("max_body_bytes 过小".into()));
        }
        let cap = &self.capacity;
        if cap.password_hashes > MAX_GATE_SIZE || cap.pdf_renders > MAX_GATE_SIZE {
            return Err(ConfigError::Invalid(format!("capacity.password_hashes 与 capacity.pdf_renders 不能超过 {MAX_GATE_SIZE}（0 表示按 CPU 核数）")));
        }
        if cap.password_queue_ms > MAX_QUEUE_MS || cap.pdf_queue_ms > MAX_QUEUE_MS {
            return Err(ConfigError::Invalid(format!("capacity 的排队等待时间不能超过 {MAX_QUEUE_MS} 毫秒")));
        }
        let sec = &self.security;
        if sec.password_min_len < 6 || sec.password_max_len < sec.password_min_len || !(1..=4).contains(&sec.password_min_classes) {
            return Err(ConfigError::Invalid("密码策略无效：长度下限至少6位、上限不小于下限，字符种类为1-4".into()));
        }
        if self.lifecycle.national_sync_token.as_ref().is_some_and(|t| t.chars().count() < 24) {
            return Err(ConfigError::Invalid("lifecycle.national_sync_token 过短：至少 24 个字符".into()));
        }
        let hook = &self.lifecycle;
        if let Some(url) = &hook.national_webhook_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(ConfigError::Invalid("lifecycle.national_webhook_url 应为 http(s):// 地址".into()));
            }
            if hook.national_webhook_secret.as_ref().is_none_or(|s| s.chars().count() < 24) {
                return Err(ConfigError::Invalid("lifecycle.national_webhook_secret 未设置或过短：推送需签名，至少 24 个字符".into()));
            }
        }
        if let Err(e) = shuzhuan_core::FilingNumberRule::parse(&self.lifecycle.filing_number) {
            return Err(ConfigError::Invalid(format!("lifecycle.filing_number 无效：{e}")));
        }
        if let Some(bad) = self.review.sms_events.iter().find(|e| !["returned", "rejected", "approved"].contains(&e.as_str())) {
            return Err(ConfigError::Invalid(format!("review.sms_events 中的「{bad}」无效：只能是 returned、rejected、approved")));
        }
        if self.sms.gateway == SmsGateway::Http && self.sms.http_url.as_deref().unwrap_or("").is_empty() {
            return Err(ConfigError::Invalid("使用 HTTP 短信网关时必须设置 sms.http_url (SHUZHUAN_SMS_HTTP_URL)".into()));
        }
        if self.storage.backend == StorageBackend::S3 && self.storage.s3_bucket.as_deref().unwrap_or("").is_empty() {
            return Err(ConfigError::Invalid("使用 S3 存储时必须设置 s3_bucket (SHUZHUAN_S3_BUCKET)".into()));
        }
        let ui = &self.unified_identity;
        if ui.enabled() {
            let missing = |v: &Option<String>| v.as_deref().is_none_or(|v| v.trim().is_empty());
            if missing(&ui.client_id) || missing(&ui.client_secret) || missing(&ui.redirect_url) {
                return Err(ConfigError::Invalid(
                    "启用统一身份认证时必须同时设置 client_id、client_secret 和 redirect_url (SHUZHUAN_OIDC_CLIENT_ID 等)".into(),
                ));
            }
            for (name, v) in [("issuer", &ui.issuer), ("redirect_url", &ui.redirect_url)] {
                if url::Url::parse(v.as_deref().unwrap_or("")).map_or(true, |u| !matches!(u.scheme(), "http" | "https")) {
                    return Err(ConfigError::Invalid(format!("unified_identity.{name} 不是有效的 http(s) 地址")));
                }
            }
        }
        Ok(())
    }

    /// `serve` in production refuses defaults that would make the platform unsafe.
    pub fn check_production(&self) -> Result<(), ConfigError> {
        if self.mode != Mode::Production {
            return Ok(());
        }
        if self.secret_key == DEFAULT_SECRET || self.secret_key.trim().len() < 32 {
            return Err(ConfigError::Invalid(
                "生产模式下必须设置至少32个字符的 secret_key (SHUZHUAN_SECRET_KEY)，不能使用默认值".into(),
            ));
        }
        // 32 × "a" is 32 characters and no secret: ask for some variety (a generated key has ~all distinct).
        let distinct: std::collections::BTreeSet<char> = self.secret_key.trim().chars().collect();
        if distinct.len() < 12 {
            return Err(ConfigError::Invalid(
                "生产模式下的 secret_key 过于简单（不同字符少于12个），请使用随机生成的密钥，例如 openssl rand -base64 48".into(),
            ));
        }
        if !self.session.cookie_secure && !self.session.allow_insecure_http {
            return Err(ConfigError::Invalid(
                "生产模式须通过 HTTPS 提供服务：请设置 session.cookie_secure = true（确需在内网使用 HTTP 时，显式设置 session.allow_insecure_http = true）".into(),
            ));
        }
        if self.security.test_expose_captcha {
            return Err(ConfigError::Invalid("生产模式下不能开启 test_expose_captcha".into()));
        }
        if self.sms.gateway == SmsGateway::Log {
            return Err(ConfigError::Invalid("生产模式下须配置真实短信网关 (sms.gateway = \"http\")".into()));
        }
        // Tokens and the client secret must not cross the network in clear text.
        if self.unified_identity.enabled() && !self.unified_identity.issuer.as_deref().unwrap_or("").starts_with("https://") {
            return Err(ConfigError::Invalid("生产模式下统一身份认证的 issuer 必须使用 https".into()));
        }
        if self.storage.backend == StorageBackend::S3
            && (self.storage.s3_access_key_id.is_none() || self.storage.s3_secret_access_key.is_none())
        {
            return Err(ConfigError::Invalid("生产模式下使用 S3 存储必须设置访问密钥".into()));
        }
        Ok(())
    }

    pub fn password_policy(&self) -> shuzhuan_core::PasswordPolicy {
        shuzhuan_core::PasswordPolicy {
            min_len: self.security.password_min_len,
            max_len: self.security.password_max_len,
            min_classes: self.security.password_min_classes as u8,
        }
    }

    pub fn local_files_dir(&self) -> PathBuf {
        self.storage.local_dir.clone().unwrap_or_else(|| self.data_dir.join("files"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn environment_overrides_defaults() {
        let mut c = Config::default();
        c.apply_env(env(&[("DATABASE_URL", "postgres://x/y"), ("SHUZHUAN_LISTEN", "0.0.0.0:9000")])).unwrap();
        assert_eq!(c.database_url, "postgres://x/y");
        assert_eq!(c.listen.port(), 9000);
    }

    #[test]
    fn bad_environment_value_names_the_variable() {
        let mut c = Config::default();
        let err = c.apply_env(env(&[("SHUZHUAN_LISTEN", "not-an-address")])).unwrap_err();
        assert!(err.to_string().contains("SHUZHUAN_LISTEN"), "{err}");
    }

    #[test]
    fn production_refuses_default_secret() {
        let mut c = Config::default();
        c.mode = Mode::Production;
        assert!(c.check_production().is_err());
        c.secret_key = "a".repeat(40);
        assert!(c.check_production().unwrap_err().to_string().contains("过于简单"), "32 × a is no secret");
        c.secret_key = "k7Q2pX9mZ4vR1tY8wB3nH6jL0cF5dG2sE9aU".into();
        assert!(c.check_production().unwrap_err().to_string().contains("HTTPS"), "no Secure cookie in production");
        c.session.cookie_secure = true;
        assert!(c.check_production().is_err(), "the log SMS gateway is for development only");
        c.sms.gateway = SmsGateway::Http;
        c.sms.http_url = Some("https://sms.example/send".into());
        assert!(c.check_production().is_ok());
        c.session.cookie_secure = false;
        c.session.allow_insecure_http = true;
        assert!(c.check_production().is_ok(), "plain HTTP only when said explicitly");
    }

    #[test]
    fn unified_identity_needs_its_client_and_https_in_production() {
        let mut c = Config::default();
        c.apply_env(env(&[("SHUZHUAN_OIDC_ISSUER", "http://idp.test")])).unwrap();
        assert!(c.unified_identity.enabled());
        assert!(c.check().unwrap_err().to_string().contains("client_id"));
        c.apply_env(env(&[
            ("SHUZHUAN_OIDC_CLIENT_ID", "shuzhuan"),
            ("SHUZHUAN_OIDC_CLIENT_SECRET", "s"),
            ("SHUZHUAN_OIDC_REDIRECT_URL", "not a url"),
        ]))
        .unwrap();
        assert!(c.check().unwrap_err().to_string().contains("redirect_url"));
        c.unified_identity.redirect_url = Some("https://sz.test/api/auth/unified/callback".into());
        c.check().unwrap();
        assert_eq!(c.unified_identity.label(), "统一身份认证登录");
        c.mode = Mode::Production;
        c.secret_key = "k7Q2pX9mZ4vR1tY8wB3nH6jL0cF5dG2sE9aU".into();
        c.session.cookie_secure = true;
        c.sms.gateway = SmsGateway::Http;
        assert!(c.check_production().unwrap_err().to_string().contains("https"));
        c.unified_identity.issuer = Some("https://idp.test".into());
        c.check_production().unwrap();
    }

    #[test]
    fn capacity_from_file_and_environment() {
        let mut c: Config = toml::from_str("[capacity]\npassword_hashes = 3\npdf_queue_ms = 2500").unwrap();
        assert_eq!((c.capacity.password_hashes, c.capacity.password_queue_ms), (3, 5_000));
        assert_eq!((c.capacity.pdf_renders, c.capacity.pdf_queue_ms), (0, 2_500));
        c.apply_env(env(&[("SHUZHUAN_CAPACITY_PDF_RENDERS", "1"), ("SHUZHUAN_CAPACITY_PASSWORD_QUEUE_MS", "750")])).unwrap();
        assert_eq!((c.capacity.pdf_renders, c.capacity.password_queue_ms), (1, 750));
        assert_eq!(c.capacity.pdf_gate().size(), 1);
        assert_eq!(c.capacity.password_gate().size(), 3);
        assert_eq!(Config::default().capacity.password_gate().size(), crate::gate::cores());
        c.check().unwrap();
        c.capacity.password_hashes = 10_000;
        assert!(c.check().unwrap_err().to_string().contains("password_hashes"));
        let err = Config::default().apply_env(env(&[("SHUZHUAN_CAPACITY_PASSWORD_HASHES", "many")])).unwrap_err();
        assert!(err.to_string().contains("SHUZHUAN_CAPACITY_PASSWORD_HASHES"), "{err}");
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        let err = toml::from_str::<Config>("listn = \"1\"").unwrap_err();
        assert!(err.to_string().contains("listn"));
    }
}
