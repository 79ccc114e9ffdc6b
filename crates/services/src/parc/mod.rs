//! Parc: places and equipment of a school.

pub mod files;
