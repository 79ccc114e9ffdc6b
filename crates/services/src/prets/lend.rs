//! The departure of a loan: the asset (and its accessories) to a pupil or
//! a staff member, with the checklist of what leaves and in which state.
//!
//! In one transaction: each asset lent goes from an available status to
//! `lent` by a conditional update (an asset lent, broken or retired
//! meanwhile is refused, even by two requests at once), the loan, its
//! items and the parties to its convention are written, each asset's
//! history gets a `loan_out` row, and the audit log an event.

use super::{By, open};
use crate::Ctx;
use crate::audit::{self, Event};
use crate::error::{FieldError, Result, ServiceError};
use crate::parc::Change;
use crate::parc::assets::history_row;
use chrono::{NaiveDate, Utc};
use refnum_db::entities::annuaire_person;
use refnum_db::entities::loans::{loan, loan_item, loan_party};
use refnum_db::entities::parc::parc_asset;
use refnum_db::prets as q;
use refnum_db::{ConnectionTrait, Db};
use refnum_domain::asset::{AssetStatus, parse_inventory_number};
use refnum_domain::loan::{
    BorrowerKind, DepartureState, LENDABLE, LoanEnd, PartyRole, check_dates, party_key,
};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// Accessory rows of the departure form.
pub const ITEM_ROWS: usize = 6;
pub const REMARKS_MAX: usize = 2000;
pub const LABEL_MAX: usize = 100;
/// Pupils offered in the borrower list.
pub const PUPILS_MAX: u64 = 3000;

/// One row of the departure checklist: an accessory typed as an inventory
/// number of the parc or as a name ("chargeur").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemInput {
    pub what: String,
    pub present: bool,
    pub remarks: String,
}

/// The departure form, every field as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LendInput {
    /// The main asset: its inventory number or id.
    pub asset: String,
    /// `pupil:<person id>` or `staff:<account id>`.
    pub borrower: String,
    /// `yyyy-mm-dd` or `dd/mm/yyyy`.
    pub start_on: String,
    pub due_on: String,
    /// A `LoanEnd` code.
    pub end_kind: String,
    /// A `DepartureState` code.
    pub departure_state: String,
    pub departure_remarks: String,
    pub items: Vec<ItemInput>,
}

/// What the departure form offers.
pub struct LendForm {
    pub etab: refnum_db::entities::etablissement::Model,
    pub pupils: Vec<annuaire_person::Model>,
    pub staff: Vec<(Uuid, String)>,
    pub charter: Option<refnum_db::entities::loans::loan_charter::Model>,
    pub today: NaiveDate,
}

/// The choices of the departure form (`ManageLoans`).
pub async fn form(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<LendForm> {
    let (etab, _, _) = open(db, ctx, etab_id, EtabAction::ManageLoans).await?;
    let c = &db.conn;
    Ok(LendForm {
        pupils: q::pupils(c, etab.id, PUPILS_MAX).await?,
        staff: q::staff_accounts(c, etab.id).await?,
        charter: q::latest_charter(c, etab.id).await?,
        etab,
        today: super::today(),
    })
}

/// Equipment offered while the inventory number is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetSuggestion {
    pub inventory_number: String,
    pub manufacturer: String,
    pub model: String,
    pub status: String,
}

/// Suggestions shown at most.
pub const SUGGESTIONS_MAX: u64 = 12;

/// The school's equipment whose inventory or serial number starts with what
/// was typed (`ManageLoans`, as the form itself); nothing for an empty or
/// over-long text.
pub async fn suggest_assets(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    typed: &str,
) -> Result<Vec<AssetSuggestion>> {
    let (etab, _, _) = open(db, ctx, etab_id, EtabAction::ManageLoans).await?;
    let typed = typed.trim();
    if typed.is_empty() || typed.chars().count() > LABEL_MAX || typed.chars().any(char::is_control)
    {
        return Ok(vec![]);
    }
    let rows =
        refnum_db::recherche::assets_by_prefix(&db.conn, etab.id, typed, SUGGESTIONS_MAX).await?;
    Ok(rows
        .into_iter()
        .map(
            |(inventory_number, manufacturer, model, status)| AssetSuggestion {
                inventory_number,
                manufacturer,
                model,
                status,
            },
        )
        .collect())
}

