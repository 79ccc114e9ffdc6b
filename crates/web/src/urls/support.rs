//! Paths of the support pages.

/// In-app notifications of the caller.
pub const NOTIFICATIONS: &str = "/notifications";
