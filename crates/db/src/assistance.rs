//! Assistance queries: tickets and their numbers, history, comments,
//! attachments; equipment unavailability; notifications; the QR throttle;
//! the lists in `listes`.

use crate::entities::assistance::{
    asset_unavailability as unavail, notification, qr_report_throttle as throttle, ticket,
    ticket_attachment as attachment, ticket_comment as comment, ticket_counter as counter,
    ticket_event as event,
};
use crate::entities::support::support_organisation;
use crate::entities::{
    account, etablissement, membership, organisation, organisation_etablissement,
};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

mod listes;
pub use listes::*;

/// The next ticket number of a school. Run it inside the write transaction
/// that inserts the ticket: the counter row is locked by the UPDATE until
/// the commit, so two creations never get the same number (PostgreSQL), and
/// SQLite writes one transaction at a time.
pub async fn next_number<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<i64, DbErr> {
    counter::Entity::insert(counter::ActiveModel {
        etablissement_id: Set(etab),
        last_number: Set(0),
    })
    .on_conflict_do_nothing_on([counter::Column::EtablissementId])
    .exec_without_returning(c)
    .await?;
    counter::Entity::update_many()
        .col_expr(
            counter::Column::LastNumber,
            Expr::col(counter::Column::LastNumber).add(1),
        )
        .filter(counter::Column::EtablissementId.eq(etab))
        .exec(c)
        .await?;
    let row = counter::Entity::find_by_id(etab)
        .one(c)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("ticket counter".into()))?;
    Ok(row.last_number)
}

pub async fn get_ticket<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
) -> Result<Option<ticket::Model>, DbErr> {
    ticket::Entity::find_by_id(id).one(c).await
}

pub async fn events_of<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find()
        .filter(event::Column::TicketId.eq(ticket_id))
        .order_by_asc(event::Column::OccurredAt)
        .order_by_asc(event::Column::Id)
        .all(c)
        .await
}

/// A ticket's comments, oldest first; internal ones only when asked.
pub async fn comments_of<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
    with_internal: bool,
) -> Result<Vec<comment::Model>, DbErr> {
    let mut q = comment::Entity::find().filter(comment::Column::TicketId.eq(ticket_id));
    if !with_internal {
        q = q.filter(comment::Column::Internal.eq(false));
    }
    q.order_by_asc(comment::Column::CreatedAt)
        .order_by_asc(comment::Column::Id)
        .all(c)
        .await
}

pub async fn get_comment<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
) -> Result<Option<comment::Model>, DbErr> {
    comment::Entity::find_by_id(id).one(c).await
}

pub async fn attachments_of<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
) -> Result<Vec<attachment::Model>, DbErr> {
    attachment::Entity::find()
        .filter(attachment::Column::TicketId.eq(ticket_id))
        .order_by_asc(attachment::Column::CreatedAt)
        .order_by_asc(attachment::Column::Id)
        .all(c)
        .await
}

pub async fn get_attachment<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
) -> Result<Option<attachment::Model>, DbErr> {
    attachment::Entity::find_by_id(id).one(c).await
}

/// The open unavailability period a ticket holds on its asset, if any.
pub async fn open_unavailability<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
) -> Result<Option<unavail::Model>, DbErr> {
    unavail::Entity::find()
        .filter(unavail::Column::TicketId.eq(ticket_id))
        .filter(unavail::Column::EndedAt.is_null())
        .one(c)
        .await
}

/// Closes the open unavailability periods of a ticket.
pub async fn close_unavailability<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    unavail::Entity::update_many()
        .col_expr(unavail::Column::EndedAt, Expr::value(at))
        .filter(unavail::Column::TicketId.eq(ticket_id))
        .filter(unavail::Column::EndedAt.is_null())
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn unavailability_of_ticket<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
) -> Result<Vec<unavail::Model>, DbErr> {
    unavail::Entity::find()
        .filter(unavail::Column::TicketId.eq(ticket_id))
        .order_by_asc(unavail::Column::StartedAt)
        .all(c)
        .await
}