/// The borrower, found in the school.
enum Who2 {
    Pupil(Box<annuaire_person::Model>),
    Staff(Uuid, String),
}

struct ValidItem {
    asset: Option<parc_asset::Model>,
    label: String,
    present: bool,
    remarks: String,
}

struct Valid {
    asset: parc_asset::Model,
    borrower: Who2,
    start_on: NaiveDate,
    due_on: NaiveDate,
    end_kind: LoanEnd,
    state: DepartureState,
    remarks: String,
    items: Vec<ValidItem>,
}

fn push(errors: &mut Vec<FieldError>, field: &'static str, key: &'static str) {
    errors.push(FieldError { field, key });
}

/// The field name of an accessory row (`item-0`…), for its errors.
pub fn item_field(i: usize) -> &'static str {
    const NAMES: [&str; ITEM_ROWS] = ["item-0", "item-1", "item-2", "item-3", "item-4", "item-5"];
    NAMES.get(i).copied().unwrap_or("items")
}

/// Text of at most `max` characters, without control characters (new
/// lines allowed when `multiline`).
pub(crate) fn clean(
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
        push(errors, field, "loan-error-text");
    }
    s.to_string()
}

/// A required date.
pub(crate) fn date(
    input: &str,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match crate::parc::parse_date(input) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            push(errors, field, "loan-error-required");
            None
        }
        Err(_) => {
            push(errors, field, "loan-error-date");
            None
        }
    }
}

async fn find_asset<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    s: &str,
) -> Result<Option<parc_asset::Model>> {
    if let Ok(id) = Uuid::parse_str(s.trim()) {
        return Ok(refnum_db::parc::get_asset(c, etab, id).await?);
    }
    match parse_inventory_number(s) {
        Ok(n) => Ok(refnum_db::parc::asset_by_inventory_number(c, etab, &n).await?),
        Err(_) => Ok(None),
    }
}

fn is_lendable(a: &parc_asset::Model) -> bool {
    AssetStatus::parse(&a.status).is_some_and(refnum_domain::loan::lendable)
}

async fn validate<C: ConnectionTrait>(c: &C, etab: Uuid, input: &LendInput) -> Result<Valid> {
    let mut errors = vec![];
    let asset = match input.asset.trim() {
        "" => {
            push(&mut errors, "asset", "loan-error-required");
            None
        }
        s => match find_asset(c, etab, s).await? {
            None => {
                push(&mut errors, "asset", "loan-error-asset-unknown");
                None
            }
            Some(a) if !is_lendable(&a) => {
                push(&mut errors, "asset", "loan-error-asset-unavailable");
                None
            }
            Some(a) => Some(a),
        },
    };
    let borrower = match input.borrower.trim().split_once(':') {
        Some((kind, id)) => {
            let id = Uuid::parse_str(id).ok();
            match (BorrowerKind::parse(kind), id) {
                (Some(BorrowerKind::Pupil), Some(id)) => {
                    match refnum_db::annuaire::get_person(c, etab, id).await? {
                        Some(p) if p.kind == "pupil" && p.status == "active" => {
                            Some(Who2::Pupil(Box::new(p)))
                        }
                        _ => None,
                    }
                }
                (Some(BorrowerKind::Staff), Some(id)) => q::staff_accounts(c, etab)
                    .await?
                    .into_iter()
                    .find(|(a, _)| *a == id)
                    .map(|(a, n)| Who2::Staff(a, n)),
                _ => None,
            }
        }
        None => None,
    };
    if borrower.is_none() {
        push(&mut errors, "borrower", "loan-error-borrower");
    }
    let start_on = date(&input.start_on, "start_on", &mut errors);
    let due_on = date(&input.due_on, "due_on", &mut errors);
    if let (Some(s), Some(d)) = (start_on, due_on)
        && let Err(k) = check_dates(s, d)
    {
        push(&mut errors, "due_on", k);
    }
    let end_kind = LoanEnd::parse(input.end_kind.trim()).unwrap_or_else(|| {
        push(&mut errors, "end_kind", "loan-error-choice");
        LoanEnd::Return
    });
    let state = DepartureState::parse(input.departure_state.trim()).unwrap_or_else(|| {
        push(&mut errors, "departure_state", "loan-error-choice");
        DepartureState::Good
    });
    let remarks = clean(
        &input.departure_remarks,
        REMARKS_MAX,
        true,
        "departure_remarks",
        &mut errors,
    );
    if input.items.len() > ITEM_ROWS {
        push(&mut errors, "items", "loan-error-items-too-many");
    }
    let mut items: Vec<ValidItem> = vec![];
    for (i, it) in input.items.iter().enumerate().take(ITEM_ROWS) {
        let field = item_field(i);
        let what = clean(&it.what, LABEL_MAX, false, field, &mut errors);
        let remarks = clean(&it.remarks, 500, false, field, &mut errors);
        if what.is_empty() {
            if !remarks.is_empty() {
                push(&mut errors, field, "loan-error-item-unnamed");
            }
            continue;
        }
        // An inventory number of the school is that accessory; anything else
        // is the name of a thing outside the parc.
        let found = match parse_inventory_number(&what) {
            Ok(n) => refnum_db::parc::asset_by_inventory_number(c, etab, &n).await?,
            Err(_) => None,
        };
        if let Some(a) = &found {
            if asset.as_ref().is_some_and(|m| m.id == a.id)
                || items
                    .iter()
                    .any(|o| o.asset.as_ref().is_some_and(|x| x.id == a.id))
            {
                push(&mut errors, field, "loan-error-item-twice");
                continue;
            }
            if it.present && !is_lendable(a) {
                push(&mut errors, field, "loan-error-item-unavailable");
                continue;
            }
        }
        items.push(ValidItem {
            label: found
                .as_ref()
                .map(|a| a.inventory_number.clone())
                .unwrap_or(what),
            asset: found,
            present: it.present,
            remarks,
        });
    }
    match (asset, borrower, start_on, due_on) {
        (Some(asset), Some(borrower), Some(start_on), Some(due_on)) if errors.is_empty() => {
            Ok(Valid {
                asset,
                borrower,
                start_on,
                due_on,
                end_kind,
                state,
                remarks,
                items,
            })
        }
        _ => Err(ServiceError::Invalid(errors)),
    }
}

