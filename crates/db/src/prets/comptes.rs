//! Loans: the counts of the home and of the indicators.

#[allow(unused_imports)]
use super::*;

// --------------------------------------------------------------- indicators

/// Loan figures of a school.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoanCounts {
    /// Out today.
    pub out: u64,
    /// Out today past their due date.
    pub overdue: u64,
    /// Lent over the period (start date in it).
    pub lent: u64,
    /// Returned over the period.
    pub returned: u64,
    /// Returned over the period with something missing.
    pub lost: u64,
    /// Returned over the period with something broken.
    pub broken: u64,
}

async fn returned_with<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    state: &str,
) -> Result<u64, DbErr> {
    let with_item: Vec<Uuid> = item::Entity::find()
        .select_only()
        .column(item::Column::LoanId)
        .join(
            JoinType::InnerJoin,
            item::Entity::belongs_to(loan::Entity)
                .from(item::Column::LoanId)
                .to(loan::Column::Id)
                .into(),
        )
        .filter(loan::Column::EtablissementId.eq(etab))
        .filter(loan::Column::ReturnedOn.between(from, to))
        .filter(item::Column::ReturnState.eq(state))
        .distinct()
        .into_tuple()
        .all(c)
        .await?;
    loan::Entity::find()
        .filter(loan::Column::EtablissementId.eq(etab))
        .filter(loan::Column::Status.eq("returned"))
        .filter(loan::Column::ReturnedOn.between(from, to))
        .filter(
            Condition::any()
                .add(loan::Column::ReturnState.eq(state))
                .add(loan::Column::Id.is_in(with_item)),
        )
        .count(c)
        .await
}

/// How many loans of a school are out past their return date.
pub async fn count_overdue<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    today: NaiveDate,
) -> Result<u64, DbErr> {
    crate::scalars::count_of(c, overdue_of(etab, today)).await
}

/// The loans of a school out past their return date, to count.
pub fn overdue_of(etab: Uuid, today: NaiveDate) -> SelectStatement {
    Query::select()
        .from(loan::Entity)
        .and_where(Expr::col(loan::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(loan::Column::Status).eq("out"))
        .and_where(Expr::col(loan::Column::DueOn).lt(today))
        .to_owned()
}

/// How many loans a staff member has out in a school.
pub async fn count_out_of_staff<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    account: Uuid,
) -> Result<u64, DbErr> {
    crate::scalars::count_of(c, out_of_staff(etab, account)).await
}

/// The loans a staff member has out in a school, to count.
pub fn out_of_staff(etab: Uuid, account: Uuid) -> SelectStatement {
    Query::select()
        .from(loan::Entity)
        .and_where(Expr::col(loan::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(loan::Column::BorrowerAccountId).eq(account))
        .and_where(Expr::col(loan::Column::Status).eq("out"))
        .to_owned()
}

/// The loan figures of a school: today's, and over `[from, to]`.
pub async fn counts<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<LoanCounts, DbErr> {
    let base = || loan::Entity::find().filter(loan::Column::EtablissementId.eq(etab));
    Ok(LoanCounts {
        out: base()
            .filter(loan::Column::Status.eq("out"))
            .count(c)
            .await?,
        overdue: base()
            .filter(loan::Column::Status.eq("out"))
            .filter(loan::Column::DueOn.lt(today))
            .count(c)
            .await?,
        lent: base()
            .filter(loan::Column::StartOn.between(from, to))
            .count(c)
            .await?,
        returned: base()
            .filter(loan::Column::Status.eq("returned"))
            .filter(loan::Column::ReturnedOn.between(from, to))
            .count(c)
            .await?,
        lost: returned_with(c, etab, from, to, "missing").await?,
        broken: returned_with(c, etab, from, to, "broken").await?,
    })
}
