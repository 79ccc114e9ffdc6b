//! Loans of the parc's equipment to pupils and staff: lists, one loan, the
//! departure (`lend`), the return (`give_back`), the convention and its
//! signatures (`convention`), the loan charter (`charter`), the overdue
//! reminders (`reminders`) and the demo loans (`demo`).
//!
//! Seeing and managing loans asks the policy for `ViewLoans` /
//! `ManageLoans` (the school's referent, head, bursar; nobody beyond the
//! school's staff learns that a loan exists); a staff member sees their
//! own loans (`ViewOwnLoans`). Pupils' names are shown to those who may
//! see pupils (`ViewPupils`) only.

pub mod charter;
pub mod convention;
pub mod demo;
pub mod give_back;
pub mod lend;
pub mod reminders;

use crate::Ctx;
use crate::audit::Who;
use crate::error::{Result, ServiceError};
use chrono::{NaiveDate, Utc};
use refnum_db::Db;
use refnum_db::entities::etablissement;
use refnum_db::entities::loans::{loan, loan_charter, loan_item, loan_party};
use refnum_db::entities::parc::parc_asset;
use refnum_db::prets::{self as q, Borrower, LoanFilter};
use refnum_domain::policy::{self, Decision, EtabAction, EtabFacts, LoanFacts};
use sea_orm::EntityTrait;
use uuid::Uuid;

pub use refnum_db::prets::{LoanCounts, LoanRow, LoanSort, LoanView};

/// Loans shown on an asset's page.
pub const ASSET_LOANS: u64 = 50;

/// What the caller may do on the school's loans.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rights {
    /// See every loan of the school.
    pub view: bool,
    /// Lend, sign, return, version the charter.
    pub manage: bool,
    /// See pupils' names.
    pub pupils: bool,
}

fn rights_on(ctx: &Ctx, facts: &EtabFacts) -> Rights {
    let may = |a| policy::decide(&ctx.actor, a, facts) == Decision::Allow;
    Rights {
        view: may(EtabAction::ViewLoans),
        manage: may(EtabAction::ManageLoans),
        pupils: may(EtabAction::ViewPupils),
    }
}

/// Loads a school for `action` (audited refusal otherwise) and the rights.
pub(crate) async fn open(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    action: EtabAction,
) -> Result<(etablissement::Model, EtabFacts, Rights)> {
    let (etab, facts) = crate::orgs::etab_with_facts(db, ctx, etab_id, action).await?;
    let rights = rights_on(ctx, &facts);
    Ok((etab, facts, rights))
}

/// Who writes: as the audit log names them (e-mail) and as the parc's
/// history does (display name).
#[derive(Debug, Clone)]
pub struct By {
    pub audit: Who,
    pub history: Who,
}

impl By {
    pub fn of(ctx: &Ctx) -> By {
        By {
            audit: Who::of(ctx),
            history: Who {
                account_id: Some(ctx.account.id),
                label: ctx.account.display_name.clone(),
            },
        }
    }
    pub fn system(label: &str) -> By {
        By {
            audit: Who::system(label),
            history: Who::system(label),
        }
    }
}

/// Today in the school's time (the académies of metropolitan France).
pub fn today() -> NaiveDate {
    crate::support::paris::to_local(Utc::now()).date()
}

/// Hides a pupil's name from whoever may not see pupils.
fn masked(mut row: LoanRow, rights: Rights) -> LoanRow {
    if row.borrower_kind == "pupil" && !rights.pupils {
        row.borrower_name = String::new();
        row.borrower_detail = String::new();
        row.borrower_person_id = None;
    }
    row
}

// --------------------------------------------------------------------- list

#[derive(Debug, Clone, Default)]
pub struct ListInput {
    pub view: LoanView,
    /// `pupil`, `staff` or empty.
    pub kind: String,
    /// `pupil:<id>` or `staff:<account id>`, or empty.
    pub borrower: String,
    pub q: String,
    pub sort: LoanSort,
    pub reverse: bool,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
}

pub struct Listing {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub rows: Vec<LoanRow>,
    pub total: u64,
    pub today: NaiveDate,
    /// The borrower whose history this is, when filtered by one.
    pub borrower_name: Option<String>,
}

/// Reads `pupil:<id>` / `staff:<id>`.
pub fn parse_borrower(s: &str) -> Option<Borrower> {
    let (kind, id) = s.trim().split_once(':')?;
    let id = Uuid::parse_str(id).ok()?;
    match kind {
        "pupil" => Some(Borrower::Person(id)),
        "staff" => Some(Borrower::Account(id)),
        _ => None,
    }
}

