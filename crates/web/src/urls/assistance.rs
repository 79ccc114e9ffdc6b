//! Paths of the assistance pages.

/// The tickets the caller may see, over every school of their scope.
pub const TICKETS: &str = "/assistance";
