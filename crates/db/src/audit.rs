//! The append-only, hash-chained audit log.

use crate::entities::{audit_event, audit_head};
use chrono::{DateTime, SubsecRound, Utc};
use refnum_domain::audit::{ChainedFields, event_hash};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// An event to append.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub actor_account_id: Option<Uuid>,
    pub actor_label: String,
    pub action: String,
    pub target: String,
    pub etablissement_id: Option<Uuid>,
    pub outcome: String,
    pub details: String,
}

/// The canonical text of a timestamp in the chain (microseconds, UTC).
pub fn canonical_time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub fn fields_of(m: &audit_event::Model) -> (String, String, String) {
    (
        canonical_time(&m.occurred_at),
        m.actor_account_id
            .map(|u| u.to_string())
            .unwrap_or_default(),
        m.etablissement_id
            .map(|u| u.to_string())
            .unwrap_or_default(),
    )
}

pub fn hash_of(m: &audit_event::Model) -> String {
    let (at, actor, etab) = fields_of(m);
    event_hash(
        &m.prev_hash,
        &ChainedFields {
            seq: m.seq,
            occurred_at: &at,
            actor: &actor,
            actor_label: &m.actor_label,
            action: &m.action,
            target: &m.target,
            etablissement: &etab,
            outcome: &m.outcome,
            details: &m.details,
        },
    )
}

/// Appends one event. Must run inside a write transaction: the update of the
/// head row serialises appenders on both backends.
pub async fn append<C: ConnectionTrait>(c: &C, ev: NewEvent) -> Result<i64, DbErr> {
    audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::Seq,
            Expr::col(audit_head::Column::Seq).add(1),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec(c)
        .await?;
    let head = audit_head::Entity::find_by_id(1)
        .one(c)
        .await?
        .ok_or_else(|| DbErr::Custom("audit head row missing".into()))?;
    let mut m = audit_event::Model {
        seq: head.seq,
        occurred_at: Utc::now().trunc_subsecs(6),
        actor_account_id: ev.actor_account_id,
        actor_label: ev.actor_label,
        action: ev.action,
        target: ev.target,
        etablissement_id: ev.etablissement_id,
        outcome: ev.outcome,
        details: ev.details,
        prev_hash: head.hash,
        hash: String::new(),
    };
    m.hash = hash_of(&m);
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(m.hash.clone()))
        .filter(audit_head::Column::Id.eq(1))
        .exec(c)
        .await?;
    let seq = m.seq;
    let am = audit_event::ActiveModel {
        seq: Set(m.seq),
        occurred_at: Set(m.occurred_at),
        actor_account_id: Set(m.actor_account_id),
        actor_label: Set(m.actor_label),
        action: Set(m.action),
        target: Set(m.target),
        etablissement_id: Set(m.etablissement_id),
        outcome: Set(m.outcome),
        details: Set(m.details),
        prev_hash: Set(m.prev_hash),
        hash: Set(m.hash),
    };
    audit_event::Entity::insert(am)
        .exec_without_returning(c)
        .await?;
    Ok(seq)
}

/// Events after `after_seq`, in order, a batch at a time (verification, exports).
pub async fn batch_after<C: ConnectionTrait>(
    c: &C,
    after_seq: i64,
    limit: u64,
) -> Result<Vec<audit_event::Model>, DbErr> {
    batch_after_in(c, None, after_seq, limit).await
}

/// The same, limited to one school's events when `etablissement_id` is given.
pub async fn batch_after_in<C: ConnectionTrait>(
    c: &C,
    etablissement_id: Option<Uuid>,
    after_seq: i64,
    limit: u64,
) -> Result<Vec<audit_event::Model>, DbErr> {
    let mut q = audit_event::Entity::find();
    if let Some(id) = etablissement_id {
        q = q.filter(audit_event::Column::EtablissementId.eq(id));
    }
    q.filter(audit_event::Column::Seq.gt(after_seq))
        .order_by_asc(audit_event::Column::Seq)
        .limit(limit)
        .all(c)
        .await
}

