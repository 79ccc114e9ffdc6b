//! Paths of the parc pages.
