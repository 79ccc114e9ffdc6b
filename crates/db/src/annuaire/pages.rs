//! Directory: the queries of the directory's pages (people sorted and paged, names, staff codes, groups, old previews).

#[allow(unused_imports)]
use super::*;

// Directory pages

/// Sort orders of the directory's people lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeopleSort {
    #[default]
    Name,
    Class,
    BirthDate,
    Source,
}

/// A people list of the directory pages: the common filters, the staff
/// filters (function, discipline) and the order.
#[derive(Debug, Clone, Default)]
pub struct PeopleListing {
    pub filter: PeopleFilter,
    /// A function code the staff member holds.
    pub function: Option<String>,
    /// A discipline code the staff member teaches.
    pub discipline: Option<String>,
    pub sort: PeopleSort,
    pub desc: bool,
}

/// One page of people, filtered and sorted, with the total.
pub async fn list_people_sorted<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    l: &PeopleListing,
) -> Result<(Vec<person::Model>, u64), DbErr> {
    let f = &l.filter;
    let mut q = person::Entity::find()
        .filter(person::Column::EtablissementId.eq(etab))
        .filter(person::Column::Kind.eq(f.kind.as_str()));
    if !f.include_left {
        q = q.filter(person::Column::Status.eq("active"));
    }
    if let Some(cc) = &f.class_code {
        q = q.filter(person::Column::ClassCode.eq(cc.as_str()));
    }
    if let Some(s) = &f.structure {
        let needle = format!("%\"{}\"%", like_escape(s));
        q = q.filter(
            Condition::any()
                .add(person::Column::Structures.like(needle.clone()))
                .add(person::Column::Groups.like(needle))
                .add(person::Column::ClassCode.eq(s.as_str())),
        );
    }
    if let Some(code) = &l.function {
        q = q.filter(person::Column::Functions.like(format!("%\"{}\"%", like_escape(code))));
    }
    if let Some(code) = &l.discipline {
        q = q.filter(person::Column::Disciplines.like(format!("%\"{}\"%", like_escape(code))));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        for word in text.split_whitespace().take(5) {
            q = q.filter(person::Column::SearchText.like(format!("%{}%", like_escape(word))));
        }
    }
    let total = q.clone().count(c).await?;
    let order = if l.desc {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    q = match l.sort {
        PeopleSort::Name => q,
        PeopleSort::Class => q.order_by(person::Column::ClassCode, order.clone()),
        PeopleSort::BirthDate => q.order_by(person::Column::BirthDate, order.clone()),
        PeopleSort::Source => q.order_by(person::Column::Source, order.clone()),
    };
    // Within a class, a date or a source, names stay in alphabetical order.
    let name_order = if l.sort == PeopleSort::Name {
        order
    } else {
        sea_orm::Order::Asc
    };
    // The folded search text starts with the last and first names: the same
    // order on both databases, whatever the case and the accents.
    let rows = q
        .order_by(person::Column::SearchText, name_order.clone())
        .order_by(person::Column::LastName, name_order.clone())
        .order_by(person::Column::FirstName, name_order)
        .order_by_asc(person::Column::Id)
        .offset(f.page.saturating_mul(f.per_page))
        .limit(f.per_page)
        .all(c)
        .await?;
    Ok((rows, total))
}

/// The display names of some accounts (people linked to a RefNum account,
/// authors of imports).
pub async fn account_names<C: ConnectionTrait>(
    c: &C,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>, DbErr> {
    use crate::entities::account;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut out = vec![];
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(Uuid, String)> = account::Entity::find()
            .select_only()
            .column(account::Column::Id)
            .column(account::Column::DisplayName)
            .filter(account::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(c)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// The function and discipline lists (JSON) of a school's active staff, for
/// the filters of the staff list.
pub async fn staff_codes<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<(String, String)>, DbErr> {
    person::Entity::find()
        .select_only()
        .column(person::Column::Functions)
        .column(person::Column::Disciplines)
        .filter(person::Column::EtablissementId.eq(etab))
        .filter(person::Column::Kind.eq("staff"))
        .filter(person::Column::Status.eq("active"))
        .into_tuple()
        .all(c)
        .await
}

/// The group lists (JSON) of a school's active pupils, to count the pupils
/// of each group.
pub async fn pupil_groups<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<Vec<String>, DbErr> {
    person::Entity::find()
        .select_only()
        .column(person::Column::Groups)
        .filter(person::Column::EtablissementId.eq(etab))
        .filter(person::Column::Kind.eq("pupil"))
        .filter(person::Column::Status.eq("active"))
        .filter(person::Column::Groups.ne("[]"))
        .into_tuple()
        .all(c)
        .await
}

// End of directory pages

/// Previews created before `before` and never applied.
pub async fn previews_before<C: ConnectionTrait>(
    c: &C,
    before: DateTime<Utc>,
) -> Result<Vec<import::Model>, DbErr> {
    import::Entity::find()
        .filter(import::Column::Status.eq("preview"))
        .filter(import::Column::CreatedAt.lt(before))
        .all(c)
        .await
}
