//! The bulk writes of a directory import: multi-row statements built ahead
//! (on any thread), then run one after the other in the import's one
//! transaction.
//!
//! Building a statement of a few hundred rows costs about as much CPU as
//! running it; the import builds the next ones in a blocking thread while
//! the database runs the current one. So these functions only build; the
//! caller runs each statement with [`run`].
//!
//! On SQLite a statement is a multi-row `VALUES` list. On PostgreSQL it is
//! `INSERT … SELECT * FROM unnest($1::uuid[], $2::text[], …)`: one array
//! per column, so that the server prepares and sets up a statement of a
//! few parameters instead of one of thousands (the set-up of a 500-row
//! `VALUES` list was a tenth of the server's work in the import).

use crate::entities::{annuaire_guardianship as guardianship, annuaire_person as person};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityName,
    EntityTrait, IdenStatic, Iterable, QueryFilter, QueryTrait, Statement, Value,
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
    if backend == DbBackend::Postgres {
        return insert_all_columns_unnest(rows, conflict).map(Some);
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
                _ => {
                    let _ = write!(sql, "{sep}?");
                }
            }
        }
        sql.push(')');
    }
    sql.push_str(conflict);
    Ok(Some(Statement::from_sql_and_values(backend, sql, values)))
}

/// The PostgreSQL form of [`insert_all_columns`]: each column's values go
/// as one array, written in PostgreSQL's array syntax and bound as text
/// (cast by the statement), in the rows' order.
fn insert_all_columns_unnest<A>(rows: Vec<A>, conflict: &str) -> Result<Statement, DbErr>
where
    A: ActiveModelTrait,
{
    use std::fmt::Write;
    let columns: Vec<_> = <A::Entity as EntityTrait>::Column::iter().collect();
    let table = A::Entity::default();
    let mut arrays: Vec<PgArray> = columns.iter().map(|_| PgArray::default()).collect();
    for mut row in rows {
        for (c, array) in columns.iter().zip(arrays.iter_mut()) {
            match row.take(*c) {
                ActiveValue::Set(v) | ActiveValue::Unchanged(v) => array.push(&v)?,
                ActiveValue::NotSet => {
                    return Err(DbErr::Custom(format!(
                        "bulk insert into {}: column {} not set",
                        table.table_name(),
                        c.as_str()
                    )));
                }
            }
        }
    }
    let mut sql = format!("INSERT INTO \"{}\" (", table.table_name());
    for (i, c) in columns.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(sql, "{sep}\"{}\"", c.as_str());
    }
    sql.push_str(") SELECT * FROM unnest(");
    let mut values = Vec::with_capacity(arrays.len());
    for (i, a) in arrays.into_iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(sql, "{sep}${}::{}[]", i + 1, a.sql_type.unwrap_or("text"));
        values.push(Value::String(Some(a.finish())));
    }
    sql.push(')');
    sql.push_str(conflict);
    Ok(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
}

/// One column's values in PostgreSQL's array syntax (`{"a",NULL,"b"}`).
#[derive(Default)]
struct PgArray {
    text: String,
    sql_type: Option<&'static str>,
}

impl PgArray {
    fn push(&mut self, v: &Value) -> Result<(), DbErr> {
        use std::fmt::Write;
        self.text.push(if self.text.is_empty() { '{' } else { ',' });
        // Writing to a `String` cannot fail.
        let sql_type = match v {
            Value::String(s) => {
                match s.as_deref() {
                    Some(s) => self.quoted(s),
                    None => self.text.push_str("NULL"),
                }
                "text"
            }
            Value::Uuid(u) => {
                let _ = match u {
                    Some(u) => write!(self.text, "{u}"),
                    None => write!(self.text, "NULL"),
                };
                "uuid"
            }
            Value::Bool(b) => {
                self.text.push_str(match b {
                    Some(true) => "t",
                    Some(false) => "f",
                    None => "NULL",
                });
                "boolean"
            }
            Value::ChronoDate(d) => {
                let _ = match d {
                    Some(d) => write!(self.text, "{}", d.format("%Y-%m-%d")),
                    None => write!(self.text, "NULL"),
                };
                "date"
            }
            Value::ChronoDateTimeUtc(t) => {
                let _ = match t {
                    Some(t) => write!(self.text, "{}", t.format("%Y-%m-%d %H:%M:%S%.6f+00")),
                    None => write!(self.text, "NULL"),
                };
                "timestamptz"
            }
            other => {
                return Err(DbErr::Custom(format!(
                    "bulk insert: value {other:?} has no array form"
                )));
            }
        };
        self.sql_type = Some(sql_type);
        Ok(())
    }

    /// A text element: quoted, with `"` and `\` escaped.
    fn quoted(&mut self, s: &str) {
        self.text.push('"');
        for ch in s.chars() {
            if ch == '"' || ch == '\\' {
                self.text.push('\\');
            }
            self.text.push(ch);
        }
        self.text.push('"');
    }

    fn finish(mut self) -> String {
        if self.text.is_empty() {
            self.text.push('{');
        }
        self.text.push('}');
        self.text
    }
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
    fn postgres_arrays_quote_every_text_and_keep_nulls() {
        let mut texts = PgArray::default();
        for v in [
            Some("Zoé \"la\" {1,2}"),
            None,
            Some(r"a\b"),
            Some(""),
            Some("NULL"),
        ] {
            texts
                .push(&Value::String(v.map(str::to_string)))
                .expect("text");
        }
        assert_eq!(texts.sql_type, Some("text"));
        assert_eq!(
            texts.finish(),
            r#"{"Zoé \"la\" {1,2}",NULL,"a\\b","","NULL"}"#
        );
        let mut days = PgArray::default();
        days.push(&Value::ChronoDate(chrono::NaiveDate::from_ymd_opt(
            2026, 9, 1,
        )))
        .expect("date");
        days.push(&Value::ChronoDate(None)).expect("date");
        assert_eq!(days.sql_type, Some("date"));
        assert_eq!(days.finish(), "{2026-09-01,NULL}");
        assert_eq!(PgArray::default().finish(), "{}");
    }

    #[test]
    fn postgres_inserts_bind_one_array_per_column() {
        let rows = vec![
            guardianship::Model {
                pupil_id: Uuid::nil(),
                guardian_id: Uuid::max(),
                relation: Some("mère".into()),
                legal: true,
            },
            guardianship::Model {
                pupil_id: Uuid::max(),
                guardian_id: Uuid::nil(),
                relation: None,
                legal: false,
            },
        ];
        let stmt = insert_guardianships(DbBackend::Postgres, rows)
            .expect("every column set")
            .expect("two rows");
        assert!(
            stmt.sql.contains(
                "SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::boolean[])"
            )
        );
        assert!(
            stmt.sql
                .ends_with("ON CONFLICT (\"pupil_id\", \"guardian_id\") DO NOTHING")
        );
        let values = stmt.values.expect("bound values").0;
        assert_eq!(values.len(), 4);
        assert_eq!(values[2], Value::String(Some(r#"{"mère",NULL}"#.into())));
        assert_eq!(values[3], Value::String(Some("{t,f}".into())));
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
