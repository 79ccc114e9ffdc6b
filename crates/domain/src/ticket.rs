//! Helpdesk tickets: the life cycle and the priority, decided here and
//! nowhere else.
//!
//! Statuses go new → taken → escalated → waiting → resolved → closed; a
//! resolved or closed ticket can be reopened. The priority comes from the
//! urgency and the impact, as in the usual ITIL matrix.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// Reported, nobody has it yet.
    New,
    /// Someone in the school (the referent) works on it.
    Taken,
    /// Handed to a support organisation.
    Escalated,
    /// Waiting for the requester, a part, a delivery.
    Waiting,
    Resolved,
    Closed,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 6] = [
        TicketStatus::New,
        TicketStatus::Taken,
        TicketStatus::Escalated,
        TicketStatus::Waiting,
        TicketStatus::Resolved,
        TicketStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::New => "new",
            TicketStatus::Taken => "taken",
            TicketStatus::Escalated => "escalated",
            TicketStatus::Waiting => "waiting",
            TicketStatus::Resolved => "resolved",
            TicketStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Open tickets count for the SLA and the overdue lists.
    pub fn is_open(self) -> bool {
        !matches!(self, TicketStatus::Resolved | TicketStatus::Closed)
    }

    /// Whether a ticket may go from `self` to `to`.
    pub fn can_become(self, to: TicketStatus) -> bool {
        use TicketStatus::*;
        matches!(
            (self, to),
            (New, Taken | Escalated | Waiting | Resolved)
                | (Taken, Escalated | Waiting | Resolved)
                | (Escalated, Taken | Waiting | Resolved)
                | (Waiting, Taken | Escalated | Resolved)
                | (Resolved, Closed)
                // Reopening: the fix did not hold.
                | (Resolved | Closed, Taken)
        )
    }

    /// The statuses `self` may go to, in the order of the life cycle.
    pub fn next(self) -> Vec<TicketStatus> {
        Self::ALL
            .into_iter()
            .filter(|t| self.can_become(*t))
            .collect()
    }
}

/// Refused transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a ticket cannot go from {} to {}", .from.as_str(), .to.as_str())]
pub struct BadTransition {
    pub from: TicketStatus,
    pub to: TicketStatus,
}

/// Checks a transition.
pub fn transition(from: TicketStatus, to: TicketStatus) -> Result<TicketStatus, BadTransition> {
    if from.can_become(to) {
        Ok(to)
    } else {
        Err(BadTransition { from, to })
    }
}

/// How soon it must be fixed (urgency) or how many it hinders (impact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    P1,
    P2,
    P3,
    P4,
}

/// Urgency × impact → priority (P1 the most pressing). An equipment flagged
/// unusable is at least P2.
pub fn priority(urgency: Level, impact: Level, unusable: bool) -> Priority {
    use Level::*;
    let p = match (urgency, impact) {
        (High, High) => Priority::P1,
        (High, Medium) | (Medium, High) => Priority::P2,
        (High, Low) | (Medium, Medium) | (Low, High) => Priority::P3,
        (Medium, Low) | (Low, Medium) | (Low, Low) => Priority::P4,
    };
    if unusable { p.min(Priority::P2) } else { p }
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Low, Level::Medium, Level::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::P1, Priority::P2, Priority::P3, Priority::P4];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::P1 => "p1",
            Priority::P2 => "p2",
            Priority::P3 => "p3",
            Priority::P4 => "p4",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// Incident (something broke) or request (something is wanted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketKind {
    Incident,
    Request,
}

impl TicketKind {
    pub const ALL: [TicketKind; 2] = [TicketKind::Incident, TicketKind::Request];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketKind::Incident => "incident",
            TicketKind::Request => "request",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a ticket came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketSource {
    Web,
    /// The anonymous fault form behind an asset's QR label.
    Qr,
    Api,
}

impl TicketSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketSource::Web => "web",
            TicketSource::Qr => "qr",
            TicketSource::Api => "api",
        }
    }
}

/// The receipt code given to whoever reports a fault from a QR label:
/// eight characters (`K7QD-3MXA`) taken from the random part of the
/// ticket's id. Unlike the ticket's number it says nothing about how many
/// tickets the school has; the referent finds the ticket by it (it is in
/// the ticket's search text) and sees it on the ticket's page.
pub fn receipt_code(ticket_id: uuid::Uuid) -> String {
    // Crockford's base 32: no I, L, O, U, read aloud without confusion.
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    // The last 40 bits of a UUIDv7 are random.
    let bits = ticket_id.as_u128() & ((1u128 << 40) - 1);
    let mut out = String::with_capacity(9);
    for i in (0..8).rev() {
        let idx = ((bits >> (i * 5)) & 31) as usize;
        out.push(char::from(ALPHABET[idx]));
        if i == 4 {
            out.push('-');
        }
    }
    out
}

