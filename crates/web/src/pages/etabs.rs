use super::filtres::{ChipBar, Filters, rows_options, rows_per_page};
use super::{Opt, Pager, SignedIn, done, enc, render, render_status, role_label};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::urls;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_db::entities::etablissement;
use refnum_db::{Db, accounts, orgs as q};
use refnum_domain::etablissement::EtabKind;
use refnum_domain::policy::{self, Decision, EtabAction};
use refnum_domain::role::Role;
use refnum_services::orgs::{self, EtabInput};
use refnum_services::{ServiceError, people};
use uuid::Uuid;

pub struct EtabRow {
    pub id: Uuid,
    pub name: String,
    pub uai: String,
    pub kind: String,
    pub city: String,
    pub pupils: i32,
}

/// A sortable column header.
pub struct SortHeader {
    pub label: String,
    pub href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    pub aria: &'static str,
}

/// `?q=&sans=referent&tri=&ordre=&lignes=&page=`
#[derive(serde::Deserialize, Default)]
pub struct EtabsQuery {
    page: Option<u64>,
    q: Option<String>,
    tri: Option<String>,
    ordre: Option<String>,
    /// `referent`: only the schools without a digital referent.
    sans: Option<String>,
    /// Rows per page: 25, 50 (default) or 100.
    lignes: Option<String>,
}

#[derive(Template)]
#[template(path = "etab/list.html")]
struct ListPage {
    page: Page,
    q: String,
    without_referent: bool,
    rows_per_page: Vec<Opt>,
    chip_bar: ChipBar,
    summary: String,
    rows: Vec<EtabRow>,
    pager: Pager,
    headers: Vec<SortHeader>,
}

pub async fn list(
    State(state): State<AppState>,
    s: SignedIn,
    Query(lq): Query<EtabsQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let search: String = lq.q.clone().unwrap_or_default().chars().take(100).collect();
    let page_no = lq.page.unwrap_or(1).clamp(1, 100_000);
    let per_page = rows_per_page(&lq.lignes);
    let without_referent = lq.sans.as_deref() == Some("referent");
    let tri = lq.tri.clone().unwrap_or_else(|| "nom".into());
    let sort = match tri.as_str() {
        "uai" => q::EtabSort::Uai,
        "commune" => q::EtabSort::City,
        "eleves" => q::EtabSort::Pupils,
        _ => q::EtabSort::Name,
    };
    let desc = lq.ordre.as_deref() == Some("desc");
    let (rows, total) = q::list_etablissements_sorted(
        &state.db.conn,
        &s.ctx.scope(),
        &q::EtabListFilter {
            search: Some(search.clone()),
            without_role: without_referent.then(|| Role::Referent.as_str().to_string()),
        },
        sort,
        desc,
        (page_no - 1) * per_page,
        per_page,
    )
    .await
    .map_err(ServiceError::from)?;
    let mut chips = Filters::new();
    chips.add_search(tr, "q", &search);
    chips.add(
        "sans",
        if without_referent { "referent" } else { "" },
        without_referent.then(|| tr.t("etabs-filter-without-referent")),
    );
    chips.add_rows(&lq.lignes);
    let filters = chips.query();
    let headers = [
        ("nom", "field-name"),
        ("uai", "field-uai"),
        ("commune", "field-city"),
        ("eleves", "field-pupil-count"),
    ]
    .iter()
    .map(|(key, label)| {
        let active = *key == tri || (tri.is_empty() && *key == "nom");
        let next_desc = active && !desc;
        SortHeader {
            label: tr.t(label),
            href: format!(
                "{}?tri={key}{}{filters}",
                urls::ETABS,
                if next_desc { "&ordre=desc" } else { "" }
            ),
            aria: match (active, desc) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            },
        }
    })
    .collect();
    let keep = format!(
        "&tri={}{}",
        enc(&tri),
        if desc { "&ordre=desc" } else { "" }
    );
    let extra = format!("{keep}{filters}");
    Ok(render(&ListPage {
        page: s.shell.page("etabs-title"),
        summary: tr.t_args("etabs-count", &[("count", total.to_string())]),
        pager: Pager::sized(tr, urls::ETABS, &extra, page_no, total, per_page),
        chip_bar: chips.chip_bar(tr, urls::ETABS, &keep),
        rows_per_page: rows_options(&lq.lignes),
        without_referent,
        headers,
        q: search,
        rows: rows
            .into_iter()
            .map(|e| EtabRow {
                kind: tr.t(&format!("kind-{}", e.kind)),
                id: e.id,
                name: e.name,
                uai: e.uai,
                city: e.city,
                pupils: e.pupil_count,
            })
            .collect(),
    }))
}

