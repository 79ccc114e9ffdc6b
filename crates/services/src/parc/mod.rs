//! Parc: places and equipment of a school.

pub mod files;

use base64::Engine;
use rand::RngCore;
use refnum_db::entities::parc::{parc_asset, parc_room};
use serde::{Deserialize, Serialize};

/// A new QR token: 128 random bits, base64url without padding (22 characters).
pub fn new_qr_token() -> String {
    let mut buf = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// The search text of an asset (folded inventory number, manufacturer,
/// model, serial, holder, owner label and notes). Set it on every write.
pub fn asset_search_text(a: &parc_asset::Model) -> String {
    refnum_domain::search::text_of(&[
        &a.inventory_number,
        &a.manufacturer,
        &a.model,
        &a.serial,
        a.holder_name.as_deref().unwrap_or(""),
        a.owner_label.as_deref().unwrap_or(""),
        &a.notes,
    ])
}

/// The search text of a room (its name, floor and notes).
pub fn room_search_text(r: &parc_room::Model) -> String {
    refnum_domain::search::text_of(&[&r.name, r.floor.as_deref().unwrap_or(""), &r.notes])
}

/// One changed field in an asset's history (`parc_asset_events.changes` is
/// a JSON array of these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub from: String,
    pub to: String,
}

pub mod assets;
pub mod places;

use crate::Ctx;
use crate::error::{FieldError, Result, ServiceError};
use chrono::NaiveDate;
use refnum_db::Db;
use refnum_db::entities::etablissement;
use refnum_domain::policy::{self, Decision, EtabAction};
use uuid::Uuid;

/// The kind of a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomKind {
    Classroom,
    ComputerRoom,
    Cdi,
    Lab,
    Workshop,
    Office,
    Meeting,
    Gym,
    Storage,
    Other,
}

impl RoomKind {
    pub const ALL: &'static [RoomKind] = &[
        RoomKind::Classroom,
        RoomKind::ComputerRoom,
        RoomKind::Cdi,
        RoomKind::Lab,
        RoomKind::Workshop,
        RoomKind::Office,
        RoomKind::Meeting,
        RoomKind::Gym,
        RoomKind::Storage,
        RoomKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoomKind::Classroom => "classroom",
            RoomKind::ComputerRoom => "computer_room",
            RoomKind::Cdi => "cdi",
            RoomKind::Lab => "lab",
            RoomKind::Workshop => "workshop",
            RoomKind::Office => "office",
            RoomKind::Meeting => "meeting",
            RoomKind::Gym => "gym",
            RoomKind::Storage => "storage",
            RoomKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<RoomKind> {
        RoomKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

/// What the caller may do besides reading the parc.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rights {
    /// Create, edit, move, retire; places.
    pub manage: bool,
    /// Report a fault on an asset.
    pub report: bool,
}

/// Loads a school for `action` (audited refusal otherwise) and what else the
/// caller may do there.
pub(crate) async fn open(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    action: EtabAction,
) -> Result<(etablissement::Model, Rights)> {
    let (etab, facts) = crate::orgs::etab_with_facts(db, ctx, etab_id, action).await?;
    let may = |a| policy::decide(&ctx.actor, a, &facts) == Decision::Allow;
    Ok((
        etab,
        Rights {
            manage: may(EtabAction::ManageParc),
            report: may(EtabAction::ReportFault),
        },
    ))
}

/// A date typed as `dd/mm/yyyy` or `yyyy-mm-dd`; empty is none. The error
/// is a catalogue key.
pub fn parse_date(input: &str) -> std::result::Result<Option<NaiveDate>, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| "parc-error-date")
}

/// Trimmed text of at most `max` characters, without control characters
/// (new lines allowed when `multiline`).
pub(crate) fn clean_text(
    input: &str,
    max: usize,
    multiline: bool,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> String {
    let s = input.trim();
    let bad = s
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t')));
    if s.chars().count() > max || bad {
        errors.push(FieldError {
            field,
            key: "parc-error-text",
        });
    }
    s.to_string()
}

/// `None` for empty text.
pub(crate) fn non_empty(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

pub(crate) fn invalid_if_any(errors: Vec<FieldError>) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_both_forms() {
        let d = NaiveDate::from_ymd_opt(2024, 9, 2);
        assert_eq!(parse_date("2024-09-02"), Ok(d));
        assert_eq!(parse_date(" 02/09/2024 "), Ok(d));
        assert_eq!(parse_date(""), Ok(None));
        assert_eq!(parse_date("31/02/2024"), Err("parc-error-date"));
        assert_eq!(parse_date("demain"), Err("parc-error-date"));
    }

    #[test]
    fn room_kinds_round_trip() {
        for k in RoomKind::ALL {
            assert_eq!(RoomKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(RoomKind::parse("cave"), None);
    }
}