fn filter_of(input: &ListInput, today: NaiveDate) -> LoanFilter {
    LoanFilter {
        view: input.view,
        kind: match input.kind.as_str() {
            k @ ("pupil" | "staff") => Some(k.to_string()),
            _ => None,
        },
        borrower: parse_borrower(&input.borrower),
        words: crate::kb::words_of(&input.q),
        today,
        sort: input.sort,
        reverse: input.reverse,
        page: input.page.max(1) - 1,
        per_page: input.per_page.clamp(1, 200),
    }
}

/// The school's loans (`ViewLoans`), filtered, sorted and paged on the server.
pub async fn list(db: &Db, ctx: &Ctx, etab_id: Uuid, input: &ListInput) -> Result<Listing> {
    let (etab, _, rights) = open(db, ctx, etab_id, EtabAction::ViewLoans).await?;
    let today = today();
    let f = filter_of(input, today);
    let borrower_name = match f.borrower {
        Some(b) => Some(borrower_name(db, etab.id, b, rights).await?),
        None => None,
    };
    let (rows, total) = q::list(&db.conn, etab.id, &f).await?;
    Ok(Listing {
        etab,
        rights,
        rows: rows.into_iter().map(|r| masked(r, rights)).collect(),
        total,
        today,
        borrower_name,
    })
}

async fn borrower_name(db: &Db, etab: Uuid, b: Borrower, rights: Rights) -> Result<String> {
    match b {
        Borrower::Person(p) => {
            let person = refnum_db::annuaire::get_person(&db.conn, etab, p)
                .await?
                .ok_or(ServiceError::NotFound)?;
            if person.kind == "pupil" && !rights.pupils {
                return Err(ServiceError::Forbidden);
            }
            Ok(format!("{} {}", person.first_name, person.last_name))
        }
        Borrower::Account(a) => {
            let staff = q::staff_accounts(&db.conn, etab).await?;
            match staff.into_iter().find(|(id, _)| *id == a) {
                Some((_, name)) => Ok(name),
                None => {
                    // A former staff member: the name kept on their loans.
                    let f = LoanFilter {
                        borrower: Some(b),
                        view: LoanView::All,
                        per_page: 1,
                        ..Default::default()
                    };
                    let (rows, _) = q::list(&db.conn, etab, &f).await?;
                    rows.into_iter()
                        .next()
                        .map(|r| r.borrower_name)
                        .ok_or(ServiceError::NotFound)
                }
            }
        }
    }
}

/// The caller's own loans on a school (`ViewOwnLoans`).
pub async fn mine(db: &Db, ctx: &Ctx, etab_id: Uuid, input: &ListInput) -> Result<Listing> {
    let (etab, _, rights) = open(db, ctx, etab_id, EtabAction::ViewOwnLoans).await?;
    let today = today();
    let mut f = filter_of(input, today);
    f.kind = None;
    f.borrower = Some(Borrower::Account(ctx.account.id));
    let (rows, total) = q::list(&db.conn, etab.id, &f).await?;
    Ok(Listing {
        etab,
        rights,
        rows,
        total,
        today,
        borrower_name: Some(ctx.account.display_name.clone()),
    })
}

