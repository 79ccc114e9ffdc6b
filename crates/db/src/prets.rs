//! Loans, their items and parties, the loan charter: every query takes the
//! school. The writes that decide (lending an asset, returning a loan,
//! signing, claiming a reminder) are conditional updates, so that two
//! requests or two app servers never both win.

use crate::entities::loans::{
    loan, loan_charter as charter, loan_item as item, loan_party as party,
};
use crate::entities::parc::parc_asset as asset;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};
use uuid::Uuid;

mod comptes;
pub use comptes::*;

// -------------------------------------------------------------------- lists

/// Which loans a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LoanView {
    /// Still out (overdue ones included).
    #[default]
    Out,
    /// Out and past their due date.
    Overdue,
    Returned,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LoanSort {
    /// By due date, the soonest first (the default).
    #[default]
    Due,
    Start,
    Borrower,
    Asset,
}

/// Whose loans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Borrower {
    Person(Uuid),
    Account(Uuid),
}

#[derive(Debug, Clone, Default)]
pub struct LoanFilter {
    pub view: LoanView,
    /// `pupil` or `staff`.
    pub kind: Option<String>,
    pub borrower: Option<Borrower>,
    /// Folded words, without LIKE wildcards: each must appear.
    pub words: Vec<String>,
    /// Today, for the overdue view.
    pub today: NaiveDate,
    pub sort: LoanSort,
    pub reverse: bool,
    /// From 0.
    pub page: u64,
    pub per_page: u64,
}

/// A loan as lists show it.
#[derive(Debug, Clone, FromQueryResult)]
pub struct LoanRow {
    pub id: Uuid,
    pub asset_id: Uuid,
    pub inventory_number: String,
    pub borrower_kind: String,
    pub borrower_name: String,
    pub borrower_detail: String,
    pub borrower_person_id: Option<Uuid>,
    pub borrower_account_id: Option<Uuid>,
    pub start_on: NaiveDate,
    pub due_on: NaiveDate,
    pub status: String,
    pub returned_on: Option<NaiveDate>,
    pub return_state: Option<String>,
}

fn row_query() -> sea_orm::Select<loan::Entity> {
    loan::Entity::find()
        .select_only()
        .columns([
            loan::Column::Id,
            loan::Column::AssetId,
            loan::Column::BorrowerKind,
            loan::Column::BorrowerName,
            loan::Column::BorrowerDetail,
            loan::Column::BorrowerPersonId,
            loan::Column::BorrowerAccountId,
            loan::Column::StartOn,
            loan::Column::DueOn,
            loan::Column::Status,
            loan::Column::ReturnedOn,
            loan::Column::ReturnState,
        ])
        .column_as(asset::Column::InventoryNumber, "inventory_number")
        .join(JoinType::InnerJoin, loan::Relation::Asset.def())
}

/// One page of a school's loans, filtered and sorted, with the total.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    f: &LoanFilter,
) -> Result<(Vec<LoanRow>, u64), DbErr> {
    let mut cond = Condition::all().add(loan::Column::EtablissementId.eq(etab));
    cond = match f.view {
        LoanView::Out => cond.add(loan::Column::Status.eq("out")),
        LoanView::Overdue => cond
            .add(loan::Column::Status.eq("out"))
            .add(loan::Column::DueOn.lt(f.today)),
        LoanView::Returned => cond.add(loan::Column::Status.eq("returned")),
        LoanView::All => cond,
    };
    if let Some(k) = &f.kind {
        cond = cond.add(loan::Column::BorrowerKind.eq(k.as_str()));
    }
    match f.borrower {
        Some(Borrower::Person(p)) => cond = cond.add(loan::Column::BorrowerPersonId.eq(p)),
        Some(Borrower::Account(a)) => cond = cond.add(loan::Column::BorrowerAccountId.eq(a)),
        None => {}
    }
    for w in &f.words {
        cond = cond.add(loan::Column::SearchText.like(format!("%{w}%")));
    }
    let total = loan::Entity::find().filter(cond.clone()).count(c).await?;
    let q = row_query().filter(cond);
    let asc = !f.reverse;
    let order = |asc: bool| {
        if asc {
            sea_orm::Order::Asc
        } else {
            sea_orm::Order::Desc
        }
    };
    let q = match f.sort {
        LoanSort::Due => q.order_by(loan::Column::DueOn, order(asc)),
        LoanSort::Start => q.order_by(loan::Column::StartOn, order(!asc)),
        LoanSort::Borrower => q.order_by(loan::Column::BorrowerName, order(asc)),
        LoanSort::Asset => q.order_by(asset::Column::InventoryNumber, order(asc)),
    };
    let rows = q
        .order_by_asc(loan::Column::Id)
        .offset(f.page.saturating_mul(f.per_page))
        .limit(f.per_page)
        .into_model::<LoanRow>()
        .all(c)
        .await?;
    Ok((rows, total))
}

