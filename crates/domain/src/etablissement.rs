use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EtabKind {
    College,
    Lycee,
    Lp,
    Lpo,
    Erea,
    Ecole,
}

impl EtabKind {
    pub const ALL: [EtabKind; 6] = [
        EtabKind::College,
        EtabKind::Lycee,
        EtabKind::Lp,
        EtabKind::Lpo,
        EtabKind::Erea,
        EtabKind::Ecole,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            EtabKind::College => "college",
            EtabKind::Lycee => "lycee",
            EtabKind::Lp => "lp",
            EtabKind::Lpo => "lpo",
            EtabKind::Erea => "erea",
            EtabKind::Ecole => "ecole",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectiviteKind {
    Region,
    Departement,
    Commune,
}

impl CollectiviteKind {
    pub const ALL: [CollectiviteKind; 3] = [
        CollectiviteKind::Region,
        CollectiviteKind::Departement,
        CollectiviteKind::Commune,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            CollectiviteKind::Region => "region",
            CollectiviteKind::Departement => "departement",
            CollectiviteKind::Commune => "commune",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A bounded, trimmed, non-empty name.
pub fn parse_name(input: &str, max: usize) -> Result<String, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        return Err("error-required");
    }
    if s.chars().count() > max || s.chars().any(char::is_control) {
        return Err("error-too-long");
    }
    Ok(s.to_string())
}

/// A pupil count: 0 to 10,000.
pub fn parse_pupil_count(input: &str) -> Result<i32, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(0);
    }
    match s.parse::<i32>() {
        Ok(n) if (0..=10_000).contains(&n) => Ok(n),
        _ => Err("error-pupil-count"),
    }
}
