//! The school's staff and pupils, filtered, sorted and paged on the
//! server, and one person.

use super::{Choice, DirQuery, Tab, choices, date, sort_headers, sort_of, source_label, tabs};
use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::etabs::SortHeader;
use crate::pages::filtres::{ChipBar, Filters, rows_options};
use crate::pages::{Pager, SignedIn, fmt_time, render};
use crate::urls;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use refnum_services::annuaire::pages::{self};
use uuid::Uuid;

// -------------------------------------------------------------------- people

pub struct StaffView {
    pub href: String,
    pub name: String,
    pub functions: String,
    pub disciplines: String,
    pub missions: String,
    pub source: String,
    pub account: String,
    pub left: bool,
}

pub(super) fn staff_view(tr: Tr, id: Uuid, r: pages::StaffRow) -> StaffView {
    StaffView {
        href: urls::annuaire_person(id, r.id),
        name: format!("{} {}", r.last_name, r.first_name),
        functions: r.functions.join(", "),
        disciplines: r.disciplines.join(", "),
        missions: r.missions.join(", "),
        source: source_label(tr, &r.source),
        account: r.account.unwrap_or_default(),
        left: r.left,
    }
}

pub struct PupilView {
    pub href: String,
    pub name: String,
    pub birth: String,
    pub class: String,
    pub groups: String,
    pub ine: String,
    pub left: bool,
}

pub(super) fn pupil_view(id: Uuid, r: pages::PupilRow) -> PupilView {
    PupilView {
        href: urls::annuaire_person(id, r.id),
        name: format!("{} {}", r.last_name, r.first_name),
        birth: r.birth_date.as_ref().map(date).unwrap_or_default(),
        class: r.class_code.unwrap_or_default(),
        groups: r.groups.join(", "),
        ine: r.ine.unwrap_or_default(),
        left: r.left,
    }
}

#[derive(Template)]
#[template(path = "annuaire/staff.html")]
struct StaffPage {
    page: Page,
    heading: String,
    tabs: Vec<Tab>,
    action: String,
    q: String,
    functions: Vec<Choice>,
    disciplines: Vec<Choice>,
    rows_per_page: Vec<Choice>,
    chip_bar: ChipBar,
    include_left: bool,
    summary: String,
    headers: Vec<SortHeader>,
    rows: Vec<StaffView>,
    pager: Pager,
}

pub async fn staff(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(dq): Query<DirQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let tri = dq.tri(&["nom", "source"]);
    let input = dq.input(sort_of(&tri));
    let l = pages::staff(&state.db, &s.ctx, id, &input).await?;
    let base = urls::annuaire_staff(id);
    let functions = choices(
        tr,
        "dir-filter-all",
        l.functions.into_iter().map(|c| (c.code, c.label)).collect(),
        &input.function,
    );
    let disciplines = choices(
        tr,
        "dir-filter-all",
        l.disciplines
            .into_iter()
            .map(|c| (c.code, c.label))
            .collect(),
        &input.discipline,
    );
    let mut chips = Filters::new();
    chips.add_search(tr, "q", &input.q);
    chips.add_select(tr, "fonction", "dir-col-functions", &functions);
    chips.add_select(tr, "discipline", "dir-col-disciplines", &disciplines);
    chips.add_flag(tr, "partis", input.include_left, "dir-include-left");
    chips.add_rows(&dq.lignes);
    let filters = chips.query();
    let heading = tr.t_args("dir-staff-title", &[("name", l.etab.name.clone())]);
    let keep = format!("&tri={tri}{}", if input.desc { "&ordre=desc" } else { "" });
    let extra = format!("{keep}{filters}");
    Ok(render(&StaffPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        tabs: tabs(tr, id, "personnels", l.rights.pupils),
        action: base.clone(),
        functions,
        disciplines,
        rows_per_page: rows_options(&dq.lignes),
        chip_bar: chips.chip_bar(tr, &base, &keep),
        include_left: input.include_left,
        summary: tr.t_args("dir-people-count", &[("count", l.total.to_string())]),
        headers: sort_headers(
            tr,
            &base,
            &filters,
            &tri,
            input.desc,
            &[("nom", "dir-col-name"), ("source", "dir-col-source")],
        ),
        rows: l.rows.into_iter().map(|r| staff_view(tr, id, r)).collect(),
        pager: Pager::sized(tr, &base, &extra, input.page, l.total, input.per_page),
        q: input.q,
    }))
}

#[derive(Template)]
#[template(path = "annuaire/pupils.html")]
struct PupilsPage {
    page: Page,
    heading: String,
    tabs: Vec<Tab>,
    action: String,
    q: String,
    classes: Vec<Choice>,
    include_left: bool,
    rows_per_page: Vec<Choice>,
    chip_bar: ChipBar,
    summary: String,
    headers: Vec<SortHeader>,
    rows: Vec<PupilView>,
    pager: Pager,
}