/// The loans of an asset, as the main asset or as an accessory, the latest
/// first.
pub async fn of_asset<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    asset_id: Uuid,
    limit: u64,
) -> Result<Vec<LoanRow>, DbErr> {
    let as_item: Vec<Uuid> = item::Entity::find()
        .select_only()
        .column(item::Column::LoanId)
        .filter(item::Column::AssetId.eq(asset_id))
        .into_tuple()
        .all(c)
        .await?;
    row_query()
        .filter(loan::Column::EtablissementId.eq(etab))
        .filter(
            Condition::any()
                .add(loan::Column::AssetId.eq(asset_id))
                .add(loan::Column::Id.is_in(as_item)),
        )
        .order_by_desc(loan::Column::StartOn)
        .order_by_desc(loan::Column::Id)
        .limit(limit)
        .into_model::<LoanRow>()
        .all(c)
        .await
}

// -------------------------------------------------------------------- loans

pub async fn get<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<loan::Model>, DbErr> {
    loan::Entity::find_by_id(id)
        .filter(loan::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

/// The school of a loan, whoever asks (the API's routes name a loan alone;
/// the use case then asks the policy).
pub async fn loan_school<C: ConnectionTrait>(c: &C, id: Uuid) -> Result<Option<Uuid>, DbErr> {
    loan::Entity::find_by_id(id)
        .select_only()
        .column(loan::Column::EtablissementId)
        .into_tuple::<Uuid>()
        .one(c)
        .await
}

pub async fn items_of<C: ConnectionTrait>(c: &C, loan_id: Uuid) -> Result<Vec<item::Model>, DbErr> {
    item::Entity::find()
        .filter(item::Column::LoanId.eq(loan_id))
        .order_by_asc(item::Column::Position)
        .all(c)
        .await
}

pub async fn parties_of<C: ConnectionTrait>(
    c: &C,
    loan_id: Uuid,
) -> Result<Vec<party::Model>, DbErr> {
    party::Entity::find()
        .filter(party::Column::LoanId.eq(loan_id))
        .order_by_asc(party::Column::Position)
        .all(c)
        .await
}

/// Inserts a loan with its items and parties (in the caller's transaction).
pub async fn insert<C: ConnectionTrait>(
    c: &C,
    row: loan::Model,
    items: Vec<item::Model>,
    parties: Vec<party::Model>,
) -> Result<(), DbErr> {
    loan::Entity::insert(loan::ActiveModel::from(row))
        .exec_without_returning(c)
        .await?;
    if !items.is_empty() {
        item::Entity::insert_many(items.into_iter().map(item::ActiveModel::from))
            .exec_without_returning(c)
            .await?;
    }
    if !parties.is_empty() {
        party::Entity::insert_many(parties.into_iter().map(party::ActiveModel::from))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

/// Sets an asset's status from one of `from` to `to`; false when the asset
/// was not in one of them (lent meanwhile, broken…).
pub async fn move_asset_status<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    asset_id: Uuid,
    from: &[&str],
    to: &str,
    retired_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = asset::Entity::update_many()
        .col_expr(asset::Column::Status, Expr::value(to))
        .col_expr(asset::Column::RetiredAt, Expr::value(retired_at))
        .col_expr(asset::Column::UpdatedAt, Expr::value(now))
        .filter(asset::Column::Id.eq(asset_id))
        .filter(asset::Column::EtablissementId.eq(etab))
        .filter(asset::Column::Status.is_in(from.iter().copied()))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// What a return writes on the loan.
#[derive(Debug, Clone)]
pub struct ReturnRecord {
    pub returned_on: NaiveDate,
    pub return_state: String,
    pub return_remarks: String,
    pub returned_by: Option<Uuid>,
}

/// Closes a loan still out; false when it was returned meanwhile.
pub async fn close<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    r: &ReturnRecord,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let res = loan::Entity::update_many()
        .col_expr(loan::Column::Status, Expr::value("returned"))
        .col_expr(loan::Column::ReturnedOn, Expr::value(r.returned_on))
        .col_expr(
            loan::Column::ReturnState,
            Expr::value(r.return_state.clone()),
        )
        .col_expr(
            loan::Column::ReturnRemarks,
            Expr::value(r.return_remarks.clone()),
        )
        .col_expr(loan::Column::ReturnedBy, Expr::value(r.returned_by))
        .col_expr(loan::Column::UpdatedAt, Expr::value(now))
        .filter(loan::Column::Id.eq(id))
        .filter(loan::Column::EtablissementId.eq(etab))
        .filter(loan::Column::Status.eq("out"))
        .exec(c)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Records an item's return.
pub async fn set_item_return<C: ConnectionTrait>(
    c: &C,
    item_id: Uuid,
    state: &str,
    remarks: &str,
) -> Result<(), DbErr> {
    item::Entity::update_many()
        .col_expr(item::Column::ReturnState, Expr::value(state))
        .col_expr(item::Column::ReturnRemarks, Expr::value(remarks))
        .filter(item::Column::Id.eq(item_id))
        .exec(c)
        .await
        .map(|_| ())
}

/// A signature as recorded.
#[derive(Debug, Clone)]
pub struct Signature {
    pub signed_at: DateTime<Utc>,
    pub signer_name: String,
    pub method: String,
    pub charter_id: Option<Uuid>,
    pub recorded_by: Option<Uuid>,
}

/// Signs for a party not signed yet; false when it had signed already.
pub async fn sign<C: ConnectionTrait>(
    c: &C,
    loan_id: Uuid,
    party_id: Uuid,
    s: &Signature,
) -> Result<bool, DbErr> {
    let r = party::Entity::update_many()
        .col_expr(party::Column::SignedAt, Expr::value(s.signed_at))
        .col_expr(
            party::Column::SignerName,
            Expr::value(s.signer_name.clone()),
        )
        .col_expr(party::Column::Method, Expr::value(s.method.clone()))
        .col_expr(party::Column::CharterId, Expr::value(s.charter_id))
        .col_expr(party::Column::RecordedBy, Expr::value(s.recorded_by))
        .filter(party::Column::Id.eq(party_id))
        .filter(party::Column::LoanId.eq(loan_id))
        .filter(party::Column::SignedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// ---------------------------------------------------------------- reminders

/// Loans of every school still out past their due date whose reminder was
/// not sent, the oldest due first.
pub async fn overdue_unreminded<C: ConnectionTrait>(
    c: &C,
    today: NaiveDate,
    limit: u64,
) -> Result<Vec<loan::Model>, DbErr> {
    loan::Entity::find()
        .filter(loan::Column::Status.eq("out"))
        .filter(loan::Column::DueOn.lt(today))
        .filter(loan::Column::RemindedAt.is_null())
        .order_by_asc(loan::Column::DueOn)
        .order_by_asc(loan::Column::Id)
        .limit(limit)
        .all(c)
        .await
}

/// Claims a loan's reminder; false when another run had it.
pub async fn claim_reminder<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = loan::Entity::update_many()
        .col_expr(loan::Column::RemindedAt, Expr::value(now))
        .filter(loan::Column::Id.eq(id))
        .filter(loan::Column::Status.eq("out"))
        .filter(loan::Column::DueOn.lt(today))
        .filter(loan::Column::RemindedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// ------------------------------------------------------------------ charter

/// A school's charter versions, the latest first.
pub async fn charters<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<Vec<charter::Model>, DbErr> {
    charter::Entity::find()
        .filter(charter::Column::EtablissementId.eq(etab))
        .order_by_desc(charter::Column::Version)
        .all(c)
        .await
}

pub async fn latest_charter<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Option<charter::Model>, DbErr> {
    charter::Entity::find()
        .filter(charter::Column::EtablissementId.eq(etab))
        .order_by_desc(charter::Column::Version)
        .one(c)
        .await
}

pub async fn get_charter<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<charter::Model>, DbErr> {
    charter::Entity::find_by_id(id)
        .filter(charter::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

/// Adds a charter version (the unique index refuses a taken number).
pub async fn insert_charter<C: ConnectionTrait>(c: &C, row: charter::Model) -> Result<(), DbErr> {
    charter::Entity::insert(charter::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

/// The staff accounts of a school (a school-level membership), with their
/// names, for the borrower list.
pub async fn staff_accounts<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<(Uuid, String)>, DbErr> {
    use crate::entities::{account, membership};
    let ids: Vec<Uuid> = membership::Entity::find()
        .select_only()
        .column(membership::Column::AccountId)
        .filter(membership::Column::ScopeKey.eq(format!("etablissement:{etab}")))
        .into_tuple()
        .all(c)
        .await?;
    let rows: Vec<(Uuid, String)> = account::Entity::find()
        .select_only()
        .columns([account::Column::Id, account::Column::DisplayName])
        .filter(account::Column::Id.is_in(ids))
        .filter(account::Column::Disabled.eq(false))
        .order_by_asc(account::Column::DisplayName)
        .into_tuple()
        .all(c)
        .await?;
    Ok(rows)
}

/// The active pupils of a school, by name, for the borrower list.
pub async fn pupils<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    limit: u64,
) -> Result<Vec<crate::entities::annuaire_person::Model>, DbErr> {
    use crate::entities::annuaire_person as person;
    person::Entity::find()
        .filter(person::Column::EtablissementId.eq(etab))
        .filter(person::Column::Kind.eq("pupil"))
        .filter(person::Column::Status.eq("active"))
        .order_by_asc(person::Column::LastName)
        .order_by_asc(person::Column::FirstName)
        .limit(limit)
        .all(c)
        .await
}
