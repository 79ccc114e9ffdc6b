use refnum_db::DbErr;

/// A field error: the form field and the catalogue key of its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub key: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("database error: {0}")]
    Db(DbErr),
    /// The database cannot be reached for now (connection lost or refused,
    /// pool exhausted): answered 503 with `Retry-After`.
    #[error("database unavailable: {0}")]
    Unavailable(DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DbErr> for ServiceError {
    fn from(e: DbErr) -> Self {
        if refnum_db::is_unavailable(&e) {
            ServiceError::Unavailable(e)
        } else {
            ServiceError::Db(e)
        }
    }
}

impl ServiceError {
    pub fn field(field: &'static str, key: &'static str) -> Self {
        ServiceError::Invalid(vec![FieldError { field, key }])
    }
}

pub type Result<T> = std::result::Result<T, ServiceError>;