#[derive(Template)]
#[template(path = "etab/show.html")]
struct ShowPage {
    page: Page,
    etab: etablissement::Model,
    kind: String,
    academie: String,
    collectivite: String,
    staff_count: Option<u64>,
    can_edit: bool,
    can_people: bool,
    can_audit: bool,
}

pub async fn show(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let db = &state.db;
    let etab = orgs::etab_for(db, &s.ctx, id, EtabAction::View).await?;
    let facts = q::etab_facts(&db.conn, &etab)
        .await
        .map_err(ServiceError::from)?;
    let may = |a| policy::decide(&s.ctx.actor, a, &facts) == Decision::Allow;
    let academie = q::get_academie(&db.conn, etab.academie_id)
        .await
        .map_err(ServiceError::from)?;
    let collectivite = match etab.collectivite_id {
        Some(c) => q::get_collectivite(&db.conn, c)
            .await
            .map_err(ServiceError::from)?,
        None => None,
    };
    let can_people = may(EtabAction::ViewPeople);
    let staff_count = if can_people {
        Some(
            accounts::count_members(&db.conn, id, None)
                .await
                .map_err(ServiceError::from)?,
        )
    } else {
        None
    };
    Ok(render(&ShowPage {
        page: s.shell.page_titled(etab.name.clone()),
        kind: s.shell.tr.t(&format!("kind-{}", etab.kind)),
        academie: academie.map(|a| a.name).unwrap_or_default(),
        collectivite: collectivite
            .map(|c| c.name)
            .unwrap_or_else(|| s.shell.tr.t("none")),
        staff_count,
        can_edit: may(EtabAction::Edit),
        can_people,
        can_audit: may(EtabAction::ReadAudit),
        etab,
    }))
}

#[derive(Template)]
#[template(path = "etab/form.html")]
pub struct EtabFormPage {
    pub page: Page,
    pub heading: String,
    pub action: String,
    pub input: EtabInput,
    pub errors: FormErrors,
    pub kinds: Vec<Opt>,
    pub academies: Vec<Opt>,
    pub collectivites: Vec<Opt>,
}

pub async fn etab_form_page(
    db: &Db,
    tr: Tr,
    page: Page,
    heading: String,
    action: String,
    input: EtabInput,
    errors: FormErrors,
) -> Result<EtabFormPage, PageError> {
    let academies = q::list_academies(&db.conn)
        .await
        .map_err(ServiceError::from)?;
    let collectivites = q::list_collectivites(&db.conn)
        .await
        .map_err(ServiceError::from)?;
    let mut kinds = vec![Opt::new("", tr.t("choose"), &input.kind)];
    kinds.extend(EtabKind::ALL.iter().map(|k| {
        Opt::new(
            k.as_str(),
            tr.t(&format!("kind-{}", k.as_str())),
            &input.kind,
        )
    }));
    let mut ac = vec![Opt::new("", tr.t("choose"), &input.academie_id)];
    ac.extend(
        academies
            .into_iter()
            .map(|a| Opt::new(a.id.to_string(), a.name, &input.academie_id)),
    );
    let mut co = vec![Opt::new("", tr.t("none"), &input.collectivite_id)];
    co.extend(
        collectivites
            .into_iter()
            .map(|c| Opt::new(c.id.to_string(), c.name, &input.collectivite_id)),
    );
    Ok(EtabFormPage {
        page,
        heading,
        action,
        input,
        errors,
        kinds,
        academies: ac,
        collectivites: co,
    })
}

