//! What every list endpoint shares: pages of 10/20/50/100 (90-quality usability) and "contains" text
//! filters whose wildcards are escaped.

use sea_orm::sea_query::LikeExpr;

use crate::error::{ApiError, ApiResult};

pub const PAGE_SIZES: [u64; 4] = [10, 20, 50, 100];
/// No list has this many pages; a larger number would overflow the database's offset (a 500 before).
pub const MAX_PAGE: u64 = 1_000_000;

/// A requested page, 1-based.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub page: u64,
    pub page_size: u64,
}

impl Page {
    pub fn parse(page: Option<u64>, page_size: Option<u64>) -> ApiResult<Self> {
        let page_size = page_size.unwrap_or(20);
        if !PAGE_SIZES.contains(&page_size) {
            return Err(ApiError::validation("page_size", "每页条数须为 10、20、50 或 100"));
        }
        let page = page.unwrap_or(1).max(1);
        if page > MAX_PAGE {
            return Err(ApiError::validation("page", format!("页码不能超过{MAX_PAGE}")));
        }
        Ok(Self { page, page_size })
    }

    /// The 0-based index that SeaORM's paginator expects.
    pub fn index(self) -> u64 {
        self.page - 1
    }
}

/// `LIKE '%text%'` with `%`, `_` and `\` in the user's text taken literally.
pub fn contains(text: &str) -> LikeExpr {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_sizes() {
        assert_eq!(Page::parse(None, None).unwrap().page_size, 20);
        assert_eq!(Page::parse(Some(0), Some(10)).unwrap().page, 1);
        assert!(Page::parse(Some(1), Some(7)).is_err());
        assert!(Page::parse(Some(9_223_372_036_854_775_808), Some(20)).is_err());
    }
}
