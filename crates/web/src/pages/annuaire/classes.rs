//! The school's classes and groups, and one class with its pupils and
//! teachers.

use super::personnes::{PupilView, StaffView, pupil_view, staff_view};
use super::{DirQuery, Tab, tabs};
use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{PAGE_SIZE, Pager, SignedIn, render};
use crate::urls;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use refnum_services::annuaire::pages::{self};
use uuid::Uuid;

// ------------------------------------------------------------------ classes

pub struct ClassView {
    pub href: String,
    pub code: String,
    pub label: String,
    pub kind: String,
    pub year: String,
    pub mefs: String,
    pub divisions: String,
    pub pupils: String,
    pub archived: bool,
}

fn class_view(tr: Tr, id: Uuid, c: pages::ClassRow) -> ClassView {
    ClassView {
        href: urls::annuaire_class(id, c.id),
        kind: tr.t(&format!("dir-structure-{}", c.kind)),
        year: pages::year_label(c.school_year),
        mefs: c.mefs.join(", "),
        divisions: c.divisions.join(", "),
        pupils: c
            .pupils
            .map(|n| n.to_string())
            .unwrap_or_else(|| "—".into()),
        label: c.label.unwrap_or_default(),
        code: c.code,
        archived: c.archived,
    }
}

#[derive(Template)]
#[template(path = "annuaire/classes.html")]
struct ClassesPage {
    page: Page,
    heading: String,
    tabs: Vec<Tab>,
    rows: Vec<ClassView>,
    archived_shown: bool,
    toggle_href: String,
    summary: String,
}

pub async fn classes(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(dq): Query<DirQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let archived = DirQuery::flag(&dq.archives);
    let c = pages::classes(&state.db, &s.ctx, id, archived).await?;
    let heading = tr.t_args("dir-classes-title", &[("name", c.etab.name.clone())]);
    let base = urls::annuaire_classes(id);
    Ok(render(&ClassesPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        tabs: tabs(tr, id, "classes", c.rights.pupils),
        summary: tr.t_args("dir-classes-count", &[("count", c.rows.len().to_string())]),
        rows: c.rows.into_iter().map(|r| class_view(tr, id, r)).collect(),
        archived_shown: c.archived_shown,
        toggle_href: if archived {
            base
        } else {
            format!("{base}?archives=1")
        },
    }))
}

// ----------------------------------------------------------------- one class

#[derive(Template)]
#[template(path = "annuaire/class.html")]
struct ClassPage {
    page: Page,
    heading: String,
    tabs: Vec<Tab>,
    class: ClassView,
    staff: Vec<StaffView>,
    pupils: Option<Vec<PupilView>>,
    pupil_summary: String,
    pager: Pager,
}

pub async fn class(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, sid)): Path<(Uuid, Uuid)>,
    Query(dq): Query<DirQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let c = pages::class(&state.db, &s.ctx, id, sid, dq.page(), PAGE_SIZE).await?;
    let view = class_view(tr, id, c.class);
    let heading = tr.t_args(
        "dir-class-title",
        &[("kind", view.kind.clone()), ("code", view.code.clone())],
    );
    Ok(render(&ClassPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        tabs: tabs(tr, id, "classes", c.rights.pupils),
        pupil_summary: tr.t_args("dir-class-pupils", &[("count", c.pupil_total.to_string())]),
        pager: Pager::new(
            tr,
            &urls::annuaire_class(id, sid),
            "",
            dq.page(),
            if c.pupils.is_some() { c.pupil_total } else { 0 },
        ),
        class: view,
        staff: c.staff.into_iter().map(|r| staff_view(tr, id, r)).collect(),
        pupils: c
            .pupils
            .map(|rows| rows.into_iter().map(|r| pupil_view(id, r)).collect()),
    }))
}
