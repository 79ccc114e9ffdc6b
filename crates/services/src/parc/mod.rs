//! Parc: places and equipment of a school.