fn party(
    loan_id: Uuid,
    role: PartyRole,
    person: Option<Uuid>,
    name: String,
    pos: i32,
) -> loan_party::Model {
    loan_party::Model {
        id: Uuid::now_v7(),
        loan_id,
        party_key: party_key(role, person),
        role: role.as_str().to_string(),
        person_id: person,
        name: name.chars().take(200).collect(),
        position: pos,
        signed_at: None,
        signer_name: None,
        method: None,
        charter_id: None,
        recorded_by: None,
    }
}

/// The legal guardians of a pupil from the directory (every guardian when
/// none is marked legal), by name.
async fn guardians_of<C: ConnectionTrait>(
    c: &C,
    pupil: Uuid,
) -> Result<Vec<annuaire_person::Model>> {
    let links = refnum_db::annuaire::guardianships_of(c, pupil, true).await?;
    let any_legal = links.iter().any(|(l, _)| l.legal);
    let mut out: Vec<annuaire_person::Model> = links
        .into_iter()
        .filter(|(l, _)| l.legal || !any_legal)
        .map(|(_, p)| p)
        .collect();
    out.sort_by(|a, b| (&a.last_name, &a.first_name).cmp(&(&b.last_name, &b.first_name)));
    Ok(out)
}

fn full_name(p: &annuaire_person::Model) -> String {
    format!("{} {}", p.first_name, p.last_name)
        .trim()
        .to_string()
}

/// Lends (`ManageLoans`); returns the new loan.
pub async fn lend(db: &Db, ctx: &Ctx, etab_id: Uuid, input: &LendInput) -> Result<loan::Model> {
    let (etab, _, _) = open(db, ctx, etab_id, EtabAction::ManageLoans).await?;
    lend_as(db, &By::of(ctx), &etab, input).await
}

