//! Knowledge base articles.