pub async fn head<C: ConnectionTrait>(c: &C) -> Result<audit_head::Model, DbErr> {
    audit_head::Entity::find_by_id(1)
        .one(c)
        .await?
        .ok_or_else(|| DbErr::Custom("audit head row missing".into()))
}

/// One page of a school's events (or of the whole instance), newest first.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    etablissement_id: Option<Uuid>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<audit_event::Model>, u64), DbErr> {
    list_filtered(c, etablissement_id, &AuditFilter::default(), offset, limit).await
}

/// How many events a school's (or the whole instance's) journal holds.
pub async fn count<C: ConnectionTrait>(
    c: &C,
    etablissement_id: Option<Uuid>,
) -> Result<u64, DbErr> {
    crate::scalars::count_of(c, events_of(etablissement_id)).await
}

/// The events of a school (or of the whole instance), to count.
pub fn events_of(etablissement_id: Option<Uuid>) -> SelectStatement {
    let mut q = Query::select();
    q.from(audit_event::Entity);
    if let Some(id) = etablissement_id {
        q.and_where(Expr::col(audit_event::Column::EtablissementId).eq(id));
    }
    q
}

/// What the journal page filters on.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// The event family: the part of the action before its first dot
    /// (`auth`, `booking`, `parc`…).
    pub family: Option<String>,
    /// The account that acted.
    pub actor: Option<Uuid>,
    /// From this instant (included) to that one (excluded).
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// A page of a school's (or the whole instance's) journal, newest first,
/// filtered, and the number of events that match.
pub async fn list_filtered<C: ConnectionTrait>(
    c: &C,
    etablissement_id: Option<Uuid>,
    f: &AuditFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<audit_event::Model>, u64), DbErr> {
    let mut q = audit_event::Entity::find();
    if let Some(id) = etablissement_id {
        q = q.filter(audit_event::Column::EtablissementId.eq(id));
    }
    if let Some(fam) = &f.family {
        q = q.filter(audit_event::Column::Action.starts_with(format!("{fam}.")));
    }
    if let Some(a) = f.actor {
        q = q.filter(audit_event::Column::ActorAccountId.eq(a));
    }
    if let Some(t) = f.from {
        q = q.filter(audit_event::Column::OccurredAt.gte(t));
    }
    if let Some(t) = f.to {
        q = q.filter(audit_event::Column::OccurredAt.lt(t));
    }
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by_desc(audit_event::Column::Seq)
        .offset(offset)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

/// The people who acted in a school's journal (account and label), for the
/// journal's filter; at most `limit`.
pub async fn actors_of<C: ConnectionTrait>(
    c: &C,
    etablissement_id: Option<Uuid>,
    limit: u64,
) -> Result<Vec<(Uuid, String)>, DbErr> {
    let mut q = audit_event::Entity::find()
        .select_only()
        .column(audit_event::Column::ActorAccountId)
        .column(audit_event::Column::ActorLabel)
        .filter(audit_event::Column::ActorAccountId.is_not_null())
        .distinct();
    if let Some(id) = etablissement_id {
        q = q.filter(audit_event::Column::EtablissementId.eq(id));
    }
    let rows: Vec<(Option<Uuid>, String)> = q
        .order_by_asc(audit_event::Column::ActorLabel)
        .limit(limit)
        .into_tuple()
        .all(c)
        .await?;
    let mut out: Vec<(Uuid, String)> = rows
        .into_iter()
        .filter_map(|(id, label)| id.map(|i| (i, label)))
        .collect();
    // An account whose label changed appears once, under its first label.
    let mut seen = std::collections::HashSet::new();
    out.retain(|(id, _)| seen.insert(*id));
    Ok(out)
}

/// Rows whose last field, their school, is `etab`, without it.
fn of_school<T: WithoutSchool>(rows: Vec<T>, etab: Uuid) -> Vec<T::Rest> {
    rows.into_iter()
        .filter_map(|r| r.without_school(etab))
        .collect()
}

trait WithoutSchool {
    type Rest;
    fn without_school(self, etab: Uuid) -> Option<Self::Rest>;
}

impl<A, B> WithoutSchool for (A, B, Uuid) {
    type Rest = (A, B);
    fn without_school(self, etab: Uuid) -> Option<(A, B)> {
        (self.2 == etab).then_some((self.0, self.1))
    }
}

impl<A, B, C> WithoutSchool for (A, B, C, Uuid) {
    type Rest = (A, B, C);
    fn without_school(self, etab: Uuid) -> Option<(A, B, C)> {
        (self.3 == etab).then_some((self.0, self.1, self.2))
    }
}

/// Names of the objects a page of the journal names, by kind: tickets
/// (number and title), equipment (inventory number), loans (borrower),
/// bookings (`<resource id>|<day>`: the service names the resource),
/// within one school. Unknown or deleted objects are left out.
pub async fn school_object_names<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    tickets: &[Uuid],
    assets: &[Uuid],
    loans: &[Uuid],
    bookings: &[Uuid],
) -> Result<Vec<(String, Uuid, String)>, DbErr> {
    use crate::entities::assistance::ticket;
    use crate::entities::loans::loan;
    use crate::entities::parc::parc_asset as asset;
    use crate::entities::reservations::booking;
    let mut out = vec![];
    if !tickets.is_empty() {
        let rows: Vec<(Uuid, i64, String, Uuid)> = ticket::Entity::find()
            .select_only()
            .columns([
                ticket::Column::Id,
                ticket::Column::Number,
                ticket::Column::Title,
            ])
            .column(ticket::Column::EtablissementId)
            .filter(ticket::Column::Id.is_in(tickets.to_vec()))
            .into_tuple()
            .all(c)
            .await?;
        // By id only (the primary key), then kept if of this school: with
        // the school in the statement, SQLite would read every row of the
        // school through its index instead.
        let rows = of_school(rows, etab);
        out.extend(
            rows.into_iter()
                .map(|(id, n, t)| ("ticket".to_string(), id, format!("n° {n} — {t}"))),
        );
    }
    if !assets.is_empty() {
        let rows: Vec<(Uuid, String, Uuid)> = asset::Entity::find()
            .select_only()
            .columns([asset::Column::Id, asset::Column::InventoryNumber])
            .column(asset::Column::EtablissementId)
            .filter(asset::Column::Id.is_in(assets.to_vec()))
            .into_tuple()
            .all(c)
            .await?;
        // By id only (the primary key), then kept if of this school: with
        // the school in the statement, SQLite would read every row of the
        // school through its index instead.
        let rows = of_school(rows, etab);
        out.extend(
            rows.into_iter()
                .map(|(id, n)| ("parc_asset".to_string(), id, n)),
        );
    }
    if !loans.is_empty() {
        let rows: Vec<(Uuid, String, Uuid)> = loan::Entity::find()
            .select_only()
            .columns([loan::Column::Id, loan::Column::BorrowerName])
            .column(loan::Column::EtablissementId)
            .filter(loan::Column::Id.is_in(loans.to_vec()))
            .into_tuple()
            .all(c)
            .await?;
        // By id only (the primary key), then kept if of this school: with
        // the school in the statement, SQLite would read every row of the
        // school through its index instead.
        let rows = of_school(rows, etab);
        out.extend(rows.into_iter().map(|(id, n)| ("loan".to_string(), id, n)));
    }
    if !bookings.is_empty() {
        let rows: Vec<(Uuid, Uuid, chrono::NaiveDate, Uuid)> = booking::Entity::find()
            .select_only()
            .columns([
                booking::Column::Id,
                booking::Column::ResourceId,
                booking::Column::Day,
            ])
            .column(booking::Column::EtablissementId)
            .filter(booking::Column::Id.is_in(bookings.to_vec()))
            .into_tuple()
            .all(c)
            .await?;
        // By id only (the primary key), then kept if of this school: with
        // the school in the statement, SQLite would read every row of the
        // school through its index instead.
        let rows = of_school(rows, etab);
        // The resource's id and the day; the service names the resource.
        out.extend(rows.into_iter().map(|(id, res, day)| {
            (
                "booking".to_string(),
                id,
                format!("{res}|{}", day.format("%d/%m/%Y")),
            )
        }));
    }
    Ok(out)
}