pub async fn pupils(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(dq): Query<DirQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let tri = dq.tri(&["nom", "naissance", "classe"]);
    let input = dq.input(sort_of(&tri));
    let l = pages::pupils(&state.db, &s.ctx, id, &input).await?;
    let base = urls::annuaire_pupils(id);
    let classes = choices(
        tr,
        "dir-filter-all",
        l.classes.into_iter().map(|c| (c.clone(), c)).collect(),
        &input.class,
    );
    let mut chips = Filters::new();
    chips.add_search(tr, "q", &input.q);
    chips.add_select(tr, "classe", "dir-col-class", &classes);
    chips.add_flag(tr, "partis", input.include_left, "dir-include-left");
    chips.add_rows(&dq.lignes);
    let filters = chips.query();
    let keep = format!("&tri={tri}{}", if input.desc { "&ordre=desc" } else { "" });
    let extra = format!("{keep}{filters}");
    let heading = tr.t_args("dir-pupils-title", &[("name", l.etab.name.clone())]);
    Ok(render(&PupilsPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        tabs: tabs(tr, id, "eleves", true),
        action: base.clone(),
        classes,
        rows_per_page: rows_options(&dq.lignes),
        chip_bar: chips.chip_bar(tr, &base, &keep),
        include_left: input.include_left,
        summary: tr.t_args("dir-people-count", &[("count", l.total.to_string())]),
        headers: sort_headers(
            tr,
            &base,
            &filters,
            &tri,
            input.desc,
            &[
                ("nom", "dir-col-name"),
                ("naissance", "dir-col-birth"),
                ("classe", "dir-col-class"),
            ],
        ),
        rows: l.rows.into_iter().map(|r| pupil_view(id, r)).collect(),
        pager: Pager::sized(tr, &base, &extra, input.page, l.total, input.per_page),
        q: input.q,
    }))
}

// ---------------------------------------------------------------- one person

pub struct RelativeView {
    pub href: String,
    pub name: String,
    pub relation: String,
    pub legal: bool,
    pub left: bool,
}

/// One line of the person's card.
pub struct Fact {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "annuaire/person.html")]
struct PersonPage {
    page: Page,
    heading: String,
    tabs: Vec<Tab>,
    kind: String,
    facts: Vec<Fact>,
    provenance: Vec<Fact>,
    relatives_title: String,
    relatives: Vec<RelativeView>,
    show_relatives: bool,
    left: bool,
    /// This person's loans, for those who see the school's loans.
    loans_href: Option<String>,
}

pub async fn person(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, pid)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let p = pages::person(&state.db, &s.ctx, id, pid).await?;
    let m = &p.person;
    let mut facts = vec![];
    let mut fact = |key: &str, value: String| {
        if !value.trim().is_empty() {
            facts.push(Fact {
                label: tr.t(key),
                value,
            });
        }
    };
    fact("dir-col-civility", m.civility.clone().unwrap_or_default());
    fact("dir-col-last-name", m.last_name.clone());
    fact("dir-col-first-name", m.first_name.clone());
    fact(
        "dir-col-birth",
        m.birth_date.as_ref().map(date).unwrap_or_default(),
    );
    fact("dir-col-ine", m.ine.clone().unwrap_or_default());
    fact("dir-col-email", m.email.clone().unwrap_or_default());
    fact("dir-col-functions", p.functions.join(", "));
    fact("dir-col-disciplines", p.disciplines.join(", "));
    fact("dir-col-missions", p.missions.join(", "));
    fact("dir-col-structures", p.structures.join(", "));
    fact("dir-col-class", m.class_code.clone().unwrap_or_default());
    fact("dir-col-groups", p.groups.join(", "));
    fact("dir-col-mef", p.mef.clone().unwrap_or_default());
    fact(
        "dir-col-status",
        if m.status == "left" {
            match &m.left_at {
                Some(t) => tr.t_args("dir-left-on", &[("date", date(&t.date_naive()))]),
                None => tr.t("dir-status-left"),
            }
        } else {
            tr.t("dir-status-active")
        },
    );
    fact("dir-col-account", p.account.clone().unwrap_or_default());
    let provenance = vec![
        Fact {
            label: tr.t("dir-col-source"),
            value: source_label(tr, &m.source),
        },
        Fact {
            label: tr.t("dir-col-file"),
            value: m.source_file.clone(),
        },
        Fact {
            label: tr.t("dir-col-imported"),
            value: fmt_time(tr, &m.imported_at).text(),
        },
    ];
    let relation = |r: &Option<String>| match r.as_deref().map(str::trim) {
        None | Some("") => String::new(),
        Some(code) => {
            let key = format!("dir-relation-{code}");
            if tr.has(&key) {
                tr.t(&key)
            } else {
                code.to_string()
            }
        }
    };
    let relatives = p
        .relatives
        .iter()
        .map(|r| RelativeView {
            href: urls::annuaire_person(id, r.id),
            name: r.name.clone(),
            relation: relation(&r.relation),
            legal: r.legal,
            left: r.left,
        })
        .collect();
    let borrower = match (m.kind.as_str(), m.account_id) {
        ("pupil", _) => Some(format!("pupil:{}", m.id)),
        ("staff", Some(a)) => Some(format!("staff:{a}")),
        _ => None,
    };
    let loans_href = match borrower {
        Some(b) if refnum_services::prets::may_view(&state.db, &s.ctx, id).await? => {
            Some(urls::prets::borrower(id, &b))
        }
        _ => None,
    };
    let heading = format!("{} {}", m.last_name, m.first_name);
    Ok(render(&PersonPage {
        loans_href,
        page: s.shell.page_titled(heading.clone()),
        heading,
        tabs: tabs(
            tr,
            id,
            if m.kind == "staff" {
                "personnels"
            } else {
                "eleves"
            },
            p.rights.pupils,
        ),
        kind: tr.t(&format!("dir-kind-{}", m.kind)),
        facts,
        provenance,
        relatives_title: tr.t(if m.kind == "pupil" {
            "dir-guardians"
        } else {
            "dir-guardian-pupils"
        }),
        show_relatives: m.kind != "staff",
        relatives,
        left: m.status == "left",
    }))
}
