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
}
