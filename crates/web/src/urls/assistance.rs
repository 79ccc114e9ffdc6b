//! Paths of the assistance pages.
