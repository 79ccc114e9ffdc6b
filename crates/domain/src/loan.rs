//! Loans of equipment: who borrows, in which condition things leave and
//! come back, how a loan ends, who signs its convention. Codes are the
//! stored and URL forms; their labels are in the catalogues.

use crate::asset::AssetStatus;
use chrono::NaiveDate;

use crate::codes::code_enum;

code_enum!(
    /// Who borrows: a pupil of the school's directory or a staff member
    /// with an account on the school.
    BorrowerKind {
        Pupil => "pupil",
        Staff => "staff",
    }
);

code_enum!(
    /// Where a loan stands.
    LoanStatus {
        Out => "out",
        Returned => "returned",
    }
);

code_enum!(
    /// How the loan ends: the equipment comes back, or it becomes the
    /// borrower's (a transfer of ownership, decided by its owner).
    LoanEnd {
        Return => "return",
        Transfer => "transfer",
    }
);

code_enum!(
    /// The condition of the device when it leaves.
    DepartureState {
        Good => "good",
        Worn => "worn",
        Damaged => "damaged",
    }
);

code_enum!(
    /// What comes back of each thing lent.
    ReturnState {
        Good => "good",
        Damaged => "damaged",
        Broken => "broken",
        Missing => "missing",
    }
);

code_enum!(
    /// How a party signed the convention.
    SignatureMethod {
        Paper => "paper",
        Tablet => "tablet",
    }
);

code_enum!(
    /// A party to a loan's convention.
    PartyRole {
        Pupil => "pupil",
        Guardian => "guardian",
        Borrower => "borrower",
        School => "school",
    }
);

impl ReturnState {
    /// The parc status of an asset given back in this state: in service
    /// again, broken, or retired when it did not come back (the parc has no
    /// "lost" status: a lost asset leaves the inventory as retired).
    pub fn asset_status(self) -> AssetStatus {
        match self {
            ReturnState::Good | ReturnState::Damaged => AssetStatus::InService,
            ReturnState::Broken => AssetStatus::Broken,
            ReturnState::Missing => AssetStatus::Retired,
        }
    }
}

/// Statuses from which an asset may be lent.
pub const LENDABLE: [AssetStatus; 2] = [AssetStatus::InService, AssetStatus::InStock];

/// True when an asset in this status may leave on a loan.
pub fn lendable(status: AssetStatus) -> bool {
    LENDABLE.contains(&status)
}

/// Checks a loan's dates: the due date is not before the start, and a loan
/// lasts at most about four school years. The error is a catalogue key.
pub fn check_dates(start: NaiveDate, due: NaiveDate) -> Result<(), &'static str> {
    if due < start {
        return Err("loan-error-due-before-start");
    }
    if (due - start).num_days() > 4 * 366 {
        return Err("loan-error-too-long");
    }
    Ok(())
}

/// True when a loan still out is overdue on `today` (the day after its
/// due date).
pub fn is_overdue(status: LoanStatus, due: NaiveDate, today: NaiveDate) -> bool {
    status == LoanStatus::Out && due < today
}

/// The party key stored with a signature: one per party of a loan
/// (`guardian:<person id>` for each guardian).
pub fn party_key(role: PartyRole, person: Option<uuid::Uuid>) -> String {
    match (role, person) {
        (PartyRole::Guardian, Some(p)) => format!("guardian:{p}"),
        (r, _) => r.as_str().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn codes_round_trip() {
        for k in BorrowerKind::ALL {
            assert_eq!(BorrowerKind::parse(k.as_str()), Some(*k));
        }
        for s in ReturnState::ALL {
            assert_eq!(ReturnState::parse(s.as_str()), Some(*s));
        }
        for p in PartyRole::ALL {
            assert_eq!(PartyRole::parse(p.as_str()), Some(*p));
        }
        assert_eq!(ReturnState::parse("lost"), None);
        assert_eq!(SignatureMethod::parse("fax"), None);
    }

    #[test]
    fn a_return_decides_the_asset_status() {
        assert_eq!(ReturnState::Good.asset_status(), AssetStatus::InService);
        assert_eq!(ReturnState::Damaged.asset_status(), AssetStatus::InService);
        assert_eq!(ReturnState::Broken.asset_status(), AssetStatus::Broken);
        assert_eq!(ReturnState::Missing.asset_status(), AssetStatus::Retired);
    }

    #[test]
    fn only_available_assets_are_lent() {
        assert!(lendable(AssetStatus::InService));
        assert!(lendable(AssetStatus::InStock));
        for s in [
            AssetStatus::Lent,
            AssetStatus::Broken,
            AssetStatus::InRepair,
            AssetStatus::Retired,
        ] {
            assert!(!lendable(s), "{s:?}");
        }
    }

    #[test]
    fn dates_and_overdue() {
        assert_eq!(check_dates(d(2026, 9, 1), d(2027, 7, 4)), Ok(()));
        assert_eq!(check_dates(d(2026, 9, 1), d(2026, 9, 1)), Ok(()));
        assert_eq!(
            check_dates(d(2026, 9, 2), d(2026, 9, 1)),
            Err("loan-error-due-before-start")
        );
        assert_eq!(
            check_dates(d(2026, 9, 1), d(2031, 9, 1)),
            Err("loan-error-too-long")
        );
        let due = d(2026, 11, 27);
        assert!(!is_overdue(LoanStatus::Out, due, due));
        assert!(is_overdue(LoanStatus::Out, due, d(2026, 11, 28)));
        assert!(!is_overdue(LoanStatus::Returned, due, d(2026, 12, 28)));
    }

    #[test]
    fn party_keys() {
        let p = uuid::Uuid::nil();
        assert_eq!(
            party_key(PartyRole::Guardian, Some(p)),
            format!("guardian:{p}")
        );
        assert_eq!(party_key(PartyRole::School, None), "school");
    }
}
