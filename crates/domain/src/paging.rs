//! A page of a list as an API caller asks for it: numbers out of range are
//! refused, not silently clamped, so that the caller learns of its mistake.

/// Page `page` (from 1) of `per_page` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u64,
    pub per_page: u64,
}

/// Which number is out of range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagingError {
    Page,
    PerPage,
}

impl Paging {
    pub const PAGE_MAX: u64 = 1_000_000;
    pub const PER_PAGE_MAX: u64 = 200;
    pub const PER_PAGE_DEFAULT: u64 = 50;

    /// Page 1 and 50 items when absent; a page from 1 to 1,000,000 and 1 to
    /// 200 items otherwise.
    pub fn parse(page: Option<u64>, per_page: Option<u64>) -> Result<Paging, PagingError> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(Self::PER_PAGE_DEFAULT);
        if !(1..=Self::PAGE_MAX).contains(&page) {
            return Err(PagingError::Page);
        }
        if !(1..=Self::PER_PAGE_MAX).contains(&per_page) {
            return Err(PagingError::PerPage);
        }
        Ok(Paging { page, per_page })
    }

    /// How many items come before this page.
    pub fn offset(self) -> u64 {
        (self.page - 1) * self.per_page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_refused_not_clamped() {
        assert_eq!(
            Paging::parse(None, None),
            Ok(Paging {
                page: 1,
                per_page: 50
            })
        );
        assert_eq!(
            Paging::parse(Some(3), Some(200)).map(Paging::offset),
            Ok(400)
        );
        assert_eq!(Paging::parse(Some(0), None), Err(PagingError::Page));
        assert_eq!(Paging::parse(Some(1_000_001), None), Err(PagingError::Page));
        assert_eq!(Paging::parse(None, Some(0)), Err(PagingError::PerPage));
        assert_eq!(Paging::parse(None, Some(201)), Err(PagingError::PerPage));
    }
}