/// Lends for `by`, the policy asked already (or a system task).
pub(crate) async fn lend_as(
    db: &Db,
    by: &By,
    etab: &refnum_db::entities::etablissement::Model,
    input: &LendInput,
) -> Result<loan::Model> {
    let txn = db.write().await?;
    let v = validate(&*txn, etab.id, input).await?;
    let now = Utc::now();
    let id = Uuid::now_v7();
    let lendable: Vec<&str> = LENDABLE.iter().map(|s| s.as_str()).collect();
    let lent = AssetStatus::Lent.as_str();

    // The assets first: whoever lends them first wins.
    if !q::move_asset_status(&*txn, etab.id, v.asset.id, &lendable, lent, None, now).await? {
        return Err(ServiceError::field("asset", "loan-error-asset-unavailable"));
    }
    for (i, it) in v.items.iter().enumerate() {
        if let (Some(a), true) = (&it.asset, it.present)
            && !q::move_asset_status(&*txn, etab.id, a.id, &lendable, lent, None, now).await?
        {
            return Err(ServiceError::field(
                item_field(i),
                "loan-error-item-unavailable",
            ));
        }
    }

    let charter = q::latest_charter(&*txn, etab.id).await?;
    let (kind, person, account, name, detail) = match &v.borrower {
        Who2::Pupil(p) => (
            BorrowerKind::Pupil,
            Some(p.id),
            None,
            full_name(p),
            p.class_code.clone().unwrap_or_default(),
        ),
        Who2::Staff(a, n) => (
            BorrowerKind::Staff,
            None,
            Some(*a),
            n.clone(),
            String::new(),
        ),
    };
    let mut parties = vec![];
    match &v.borrower {
        Who2::Pupil(p) => {
            parties.push(party(id, PartyRole::Pupil, Some(p.id), full_name(p), 0));
            for (i, g) in guardians_of(&*txn, p.id).await?.iter().enumerate() {
                parties.push(party(
                    id,
                    PartyRole::Guardian,
                    Some(g.id),
                    full_name(g),
                    i as i32 + 1,
                ));
            }
        }
        Who2::Staff(_, n) => parties.push(party(id, PartyRole::Borrower, None, n.clone(), 0)),
    }
    parties.push(party(id, PartyRole::School, None, etab.name.clone(), 99));
    let row = loan::Model {
        id,
        etablissement_id: etab.id,
        asset_id: v.asset.id,
        borrower_kind: kind.as_str().to_string(),
        borrower_person_id: person,
        borrower_account_id: account,
        search_text: refnum_domain::search::text_of(&[&name, &detail, &v.asset.inventory_number]),
        borrower_name: name.chars().take(200).collect(),
        borrower_detail: detail.chars().take(100).collect(),
        start_on: v.start_on,
        due_on: v.due_on,
        end_kind: v.end_kind.as_str().to_string(),
        status: "out".to_string(),
        departure_state: v.state.as_str().to_string(),
        departure_remarks: v.remarks,
        charter_id: charter.as_ref().map(|c| c.id),
        returned_on: None,
        return_state: None,
        return_remarks: String::new(),
        reminded_at: None,
        created_by: by.audit.account_id,
        returned_by: None,
        created_at: now,
        updated_at: now,
    };
    let items: Vec<loan_item::Model> = v
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| loan_item::Model {
            id: Uuid::now_v7(),
            loan_id: id,
            position: i as i32,
            asset_id: it.asset.as_ref().map(|a| a.id),
            label: it.label.clone(),
            present_at_departure: it.present,
            departure_remarks: it.remarks.clone(),
            return_state: None,
            return_remarks: String::new(),
        })
        .collect();
    q::insert(&*txn, row.clone(), items, parties).await?;

    // The history of each asset lent: its status, nobody's name (the
    // collectivité reads the parc's history).
    let who = by.history.clone();
    let mut events = vec![];
    let mut lent_assets = vec![&v.asset];
    lent_assets.extend(
        v.items
            .iter()
            .filter(|i| i.present)
            .filter_map(|i| i.asset.as_ref()),
    );
    for a in lent_assets {
        let mut after = a.clone();
        after.status = lent.to_string();
        events.push(history_row(
            &after,
            &who,
            "loan_out",
            &[Change {
                field: "status".into(),
                from: a.status.clone(),
                to: lent.into(),
            }],
            None,
            now,
        ));
    }
    refnum_db::parc::insert_asset_events(&*txn, events).await?;
    audit::record(
        &*txn,
        Event {
            who: &by.audit,
            action: "loan.created",
            target: format!("loan:{id}"),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({
                "asset": v.asset.inventory_number,
                "borrower_kind": kind.as_str(),
                "items": row_items_count(&v.items),
                "due_on": v.due_on.to_string(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

fn row_items_count(items: &[ValidItem]) -> usize {
    items.iter().filter(|i| i.present).count()
}