/// The accounts holding one of `roles` directly on a school.
pub async fn accounts_with_roles_on<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    roles: &[&str],
) -> Result<Vec<Uuid>, DbErr> {
    let mut ids: Vec<Uuid> = membership::Entity::find()
        .select_only()
        .column(membership::Column::AccountId)
        .filter(membership::Column::ScopeKey.eq(format!("etablissement:{etab}")))
        .filter(membership::Column::Role.is_in(roles.iter().copied()))
        .into_tuple()
        .all(c)
        .await?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The technicians (`prestataire`) of a support organisation.
pub async fn technicians_of<C: ConnectionTrait>(c: &C, org: Uuid) -> Result<Vec<Uuid>, DbErr> {
    let mut ids: Vec<Uuid> = membership::Entity::find()
        .select_only()
        .column(membership::Column::AccountId)
        .filter(membership::Column::ScopeKey.eq(format!("organisation:{org}")))
        .filter(membership::Column::Role.eq("prestataire"))
        .into_tuple()
        .all(c)
        .await?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The people holding a role directly on a school: who a ticket can be
/// assigned to. Id and display name, sorted by name.
pub async fn people_of_school<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<(Uuid, String)>, DbErr> {
    let ids: Vec<Uuid> = membership::Entity::find()
        .select_only()
        .column(membership::Column::AccountId)
        .filter(membership::Column::ScopeKey.eq(format!("etablissement:{etab}")))
        .into_tuple()
        .all(c)
        .await?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    account::Entity::find()
        .select_only()
        .columns([account::Column::Id, account::Column::DisplayName])
        .filter(account::Column::Id.is_in(ids))
        .filter(account::Column::Disabled.eq(false))
        .order_by_asc(account::Column::DisplayName)
        .into_tuple()
        .all(c)
        .await
}

/// The support organisations serving a school, sorted by name.
pub async fn organisations_serving<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<(Uuid, String)>, DbErr> {
    let ids: Vec<Uuid> = organisation_etablissement::Entity::find()
        .select_only()
        .column(organisation_etablissement::Column::OrganisationId)
        .filter(organisation_etablissement::Column::EtablissementId.eq(etab))
        .into_tuple()
        .all(c)
        .await?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    organisation::Entity::find()
        .select_only()
        .columns([organisation::Column::Id, organisation::Column::Name])
        .filter(organisation::Column::Id.is_in(ids))
        .order_by_asc(organisation::Column::Name)
        .into_tuple()
        .all(c)
        .await
}

/// The support organisations a ticket list offers as a filter: those
/// serving any of `schools`, and `own` (the caller's), once each, by name
/// then id (the caller sorts them again: byte order on both databases).
/// One statement, whatever the number of schools.
pub async fn organisations_for_filter<C: ConnectionTrait>(
    c: &C,
    schools: &[Uuid],
    own: &[Uuid],
) -> Result<Vec<(Uuid, String)>, DbErr> {
    if schools.is_empty() && own.is_empty() {
        return Ok(vec![]);
    }
    let mut cond = Condition::any();
    if !schools.is_empty() {
        cond = cond.add(
            organisation::Column::Id.in_subquery(
                Query::select()
                    .column(organisation_etablissement::Column::OrganisationId)
                    .from(organisation_etablissement::Entity)
                    .and_where(
                        Expr::col(organisation_etablissement::Column::EtablissementId)
                            .is_in(schools.iter().copied()),
                    )
                    .to_owned(),
            ),
        );
    }
    if !own.is_empty() {
        cond = cond.add(organisation::Column::Id.is_in(own.iter().copied()));
    }
    organisation::Entity::find()
        .select_only()
        .columns([organisation::Column::Id, organisation::Column::Name])
        .filter(cond)
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(organisation::Column::Id)
        .into_tuple()
        .all(c)
        .await
}

/// Names of accounts.
pub async fn account_names<C: ConnectionTrait>(
    c: &C,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    account::Entity::find()
        .select_only()
        .columns([account::Column::Id, account::Column::DisplayName])
        .filter(account::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(c)
        .await
}

/// Names of organisations.
pub async fn organisation_names<C: ConnectionTrait>(
    c: &C,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    organisation::Entity::find()
        .select_only()
        .columns([organisation::Column::Id, organisation::Column::Name])
        .filter(organisation::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(c)
        .await
}

/// The collectivité a support organisation belongs to, when it is one
/// (kind `collectivite`).
pub async fn collectivite_of_organisation<C: ConnectionTrait>(
    c: &C,
    org: Uuid,
) -> Result<Option<Uuid>, DbErr> {
    Ok(support_organisation::Entity::find_by_id(org)
        .one(c)
        .await?
        .filter(|o| o.kind == "collectivite")
        .and_then(|o| o.collectivite_id))
}

/// The organisations of kind `collectivite` belonging to these
/// collectivités, and the schools these collectivités own.
pub async fn collectivite_reach<C: ConnectionTrait>(
    c: &C,
    collectivites: &[Uuid],
) -> Result<(Vec<Uuid>, Vec<Uuid>), DbErr> {
    if collectivites.is_empty() {
        return Ok((vec![], vec![]));
    }
    let orgs: Vec<Uuid> = support_organisation::Entity::find()
        .select_only()
        .column(support_organisation::Column::Id)
        .filter(support_organisation::Column::Kind.eq("collectivite"))
        .filter(support_organisation::Column::CollectiviteId.is_in(collectivites.to_vec()))
        .into_tuple()
        .all(c)
        .await?;
    let schools: Vec<Uuid> = etablissement::Entity::find()
        .select_only()
        .column(etablissement::Column::Id)
        .filter(etablissement::Column::CollectiviteId.is_in(collectivites.to_vec()))
        .into_tuple()
        .all(c)
        .await?;
    Ok((orgs, schools))
}

// ---------------------------------------------------------- notifications

pub struct NewNotification {
    pub account_id: Uuid,
    pub ticket_id: Option<Uuid>,
    pub etablissement_id: Option<Uuid>,
    pub kind: String,
    pub title: String,
    pub link: String,
}

/// Inserts notifications, in the caller's transaction.
pub async fn notify<C: ConnectionTrait>(
    c: &C,
    items: Vec<NewNotification>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if items.is_empty() {
        return Ok(());
    }
    let rows = items.into_iter().map(|n| notification::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(n.account_id),
        ticket_id: Set(n.ticket_id),
        etablissement_id: Set(n.etablissement_id),
        kind: Set(n.kind),
        title: Set(n.title),
        link: Set(n.link),
        created_at: Set(now),
        read_at: Set(None),
        emailed_at: Set(None),
    });
    notification::Entity::insert_many(rows)
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

pub async fn notifications_of_ticket<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
) -> Result<Vec<notification::Model>, DbErr> {
    notification::Entity::find()
        .filter(notification::Column::TicketId.eq(ticket_id))
        .order_by_asc(notification::Column::CreatedAt)
        .all(c)
        .await
}

// ------------------------------------------------------------ QR throttle

/// Counts one report under a throttle key and tells whether it is still
/// within `max` reports per window. Run in the write transaction.
pub async fn throttle_hit<C: ConnectionTrait>(
    c: &C,
    key: &str,
    max: i32,
    window: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let current = throttle::Entity::find_by_id(key.to_owned()).one(c).await?;
    let hits = match current {
        Some(t) if t.window_started_at + window > now => {
            if t.hits >= max {
                return Ok(false);
            }
            throttle::Entity::update_many()
                .col_expr(
                    throttle::Column::Hits,
                    Expr::col(throttle::Column::Hits).add(1),
                )
                .filter(throttle::Column::Key.eq(key))
                .exec(c)
                .await?;
            t.hits + 1
        }
        Some(_) => {
            throttle::Entity::update_many()
                .col_expr(throttle::Column::Hits, Expr::value(1))
                .col_expr(throttle::Column::WindowStartedAt, Expr::value(now))
                .filter(throttle::Column::Key.eq(key))
                .exec(c)
                .await?;
            1
        }
        None => {
            throttle::Entity::insert(throttle::ActiveModel {
                key: Set(key.to_owned()),
                hits: Set(1),
                window_started_at: Set(now),
            })
            .on_conflict_do_nothing_on([throttle::Column::Key])
            .exec_without_returning(c)
            .await?;
            1
        }
    };
    Ok(hits <= max)
}
