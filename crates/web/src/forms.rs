//! Form errors shown next to their field and summarised at the top.

use crate::i18n::Tr;
use refnum_services::{FieldError, ServiceError};

pub struct FieldMsg {
    pub field: String,
    pub message: String,
}

#[derive(Default)]
pub struct FormErrors {
    pub items: Vec<FieldMsg>,
}

impl FormErrors {
    pub fn from_fields(tr: Tr, errors: &[FieldError]) -> Self {
        FormErrors {
            items: errors
                .iter()
                .map(|e| FieldMsg {
                    field: e.field.to_string(),
                    message: tr.t(e.key),
                })
                .collect(),
        }
    }

    pub fn one(tr: Tr, field: &str, key: &str) -> Self {
        FormErrors {
            items: vec![FieldMsg {
                field: field.to_string(),
                message: tr.t(key),
            }],
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|i| i.field == field)
            .map(|i| i.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Splits a service result into field errors (to show) and other errors (to propagate).
pub fn field_errors(tr: Tr, e: ServiceError) -> Result<FormErrors, ServiceError> {
    match e {
        ServiceError::Invalid(errs) => Ok(FormErrors::from_fields(tr, &errs)),
        other => Err(other),
    }
}