#[cfg(test)]
mod receipt_tests {
    use super::receipt_code;

    #[test]
    fn receipt_codes_are_eight_readable_characters_from_the_id() {
        let id = uuid::Uuid::parse_str("0190c1a2-0000-7000-8000-00000000001f").expect("uuid");
        assert_eq!(receipt_code(id), "0000-000Z");
        let a = receipt_code(uuid::Uuid::now_v7());
        let b = receipt_code(uuid::Uuid::now_v7());
        assert_ne!(a, b);
        for c in [&a, &b] {
            assert_eq!(c.len(), 9);
            assert_eq!(&c[4..5], "-");
            assert!(
                c.chars()
                    .filter(|&ch| ch != '-')
                    .all(|ch| ch.is_ascii_digit() || ch.is_ascii_uppercase())
                    && !c.contains(['I', 'L', 'O', 'U']),
                "{c}"
            );
        }
    }
}

/// What a ticket is about: the asset categories, plus what is not a piece
/// of equipment (network, ENT, accounts, software).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketCategory {
    Desktop,
    Laptop,
    Tablet,
    InteractiveDisplay,
    Projector,
    Visualiser,
    Printer,
    WifiAccessPoint,
    Switch,
    Server,
    MobileCart,
    Network,
    Ent,
    Account,
    Software,
    Other,
}

impl TicketCategory {
    pub const ALL: [TicketCategory; 16] = [
        TicketCategory::Desktop,
        TicketCategory::Laptop,
        TicketCategory::Tablet,
        TicketCategory::InteractiveDisplay,
        TicketCategory::Projector,
        TicketCategory::Visualiser,
        TicketCategory::Printer,
        TicketCategory::WifiAccessPoint,
        TicketCategory::Switch,
        TicketCategory::Server,
        TicketCategory::MobileCart,
        TicketCategory::Network,
        TicketCategory::Ent,
        TicketCategory::Account,
        TicketCategory::Software,
        TicketCategory::Other,
    ];

    /// The stored form; the asset categories keep their own codes.
    pub fn as_str(self) -> &'static str {
        use TicketCategory::*;
        match self {
            Desktop => "desktop",
            Laptop => "laptop",
            Tablet => "tablet",
            InteractiveDisplay => "interactive_display",
            Projector => "projector",
            Visualiser => "visualiser",
            Printer => "printer",
            WifiAccessPoint => "wifi_access_point",
            Switch => "switch",
            Server => "server",
            MobileCart => "mobile_cart",
            Network => "network",
            Ent => "ent",
            Account => "account",
            Software => "software",
            Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The category of a ticket about an asset of that category.
    pub fn of_asset(c: crate::asset::AssetCategory) -> Self {
        Self::parse(c.as_str()).unwrap_or(TicketCategory::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TicketStatus::*;

    #[test]
    fn the_life_cycle_goes_forward_and_reopens() {
        assert!(New.can_become(Taken));
        assert!(Taken.can_become(Escalated));
        assert!(Escalated.can_become(Waiting));
        assert!(Waiting.can_become(Resolved));
        assert!(Resolved.can_become(Closed));
        assert!(Closed.can_become(Taken), "reopen");
        assert!(Resolved.can_become(Taken), "reopen");
        assert!(!Closed.can_become(Resolved));
        assert!(
            !New.can_become(Closed),
            "a ticket is resolved before it is closed"
        );
        assert!(!Taken.can_become(New));
        for s in TicketStatus::ALL {
            assert!(!s.can_become(s), "{s:?} to itself");
            assert_eq!(TicketStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(
            transition(New, Closed),
            Err(BadTransition {
                from: New,
                to: Closed
            })
        );
        assert_eq!(Resolved.next(), vec![Taken, Closed]);
    }

    #[test]
    fn priority_follows_the_matrix_and_unusable_equipment() {
        use Level::*;
        assert_eq!(priority(High, High, false), Priority::P1);
        assert_eq!(priority(Medium, High, false), Priority::P2);
        assert_eq!(priority(Medium, Medium, false), Priority::P3);
        assert_eq!(priority(Low, Low, false), Priority::P4);
        assert_eq!(priority(Low, Low, true), Priority::P2);
        assert_eq!(priority(High, High, true), Priority::P1);
    }
    #[test]
    fn codes_round_trip_and_asset_categories_are_ticket_categories() {
        for c in TicketCategory::ALL {
            assert_eq!(TicketCategory::parse(c.as_str()), Some(c));
        }
        for a in crate::asset::AssetCategory::ALL {
            assert_eq!(TicketCategory::of_asset(*a).as_str(), a.as_str());
        }
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(l));
        }
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()), Some(p));
        }
        assert_eq!(TicketKind::parse("request"), Some(TicketKind::Request));
        assert_eq!(Level::parse("urgent"), None);
    }
}