/// The caller's own loans in each of their schools, or in `only`
/// (`ViewOwnLoans`): the schools where they may not see them are left out
/// unless named.
pub async fn mine_everywhere(
    db: &Db,
    ctx: &Ctx,
    only: Option<Uuid>,
    input: &ListInput,
) -> Result<Vec<(Uuid, LoanRow)>> {
    let schools: Vec<Uuid> = match only {
        Some(id) => vec![id],
        None => ctx.schools.iter().map(|s| s.id).collect(),
    };
    let mut out = vec![];
    for id in schools {
        match mine(db, ctx, id, input).await {
            Ok(l) => out.extend(l.rows.into_iter().map(|r| (l.etab.id, r))),
            Err(ServiceError::NotFound | ServiceError::Forbidden) if only.is_none() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// The school of a loan named alone (an API route): 404 when there is
/// none; the use cases then check the caller's scope and rights.
pub async fn school_of(db: &Db, loan_id: Uuid) -> Result<Uuid> {
    q::loan_school(&db.conn, loan_id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The loans of an asset for its page: none for whoever may not see the
/// school's loans.
pub async fn of_asset(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    asset_id: Uuid,
) -> Result<(Rights, Vec<LoanRow>)> {
    let (etab, facts) = crate::orgs::etab_with_facts(db, ctx, etab_id, EtabAction::View).await?;
    let rights = rights_on(ctx, &facts);
    if !rights.view {
        return Ok((rights, vec![]));
    }
    let rows = q::of_asset(&db.conn, etab.id, asset_id, ASSET_LOANS).await?;
    Ok((
        rights,
        rows.into_iter().map(|r| masked(r, rights)).collect(),
    ))
}

// ---------------------------------------------------------------- one loan

/// One loan with everything its page and its convention show.
pub struct LoanPage {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub loan: loan::Model,
    pub asset: parc_asset::Model,
    pub items: Vec<loan_item::Model>,
    pub parties: Vec<loan_party::Model>,
    pub charter: Option<loan_charter::Model>,
    /// The owner of the asset as the convention names it.
    pub owner: String,
    pub today: NaiveDate,
}

impl LoanPage {
    pub fn is_out(&self) -> bool {
        self.loan.status == "out"
    }
    pub fn is_overdue(&self) -> bool {
        self.is_out() && self.loan.due_on < self.today
    }
}

/// One loan: the school's loan managers, or its borrower.
pub async fn show(db: &Db, ctx: &Ctx, etab_id: Uuid, loan_id: Uuid) -> Result<LoanPage> {
    let (etab, facts, rights) = open(db, ctx, etab_id, EtabAction::ViewOwnLoans).await?;
    let c = &db.conn;
    let mut loan = q::get(c, etab.id, loan_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let lf = LoanFacts {
        etab: facts,
        borrower_account_id: loan.borrower_account_id,
    };
    if policy::decide_loan_view(&ctx.actor, &lf) != Decision::Allow {
        crate::audit::record_refusal(db, ctx, &format!("loan:{loan_id}"), None).await;
        return Err(ServiceError::NotFound);
    }
    let asset = refnum_db::parc::get_asset(c, etab.id, loan.asset_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let items = q::items_of(c, loan.id).await?;
    let mut parties = q::parties_of(c, loan.id).await?;
    if loan.borrower_kind == "pupil" && !rights.pupils {
        loan.borrower_name = String::new();
        loan.borrower_detail = String::new();
        for p in &mut parties {
            if p.role != "school" {
                p.name = String::new();
                p.signer_name = None;
            }
        }
    }
    let charter = match loan.charter_id {
        Some(ch) => q::get_charter(c, etab.id, ch).await?,
        None => None,
    };
    let owner = owner_name(db, &etab, &asset).await?;
    Ok(LoanPage {
        etab,
        rights,
        loan,
        asset,
        items,
        parties,
        charter,
        owner,
        today: today(),
    })
}

/// The owner's name: the asset's owner label, else the school's
/// collectivité for an asset it owns, else the school itself.
async fn owner_name(
    db: &Db,
    etab: &etablissement::Model,
    asset: &parc_asset::Model,
) -> Result<String> {
    if let Some(l) = asset
        .owner_label
        .as_deref()
        .filter(|l| !l.trim().is_empty())
    {
        return Ok(l.to_string());
    }
    match asset.owner.as_str() {
        "collectivite" => {
            if let Some(cid) = etab.collectivite_id
                && let Some(coll) = refnum_db::entities::collectivite::Entity::find_by_id(cid)
                    .one(&db.conn)
                    .await?
            {
                return Ok(coll.name);
            }
            Ok(String::new())
        }
        "etablissement" => Ok(etab.name.clone()),
        _ => Ok(String::new()),
    }
}

// --------------------------------------------------------------- indicators

/// The loan figures of a school over `[from, to]` (`ViewLoans`); loan
/// dates are the school's (Paris) days.
pub async fn indicators(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    from: chrono::DateTime<Utc>,
    to: chrono::DateTime<Utc>,
) -> Result<LoanCounts> {
    let (etab, _, _) = open(db, ctx, etab_id, EtabAction::ViewLoans).await?;
    let day = |t| crate::support::paris::to_local(t).date();
    Ok(q::counts(&db.conn, etab.id, today(), day(from), day(to)).await?)
}

/// True when the caller may see the school's loan figures (for the
/// indicators page, which others reach too).
pub async fn may_view(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<bool> {
    let (_, facts) = crate::orgs::etab_with_facts(db, ctx, etab_id, EtabAction::View).await?;
    Ok(rights_on(ctx, &facts).view)
}