/// Names of the school's knowledge-base articles, rooms, buildings and loan
/// charters among these ids, as (kind, id, label) with the journal's kinds.
pub async fn school_more_names<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    articles: &[Uuid],
    rooms: &[Uuid],
    buildings: &[Uuid],
    charters: &[Uuid],
) -> Result<Vec<(String, Uuid, String)>, DbErr> {
    use crate::entities::kb_article as article;
    use crate::entities::loans::loan_charter as charter;
    use crate::entities::parc::{parc_building as building, parc_room as room};
    let mut out = vec![];
    if !articles.is_empty() {
        let rows: Vec<(Uuid, String, Uuid)> = article::Entity::find()
            .select_only()
            .columns([article::Column::Id, article::Column::Title])
            .column(article::Column::EtablissementId)
            .filter(article::Column::Id.is_in(articles.to_vec()))
            .into_tuple()
            .all(c)
            .await?;
        // By id only (the primary key), then kept if of this school: with
        // the school in the statement, SQLite would read every row of the
        // school through its index instead.
        let rows = of_school(rows, etab);
        out.extend(
            rows.into_iter()
                .map(|(id, t)| ("kb_article".to_string(), id, t)),
        );
    }
    if !rooms.is_empty() {
        let rows: Vec<(Uuid, String, Uuid)> = room::Entity::find()
            .select_only()
            .columns([room::Column::Id, room::Column::Name])
            .column(room::Column::EtablissementId)
            .filter(room::Column::Id.is_in(rooms.to_vec()))
            .into_tuple()
            .all(c)
            .await?;
        // By id only (the primary key), then kept if of this school: with
        // the school in the statement, SQLite would read every row of the
        // school through its index instead.
        let rows = of_school(rows, etab);
        out.extend(
            rows.into_iter()
                .map(|(id, n)| ("parc_room".to_string(), id, n)),
        );
    }
    if !buildings.is_empty() {
        let rows: Vec<(Uuid, String, Uuid)> = building::Entity::find()
            .select_only()
            .columns([building::Column::Id, building::Column::Name])
            .column(building::Column::EtablissementId)
            .filter(building::Column::Id.is_in(buildings.to_vec()))
            .into_tuple()
            .all(c)
            .await?;
        // By id only (the primary key), then kept if of this school: with
        // the school in the statement, SQLite would read every row of the
        // school through its index instead.
        let rows = of_school(rows, etab);
        out.extend(
            rows.into_iter()
                .map(|(id, n)| ("parc_building".to_string(), id, n)),
        );
    }
    if !charters.is_empty() {
        let rows: Vec<(Uuid, i32, String, Uuid)> = charter::Entity::find()
            .select_only()
            .columns([
                charter::Column::Id,
                charter::Column::Version,
                charter::Column::Title,
            ])
            .column(charter::Column::EtablissementId)
            .filter(charter::Column::Id.is_in(charters.to_vec()))
            .into_tuple()
            .all(c)
            .await?;
        // By id only (the primary key), then kept if of this school: with
        // the school in the statement, SQLite would read every row of the
        // school through its index instead.
        let rows = of_school(rows, etab);
        out.extend(
            rows.into_iter()
                .map(|(id, v, t)| ("loan_charter".to_string(), id, format!("{t} (v{v})"))),
        );
    }
    Ok(out)
}

/// The last event strictly older than `before`, if any.
pub async fn last_before<C: ConnectionTrait>(
    c: &C,
    before: DateTime<Utc>,
) -> Result<Option<audit_event::Model>, DbErr> {
    audit_event::Entity::find()
        .filter(audit_event::Column::OccurredAt.lt(before))
        .order_by_desc(audit_event::Column::Seq)
        .one(c)
        .await
}

/// Deletes events up to `through_seq` (the database refuses any row above
/// the `audit_purged_through_seq` setting, which the caller sets first).
pub async fn delete_through<C: ConnectionTrait>(c: &C, through_seq: i64) -> Result<u64, DbErr> {
    audit_event::Entity::delete_many()
        .filter(audit_event::Column::Seq.lte(through_seq))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}
