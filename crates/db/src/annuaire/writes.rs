//! The bulk writes of a directory import: multi-row statements built ahead
//! (on any thread), then run one after the other in the import's one
//! transaction.
//!
//! Building a statement of a few hundred rows costs about as much CPU as
//! running it; the import builds the next ones in a blocking thread while
//! the database runs the current one. So these functions only build; the
//! caller runs each statement with [`run`].

use crate::entities::{annuaire_guardianship as guardianship, annuaire_person as person};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityName,
    EntityTrait, IdenStatic, Iterable, QueryFilter, QueryTrait, Statement,
};
use uuid::Uuid;

/// Bound parameters one statement may carry on both backends (SQLite's
/// limit is 32,766 since 3.32, PostgreSQL's 65,535), with a margin.
const MAX_PARAMS: usize = 30_000;
/// Rows per statement at most, whatever the width of the table: beyond a
/// few hundred rows, larger statements gain nothing measurable.
const MAX_ROWS: usize = 500;

/// Rows per multi-row statement for a table of `columns` columns.
pub const fn rows_per_statement(columns: usize) -> usize {
    let n = MAX_PARAMS / if columns == 0 { 1 } else { columns };
    if n > MAX_ROWS {
        MAX_ROWS
    } else if n == 0 {
        1
    } else {
        n
    }
}

/// Rows of `annuaire_people` per statement.
pub fn people_per_statement() -> usize {
    rows_per_statement(person::Column::iter().count())
}

/// Rows of `annuaire_guardianships` per statement.
pub fn guardianships_per_statement() -> usize {
    rows_per_statement(guardianship::Column::iter().count())
}

/// A multi-row `INSERT` of every column of an entity, followed by
/// `conflict` (an `ON CONFLICT` clause or nothing). The SQL is written
/// here rather than through the query builder, which spent as much CPU
/// building a statement of a few hundred rows as the database spent
/// running it; the values are the same and bound the same way. Every
/// column of every row must be set.
fn insert_all_columns<A>(
    backend: DbBackend,
    rows: Vec<A>,
    conflict: &str,
) -> Result<Option<Statement>, DbErr>
where
    A: ActiveModelTrait,
{
    use std::fmt::Write;
    if rows.is_empty() {
        return Ok(None);
    }
    let columns: Vec<_> = <A::Entity as EntityTrait>::Column::iter().collect();
    let table = A::Entity::default();
    let mut sql = format!("INSERT INTO \"{}\" (", table.table_name());
    for (i, c) in columns.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(sql, "{sep}\"{}\"", c.as_str());
    }
    sql.push_str(") VALUES ");
    let mut values = Vec::with_capacity(rows.len() * columns.len());
    for (r, mut row) in rows.into_iter().enumerate() {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for (i, c) in columns.iter().enumerate() {
            match row.take(*c) {
                ActiveValue::Set(v) | ActiveValue::Unchanged(v) => values.push(v),
                ActiveValue::NotSet => {
                    return Err(DbErr::Custom(format!(
                        "bulk insert into {}: column {} not set",
                        table.table_name(),
                        c.as_str()
                    )));
                }
            }
            let sep = if i == 0 { "" } else { ", " };
            match backend {
                DbBackend::Postgres => {
                    let _ = write!(sql, "{sep}${}", values.len());
                }
                _ => sql.push_str(if i == 0 { "?" } else { ", ?" }),
            }
        }
        sql.push(')');
    }
    sql.push_str(conflict);
    Ok(Some(Statement::from_sql_and_values(backend, sql, values)))
}

/// Inserts new people (every column set).
pub fn insert_people(
    backend: DbBackend,
    rows: Vec<person::ActiveModel>,
) -> Result<Option<Statement>, DbErr> {
    insert_all_columns(backend, rows, "")
}

/// Rewrites existing people, matched by id, in one statement: an insert
/// whose conflict on the id updates every column but the id, the creation
/// time and the linked account (which the import does not manage). The
/// rows must have every column set; `created_at` and `account_id` are
/// only there for the insert half, which never happens for an existing id.
pub fn update_people(
    backend: DbBackend,
    rows: Vec<person::ActiveModel>,
) -> Result<Option<Statement>, DbErr> {
    let mut conflict = String::from(" ON CONFLICT (\"id\") DO UPDATE SET ");
    let updated = person::Column::iter().filter(|c| {
        !matches!(
            c,
            person::Column::Id | person::Column::CreatedAt | person::Column::AccountId
        )
    });
    for (i, c) in updated.enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let name = c.as_str();
        conflict.push_str(&format!("{sep}\"{name}\" = \"excluded\".\"{name}\""));
    }
    insert_all_columns(backend, rows, &conflict)
}

/// Removes the guardian links of the given pupils.
pub fn delete_guardianships_of(backend: DbBackend, pupil_ids: &[Uuid]) -> Option<Statement> {
    if pupil_ids.is_empty() {
        return None;
    }
    Some(
        guardianship::Entity::delete_many()
            .filter(guardianship::Column::PupilId.is_in(pupil_ids.iter().copied()))
            .build(backend),
    )
}

/// Adds guardian links; a link that exists already is left as it is.
pub fn insert_guardianships(
    backend: DbBackend,
    rows: Vec<guardianship::Model>,
) -> Result<Option<Statement>, DbErr> {
    let rows = rows
        .into_iter()
        .map(guardianship::ActiveModel::from)
        .collect();
    insert_all_columns(
        backend,
        rows,
        " ON CONFLICT (\"pupil_id\", \"guardian_id\") DO NOTHING",
    )
}

/// Runs one statement built above.
pub async fn run<C: ConnectionTrait>(c: &C, stmt: Statement) -> Result<(), DbErr> {
    c.execute_raw(stmt).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_stay_under_both_parameter_limits() {
        for columns in [1, 4, 27, 100, 40_000] {
            let rows = rows_per_statement(columns);
            assert!(rows >= 1);
            assert!(rows <= MAX_ROWS);
            assert!(columns > MAX_PARAMS || rows * columns <= 32_766);
        }
        assert_eq!(rows_per_statement(4), MAX_ROWS);
        assert!(people_per_statement() * person::Column::iter().count() <= 32_766);
    }

    #[test]
    fn an_update_keeps_creation_time_and_account() {
        let now = chrono::Utc::now();
        let m = person::Model {
            id: Uuid::nil(),
            etablissement_id: Uuid::nil(),
            kind: "pupil".into(),
            source: "aaf".into(),
            source_key: "k".into(),
            ine: None,
            civility: None,
            last_name: "N".into(),
            first_name: "P".into(),
            birth_date: None,
            email: None,
            functions: "[]".into(),
            disciplines: "[]".into(),
            missions: "[]".into(),
            structures: "[]".into(),
            class_code: None,
            groups: "[]".into(),
            mef_code: None,
            status: "active".into(),
            left_at: None,
            account_id: None,
            search_text: "n p".into(),
            content_hash: "h".into(),
            source_file: "f".into(),
            imported_at: now,
            created_at: now,
            updated_at: now,
        };
        let stmt = update_people(DbBackend::Sqlite, vec![m.into()])
            .expect("every column set")
            .expect("one row");
        let (_, set) = stmt.sql.split_once("DO UPDATE SET").expect("an upsert");
        assert!(set.contains("\"last_name\" = \"excluded\".\"last_name\""));
        assert!(set.contains("\"updated_at\""));
        assert!(!set.contains("\"created_at\""));
        assert!(!set.contains("\"account_id\""));
        assert!(!set.contains("\"id\" ="));
    }
}
