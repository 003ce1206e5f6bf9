//! Object storage behind one small interface: a local directory by default, any S3-compatible store when
//! configured. Keys are content addresses (`sha256/ab/cd/<hash>`), so a stored object never changes and a
//! retried upload cannot corrupt an earlier one.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};

use crate::config::{Config, StorageBackend};

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    backend: StorageBackend,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("无法创建文件目录 {path}: {message}")]
    Setup { path: String, message: String },
    #[error("存储配置无效: {0}")]
    Config(String),
    #[error("文件不存在")]
    NotFound,
    #[error("文件存储失败: {0}")]
    Io(String),
}

impl From<object_store::Error> for StorageError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { .. } => StorageError::NotFound,
            other => StorageError::Io(other.to_string()),
        }
    }
}

impl Storage {
    pub fn from_config(config: &Config) -> Result<Self, StorageError> {
        match config.storage.backend {
            StorageBackend::Local => {
                let dir = config.local_files_dir();
                std::fs::create_dir_all(&dir)
                    .map_err(|e| StorageError::Setup { path: dir.display().to_string(), message: e.to_string() })?;
                let store = LocalFileSystem::new_with_prefix(&dir)
                    .map_err(|e| StorageError::Setup { path: dir.display().to_string(), message: e.to_string() })?;
                Ok(Self { store: Arc::new(store), backend: StorageBackend::Local })
            }
            StorageBackend::S3 => {
                let s = &config.storage;
                let bucket = s.s3_bucket.clone().ok_or_else(|| StorageError::Config("缺少 s3_bucket".into()))?;
                // A store that is down should answer within seconds: a user waiting on an upload and a load
                // balancer probing /api/health both need a prompt "unavailable", not minutes of retries.
                let retry = RetryConfig {
                    backoff: BackoffConfig::default(),
                    max_retries: 2,
                    retry_timeout: Duration::from_secs(5),
                };
                let client = ClientOptions::new().with_connect_timeout(Duration::from_secs(3)).with_timeout(Duration::from_secs(120));
                let mut builder = AmazonS3Builder::new()
                    .with_retry(retry)
                    .with_client_options(client)
                    .with_bucket_name(bucket)
                    .with_region(s.s3_region.clone())
                    .with_allow_http(s.s3_allow_http);
                if let Some(endpoint) = &s.s3_endpoint {
                    // Self-hosted S3 (MinIO, Ceph, a test server) is addressed by path, not by virtual host.
                    builder = builder.with_endpoint(endpoint.clone()).with_virtual_hosted_style_request(false);
                }
                if let Some(key) = &s.s3_access_key_id {
                    builder = builder.with_access_key_id(key.clone());
                }
                if let Some(secret) = &s.s3_secret_access_key {
                    builder = builder.with_secret_access_key(secret.clone());
                }
                let store = builder.build().map_err(|e| StorageError::Config(e.to_string()))?;
                Ok(Self { store: Arc::new(store), backend: StorageBackend::S3 })
            }
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            StorageBackend::Local => "local",
            StorageBackend::S3 => "s3",
        }
    }

    pub fn key_for_sha256(sha256_hex: &str) -> String {
        format!("sha256/{}/{}/{}", &sha256_hex[0..2], &sha256_hex[2..4], sha256_hex)
    }

    /// Writes the object whole or not at all (local: temp file + rename; S3: a single PUT).
    pub async fn put(&self, key: &str, data: Bytes) -> Result<(), StorageError> {
        self.store.put(&ObjectPath::from(key), PutPayload::from(data)).await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        let result = self.store.get(&ObjectPath::from(key)).await?;
        Ok(result.bytes().await?)
    }

    pub async fn exists(&self, key: &str) -> Result<bool, StorageError> {
        match self.store.head(&ObjectPath::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Reachable and authorised: asking for a key that does not exist must answer "not found".
    pub async fn healthy(&self) -> bool {
        self.exists("health/probe").await.is_ok()
    }
}
