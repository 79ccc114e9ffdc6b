//! The header's search: a ticket by its number, equipment by inventory or
//! serial number, a room by name, a person of the directory by name, in one
//! school. Each query is bounded; the service decides who may run which.

use crate::entities::annuaire_person as person;
use crate::entities::assistance::ticket;
use crate::entities::parc::{parc_asset as asset, parc_room as room};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// The school's ticket with this number.
pub async fn ticket_by_number<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    number: i64,
) -> Result<Option<(Uuid, String)>, DbErr> {
    ticket::Entity::find()
        .select_only()
        .columns([ticket::Column::Id, ticket::Column::Title])
        .filter(ticket::Column::EtablissementId.eq(etab))
        .filter(ticket::Column::Number.eq(number))
        .into_tuple()
        .one(c)
        .await
}

/// Equipment whose inventory or serial number is `code` (case ignored).
pub async fn assets_by_code<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    code: &str,
    limit: u64,
) -> Result<Vec<(Uuid, String, String)>, DbErr> {
    let up = code.to_uppercase();
    asset::Entity::find()
        .select_only()
        .columns([
            asset::Column::Id,
            asset::Column::InventoryNumber,
            asset::Column::Model,
        ])
        .filter(asset::Column::EtablissementId.eq(etab))
        .filter(
            Expr::expr(Func::upper(Expr::col(asset::Column::InventoryNumber)))
                .eq(up.clone())
                .or(Expr::expr(Func::upper(Expr::col(asset::Column::Serial))).eq(up)),
        )
        .order_by_asc(asset::Column::InventoryNumber)
        .limit(limit)
        .into_tuple()
        .all(c)
        .await
}

/// The school's equipment whose inventory or serial number starts with
/// `prefix` (case ignored), retired equipment left out, in inventory order:
/// (inventory number, manufacturer, model, status).
pub async fn assets_by_prefix<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    prefix: &str,
    limit: u64,
) -> Result<Vec<(String, String, String, String)>, DbErr> {
    // The typed text is matched as text: its `%`, `_` and `\\` are escaped.
    let mut escaped = String::with_capacity(prefix.len() + 1);
    for ch in prefix.to_uppercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(ch);
    }
    escaped.push('%');
    let pattern = LikeExpr::new(escaped).escape('\\');
    asset::Entity::find()
        .select_only()
        .columns([
            asset::Column::InventoryNumber,
            asset::Column::Manufacturer,
            asset::Column::Model,
            asset::Column::Status,
        ])
        .filter(asset::Column::EtablissementId.eq(etab))
        .filter(asset::Column::Status.ne("retired"))
        .filter(
            Expr::expr(Func::upper(Expr::col(asset::Column::InventoryNumber)))
                .like(pattern.clone())
                .or(Expr::expr(Func::upper(Expr::col(asset::Column::Serial))).like(pattern)),
        )
        .order_by_asc(asset::Column::InventoryNumber)
        .limit(limit)
        .into_tuple()
        .all(c)
        .await
}

/// Rooms whose name holds `words` (case ignored).
pub async fn rooms_named<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    words: &str,
    limit: u64,
) -> Result<Vec<(Uuid, String)>, DbErr> {
    let pattern = format!("%{}%", words.to_lowercase().replace(['%', '_'], ""));
    room::Entity::find()
        .select_only()
        .columns([room::Column::Id, room::Column::Name])
        .filter(room::Column::EtablissementId.eq(etab))
        .filter(Expr::expr(Func::lower(Expr::col(room::Column::Name))).like(pattern))
        .order_by_asc(room::Column::Name)
        .limit(limit)
        .into_tuple()
        .all(c)
        .await
}

/// People of the school's directory whose folded search text holds every
/// folded word; `kinds` limits them (`staff`, `pupil`).
pub async fn people_named<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    words: &[String],
    kinds: &[&str],
    limit: u64,
) -> Result<Vec<person::Model>, DbErr> {
    if words.is_empty() || kinds.is_empty() {
        return Ok(vec![]);
    }
    let mut q = person::Entity::find()
        .filter(person::Column::EtablissementId.eq(etab))
        .filter(person::Column::Kind.is_in(kinds.iter().map(|k| k.to_string())))
        .filter(person::Column::Status.eq("active"));
    for w in words {
        q = q.filter(person::Column::SearchText.contains(w.replace(['%', '_'], "")));
    }
    q.order_by_asc(person::Column::LastName)
        .order_by_asc(person::Column::FirstName)
        .limit(limit)
        .all(c)
        .await
}
