//! Knowledge base: short articles the referent writes, suggested while a ticket is typed.
