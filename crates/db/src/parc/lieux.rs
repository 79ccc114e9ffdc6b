//! Parc: buildings and rooms.

#[allow(unused_imports)]
use super::*;

// ---------------------------------------------------------------- buildings

pub async fn list_buildings<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<building::Model>, DbErr> {
    building::Entity::find()
        .filter(building::Column::EtablissementId.eq(etab))
        .order_by_asc(building::Column::Name)
        .all(c)
        .await
}

pub async fn get_building<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<building::Model>, DbErr> {
    building::Entity::find_by_id(id)
        .filter(building::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

pub async fn insert_building<C: ConnectionTrait>(c: &C, row: building::Model) -> Result<(), DbErr> {
    building::Entity::insert(building::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

pub async fn update_building<C: ConnectionTrait>(c: &C, row: building::Model) -> Result<(), DbErr> {
    let am: building::ActiveModel = sea_orm::IntoActiveModel::into_active_model(row);
    building::Entity::update(reset_all(am))
        .exec(c)
        .await
        .map(|_| ())
}

/// Deletes a building of a school; its rooms (there should be none) lose it.
pub async fn delete_building<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<u64, DbErr> {
    building::Entity::delete_many()
        .filter(building::Column::Id.eq(id))
        .filter(building::Column::EtablissementId.eq(etab))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

/// Number of rooms per building of a school.
pub async fn room_counts_by_building<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<HashMap<Uuid, u64>, DbErr> {
    let rows: Vec<(Option<Uuid>, i64)> = room::Entity::find()
        .select_only()
        .column(room::Column::BuildingId)
        .column_as(room::Column::Id.count(), "n")
        .filter(room::Column::EtablissementId.eq(etab))
        .group_by(room::Column::BuildingId)
        .into_tuple()
        .all(c)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(b, n)| b.map(|b| (b, u64::try_from(n).unwrap_or(0))))
        .collect())
}

// -------------------------------------------------------------------- rooms

/// The rooms of a school, by name.
pub async fn list_rooms<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<Vec<room::Model>, DbErr> {
    room::Entity::find()
        .filter(room::Column::EtablissementId.eq(etab))
        .order_by_asc(room::Column::Name)
        .all(c)
        .await
}

/// The (id, name) of a school's rooms and those of its buildings, each by
/// name, in one query (the asset list's menus).
pub async fn place_names<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<(Vec<(Uuid, String)>, Vec<(Uuid, String)>), DbErr> {
    #[derive(FromQueryResult)]
    struct Place {
        building: i32,
        id: Uuid,
        name: String,
    }
    let backend = c.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            r#"SELECT 0 AS "building", "id", "name" FROM "parc_rooms" WHERE "etablissement_id" = $1 UNION ALL SELECT 1, "id", "name" FROM "parc_buildings" WHERE "etablissement_id" = $2 ORDER BY "building", "name""#
        }
        _ => {
            r#"SELECT 0 AS "building", "id", "name" FROM "parc_rooms" WHERE "etablissement_id" = ? UNION ALL SELECT 1, "id", "name" FROM "parc_buildings" WHERE "etablissement_id" = ? ORDER BY "building", "name""#
        }
    };
    let places = Place::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [etab.into(), etab.into()],
    ))
    .all(c)
    .await?;
    let (buildings, rooms): (Vec<Place>, Vec<Place>) =
        places.into_iter().partition(|p| p.building == 1);
    let pairs = |v: Vec<Place>| v.into_iter().map(|p| (p.id, p.name)).collect();
    Ok((pairs(rooms), pairs(buildings)))
}

pub async fn get_room<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<room::Model>, DbErr> {
    room::Entity::find_by_id(id)
        .filter(room::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

/// A room of a school by its exact name (imports).
pub async fn room_by_name<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    name: &str,
) -> Result<Option<room::Model>, DbErr> {
    room::Entity::find()
        .filter(room::Column::EtablissementId.eq(etab))
        .filter(room::Column::Name.eq(name))
        .one(c)
        .await
}

pub async fn insert_room<C: ConnectionTrait>(c: &C, row: room::Model) -> Result<(), DbErr> {
    room::Entity::insert(room::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

/// Inserts rooms a chunk at a time (imports, demo data).
pub async fn insert_rooms<C: ConnectionTrait>(c: &C, rows: Vec<room::Model>) -> Result<(), DbErr> {
    insert_in_chunks(c, rows.into_iter().map(room::ActiveModel::from).collect()).await
}

pub async fn update_room<C: ConnectionTrait>(c: &C, row: room::Model) -> Result<(), DbErr> {
    let am: room::ActiveModel = sea_orm::IntoActiveModel::into_active_model(row);
    room::Entity::update(reset_all(am))
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn delete_room<C: ConnectionTrait>(c: &C, etab: Uuid, id: Uuid) -> Result<u64, DbErr> {
    room::Entity::delete_many()
        .filter(room::Column::Id.eq(id))
        .filter(room::Column::EtablissementId.eq(etab))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

/// Number of assets (retired ones included) per room of a school.
pub async fn asset_counts_by_room<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<HashMap<Uuid, u64>, DbErr> {
    let rows: Vec<(Option<Uuid>, i64)> = asset::Entity::find()
        .select_only()
        .column(asset::Column::RoomId)
        .column_as(asset::Column::Id.count(), "n")
        .filter(asset::Column::EtablissementId.eq(etab))
        .filter(asset::Column::RoomId.is_not_null())
        .group_by(asset::Column::RoomId)
        .into_tuple()
        .all(c)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(r, n)| r.map(|r| (r, u64::try_from(n).unwrap_or(0))))
        .collect())
}