#[derive(serde::Deserialize, Default)]
pub struct EtabForm {
    #[serde(default)]
    pub uai: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub academie_id: String,
    #[serde(default)]
    pub collectivite_id: String,
    #[serde(default)]
    pub pupil_count: String,
}

impl From<EtabForm> for EtabInput {
    fn from(f: EtabForm) -> Self {
        EtabInput {
            uai: f.uai,
            name: f.name,
            kind: f.kind,
            city: f.city,
            academie_id: f.academie_id,
            collectivite_id: f.collectivite_id,
            pupil_count: f.pupil_count,
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let e = orgs::etab_for(&state.db, &s.ctx, id, EtabAction::Edit).await?;
    let input = EtabInput {
        uai: e.uai.clone(),
        name: e.name.clone(),
        kind: e.kind.clone(),
        city: e.city.clone(),
        academie_id: e.academie_id.to_string(),
        collectivite_id: e.collectivite_id.map(|c| c.to_string()).unwrap_or_default(),
        pupil_count: e.pupil_count.to_string(),
    };
    let tr = s.shell.tr;
    let heading = tr.t_args("etab-edit-title", &[("name", e.name.clone())]);
    let p = etab_form_page(
        &state.db,
        tr,
        s.shell.page_titled(heading.clone()),
        heading,
        urls::etab_edit(id),
        input,
        FormErrors::default(),
    )
    .await?;
    Ok(render(&p))
}

pub async fn edit_submit(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<EtabForm>,
) -> Result<Response, PageError> {
    let input: EtabInput = f.into();
    match orgs::update_etablissement(&state.db, &s.ctx, id, &input).await {
        Ok(_) => Ok(done(&urls::etab(id), "enregistre")),
        Err(e) => {
            let tr = s.shell.tr;
            let errors = field_errors(tr, e)?;
            let heading = tr.t("etab-edit");
            let p = etab_form_page(
                &state.db,
                tr,
                s.shell.page_titled(heading.clone()),
                heading,
                urls::etab_edit(id),
                input,
                errors,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub struct RoleView {
    pub value: String,
    pub label: String,
    pub can_revoke: bool,
}

pub struct PersonRow {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub roles: Vec<RoleView>,
}

#[derive(Template)]
#[template(path = "etab/staff.html")]
struct StaffPage {
    page: Page,
    heading: String,
    etab_id: Uuid,
    people: Vec<PersonRow>,
    can_manage: bool,
    errors: FormErrors,
    roles: Vec<Opt>,
    input_email: String,
    input_name: String,
}

#[derive(Default)]
struct StaffFormState {
    errors: FormErrors,
    email: String,
    name: String,
    role: String,
}

async fn staff_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    form: StaffFormState,
) -> Result<StaffPage, PageError> {
    let tr = s.shell.tr;
    let db = &state.db;
    let etab = orgs::etab_for(db, &s.ctx, id, EtabAction::ViewPeople).await?;
    let facts = q::etab_facts(&db.conn, &etab)
        .await
        .map_err(ServiceError::from)?;
    let can_manage =
        policy::decide(&s.ctx.actor, EtabAction::ManageStaff, &facts) == Decision::Allow;
    let members = accounts::members_of_etablissement(&db.conn, id)
        .await
        .map_err(ServiceError::from)?;
    let grantable: Vec<Role> = Role::SCHOOL_ROLES
        .into_iter()
        .filter(|r| {
            policy::decide(&s.ctx.actor, EtabAction::GrantRole(*r), &facts) == Decision::Allow
        })
        .collect();
    let mut roles = vec![Opt::new("", tr.t("choose"), &form.role)];
    roles.extend(
        grantable
            .iter()
            .map(|r| Opt::new(r.as_str(), role_label(tr, r.as_str()), &form.role)),
    );
    let heading = tr.t_args("staff-title", &[("name", etab.name.clone())]);
    Ok(StaffPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        etab_id: id,
        people: members
            .into_iter()
            .map(|(a, rs)| PersonRow {
                id: a.id,
                name: a.display_name,
                email: a.email,
                roles: rs
                    .into_iter()
                    .map(|r| RoleView {
                        can_revoke: Role::parse(&r).is_some_and(|role| grantable.contains(&role)),
                        label: role_label(tr, &r),
                        value: r,
                    })
                    .collect(),
            })
            .collect(),
        can_manage,
        errors: form.errors,
        roles,
        input_email: form.email,
        input_name: form.name,
    })
}

pub async fn staff(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let p = staff_page(&state, &s, id, StaffFormState::default()).await?;
    Ok(render(&p))
}

#[derive(serde::Deserialize)]
pub struct StaffForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

pub async fn staff_add(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<StaffForm>,
) -> Result<Response, PageError> {
    let input = people::StaffInput {
        email: f.email.clone(),
        display_name: f.display_name.clone(),
        role: f.role.clone(),
        password: f.password,
    };
    match people::add_staff(&state.db, &s.ctx, id, &input).await {
        Ok(_) => Ok(done(&urls::etab_staff(id), "personnel-ajoute")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = staff_page(
                &state,
                &s,
                id,
                StaffFormState {
                    errors,
                    email: f.email,
                    name: f.display_name,
                    role: f.role,
                },
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(serde::Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    role: String,
}

pub async fn staff_revoke(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, account_id)): Path<(Uuid, Uuid)>,
    Form(f): Form<RevokeForm>,
) -> Result<Response, PageError> {
    people::revoke_staff_role(&state.db, &s.ctx, id, account_id, &f.role).await?;
    Ok(done(&urls::etab_staff(id), "role-retire"))
}

/// Streams the log as CSV (oldest first), a batch at a time.
pub fn audit_csv(db: refnum_db::Db, tr: Tr, etab: Option<Uuid>, filename: String) -> Response {
    use axum::body::{Body, Bytes};
    use axum::http::header;
    use axum::response::IntoResponse;
    struct St {
        db: refnum_db::Db,
        etab: Option<Uuid>,
        after: i64,
        started: bool,
        done: bool,
    }
    let header_cells = [
        "#".to_string(),
        tr.t("audit-when"),
        tr.t("audit-who"),
        tr.t("audit-action"),
        tr.t("audit-target"),
        tr.t("audit-outcome"),
        tr.t("audit-details"),
        tr.t("audit-hash"),
    ];
    let head = refnum_io::csv_export::line(&header_cells).unwrap_or_default();
    let st = St {
        db,
        etab,
        after: 0,
        started: false,
        done: false,
    };
    let stream = futures_util::stream::unfold(st, move |mut st| {
        let head = head.clone();
        async move {
            if st.done {
                return None;
            }
            if !st.started {
                st.started = true;
                let mut first = refnum_io::csv_export::BOM.as_bytes().to_vec();
                first.extend_from_slice(&head);
                return Some((Ok::<Bytes, std::io::Error>(Bytes::from(first)), st));
            }
            match refnum_db::audit::batch_after_in(&st.db.conn, st.etab, st.after, 500).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let mut out = Vec::with_capacity(rows.len() * 160);
                    for r in &rows {
                        let cells = [
                            r.seq.to_string(),
                            refnum_db::audit::canonical_time(&r.occurred_at),
                            r.actor_label.clone(),
                            r.action.clone(),
                            r.target.clone(),
                            r.outcome.clone(),
                            r.details.clone(),
                            r.hash.clone(),
                        ];
                        out.extend(refnum_io::csv_export::line(&cells).unwrap_or_default());
                    }
                    st.after = rows.last().map(|r| r.seq).unwrap_or(st.after);
                    Some((Ok(Bytes::from(out)), st))
                }
                Err(e) => {
                    tracing::error!(error = %e, "audit export failed");
                    st.done = true;
                    Some((Err(std::io::Error::other("export failed")), st))
                }
            }
        }
    });
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

pub async fn audit_export(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let etab = orgs::etab_for(&state.db, &s.ctx, id, EtabAction::ReadAudit).await?;
    Ok(audit_csv(
        state.db.clone(),
        s.shell.tr,
        Some(etab.id),
        format!("journal-{}.csv", etab.uai),
    ))
}
