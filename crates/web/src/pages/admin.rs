use super::account::describe_scope;
use super::etabs::{EtabForm, etab_form_page};
use super::{
    ListQuery, Opt, PAGE_SIZE, Pager, SignedIn, Stat, done, enc, render, render_status, role_label,
};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::urls;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_db::entities::{academie, account};
use refnum_db::{accounts, orgs as q};
use refnum_domain::etablissement::CollectiviteKind;
use refnum_domain::role::{Membership, Role, ScopeRef};
use refnum_services::ServiceError;
use refnum_services::audit::Who;
use refnum_services::orgs::{self, AcademieInput, CollectiviteInput, EtabInput, require_admin};
use refnum_services::people::{self, AccountInput};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexPage {
    page: Page,
    stats: Vec<Stat>,
}

pub async fn index(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin").await?;
    let tr = s.shell.tr;
    let c = &state.db.conn;
    let academies = q::list_academies(c)
        .await
        .map_err(ServiceError::from)?
        .len();
    let collectivites = q::list_collectivites(c)
        .await
        .map_err(ServiceError::from)?
        .len();
    let etabs = q::count_etablissements(c, &s.ctx.scope())
        .await
        .map_err(ServiceError::from)?;
    let accs = accounts::count_all(c).await.map_err(ServiceError::from)?;
    let orgs_count = q::list_organisations(c)
        .await
        .map_err(ServiceError::from)?
        .len();
    let stat = |v: String, label: &str, href: &str| Stat {
        value: v,
        label: tr.t(label),
        href: Some(href.to_string()),
        link: tr.t("manage"),
    };
    Ok(render(&IndexPage {
        page: s.shell.page("admin-title"),
        stats: vec![
            stat(
                academies.to_string(),
                "stat-academies",
                urls::ADMIN_ACADEMIES,
            ),
            stat(
                collectivites.to_string(),
                "stat-collectivites",
                urls::ADMIN_COLLECTIVITES,
            ),
            stat(etabs.to_string(), "stat-etablissements", urls::ETABS),
            stat(accs.to_string(), "stat-accounts", urls::ADMIN_ACCOUNTS),
            stat(
                orgs_count.to_string(),
                "stat-organisations",
                "/admin/organisations",
            ),
        ],
    }))
}

#[derive(Template)]
#[template(path = "admin/academies.html")]
struct AcademiesPage {
    page: Page,
    rows: Vec<academie::Model>,
    errors: FormErrors,
    input_code: String,
    input_name: String,
}

async fn academies_page(
    state: &AppState,
    s: &SignedIn,
    errors: FormErrors,
    code: String,
    name: String,
) -> Result<AcademiesPage, PageError> {
    let rows = q::list_academies(&state.db.conn)
        .await
        .map_err(ServiceError::from)?;
    Ok(AcademiesPage {
        page: s.shell.page("academies-title"),
        rows,
        errors,
        input_code: code,
        input_name: name,
    })
}

pub async fn academies(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin.academies").await?;
    Ok(render(
        &academies_page(
            &state,
            &s,
            FormErrors::default(),
            String::new(),
            String::new(),
        )
        .await?,
    ))
}

#[derive(serde::Deserialize)]
pub struct AcademieForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
}

pub async fn academie_create(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<AcademieForm>,
) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin.academies").await?;
    let input = AcademieInput {
        code: f.code.clone(),
        name: f.name.clone(),
    };
    match orgs::create_academie(&state.db, &Who::of(&s.ctx), &input).await {
        Ok(_) => Ok(done(urls::ADMIN_ACADEMIES, "cree")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = academies_page(&state, &s, errors, f.code, f.name).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(Template)]
#[template(path = "admin/collectivites.html")]
struct CollectivitesPage {
    page: Page,
    rows: Vec<(String, String)>,
    errors: FormErrors,
    kinds: Vec<Opt>,
    academies: Vec<Opt>,
    input_name: String,
}

async fn collectivites_page(
    state: &AppState,
    s: &SignedIn,
    errors: FormErrors,
    input: CollectiviteInput,
) -> Result<CollectivitesPage, PageError> {
    let tr = s.shell.tr;
    let rows = q::list_collectivites(&state.db.conn)
        .await
        .map_err(ServiceError::from)?;
    let acs = q::list_academies(&state.db.conn)
        .await
        .map_err(ServiceError::from)?;
    let mut kinds = vec![Opt::new("", tr.t("choose"), &input.kind)];
    kinds.extend(CollectiviteKind::ALL.iter().map(|k| {
        Opt::new(
            k.as_str(),
            tr.t(&format!("coll-{}", k.as_str())),
            &input.kind,
        )
    }));
    let mut academies = vec![Opt::new("", tr.t("none"), &input.academie_id)];
    academies.extend(
        acs.into_iter()
            .map(|a| Opt::new(a.id.to_string(), a.name, &input.academie_id)),
    );
    Ok(CollectivitesPage {
        page: s.shell.page("collectivites-title"),
        rows: rows
            .into_iter()
            .map(|c| (c.name, tr.t(&format!("coll-{}", c.kind))))
            .collect(),
        errors,
        kinds,
        academies,
        input_name: input.name,
    })
}

pub async fn collectivites(
    State(state): State<AppState>,
    s: SignedIn,
) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin.collectivites").await?;
    Ok(render(
        &collectivites_page(
            &state,
            &s,
            FormErrors::default(),
            CollectiviteInput::default(),
        )
        .await?,
    ))
}

#[derive(serde::Deserialize)]
pub struct CollectiviteForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    academie_id: String,
}

pub async fn collectivite_create(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<CollectiviteForm>,
) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin.collectivites").await?;
    let input = CollectiviteInput {
        kind: f.kind,
        name: f.name,
        academie_id: f.academie_id,
    };
    match orgs::create_collectivite(&state.db, &Who::of(&s.ctx), &input).await {
        Ok(_) => Ok(done(urls::ADMIN_COLLECTIVITES, "cree")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = collectivites_page(&state, &s, errors, input).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub async fn etab_new(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin.etablissements").await?;
    let tr = s.shell.tr;
    let heading = tr.t("admin-new-etab");
    let p = etab_form_page(
        &state.db,
        tr,
        s.shell.page_titled(heading.clone()),
        heading,
        urls::ADMIN_ETABS.to_string(),
        EtabInput::default(),
        FormErrors::default(),
    )
    .await?;
    Ok(render(&p))
}

pub async fn etab_create(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<EtabForm>,
) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin.etablissements").await?;
    let input: EtabInput = f.into();
    match orgs::create_etablissement(&state.db, &Who::of(&s.ctx), &input).await {
        Ok(e) => Ok(done(&urls::etab(e.id), "cree")),
        Err(e) => {
            let tr = s.shell.tr;
            let errors = field_errors(tr, e)?;
            let heading = tr.t("admin-new-etab");
            let p = etab_form_page(
                &state.db,
                tr,
                s.shell.page_titled(heading.clone()),
                heading,
                urls::ADMIN_ETABS.to_string(),
                input,
                errors,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(Template)]
#[template(path = "admin/accounts.html")]
struct AccountsPage {
    page: Page,
    q: String,
    summary: String,
    rows: Vec<account::Model>,
    pager: Pager,
    errors: FormErrors,
    input_email: String,
    input_name: String,
}

async fn accounts_page(
    state: &AppState,
    s: &SignedIn,
    lq: &ListQuery,
    errors: FormErrors,
    email: String,
    name: String,
) -> Result<AccountsPage, PageError> {
    let tr = s.shell.tr;
    let search = lq.q();
    let (rows, total) = accounts::list(&state.db.conn, Some(&search), lq.offset(), PAGE_SIZE)
        .await
        .map_err(ServiceError::from)?;
    Ok(AccountsPage {
        page: s.shell.page("accounts-title"),
        summary: tr.t_args("accounts-count", &[("count", total.to_string())]),
        pager: Pager::new(
            tr,
            urls::ADMIN_ACCOUNTS,
            &format!("&q={}", enc(&search)),
            lq.page(),
            total,
        ),
        q: search,
        rows,
        errors,
        input_email: email,
        input_name: name,
    })
}

pub async fn accounts(
    State(state): State<AppState>,
    s: SignedIn,
    Query(lq): Query<ListQuery>,
) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin.accounts").await?;
    Ok(render(
        &accounts_page(
            &state,
            &s,
            &lq,
            FormErrors::default(),
            String::new(),
            String::new(),
        )
        .await?,
    ))
}

#[derive(serde::Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

pub async fn account_create(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<AccountForm>,
) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin.accounts").await?;
    let input = AccountInput {
        email: f.email.clone(),
        display_name: f.display_name.clone(),
        password: f.password,
    };
    match people::create_account(&state.db, &Who::of(&s.ctx), &input).await {
        Ok(a) => Ok(done(&urls::admin_account(a.id), "cree")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = accounts_page(
                &state,
                &s,
                &ListQuery::default(),
                errors,
                f.email,
                f.display_name,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub struct MembershipRow {
    pub id: Uuid,
    pub role: String,
    pub scope: String,
}

#[derive(Template)]
#[template(path = "admin/account.html")]
struct AccountPage {
    page: Page,
    account: account::Model,
    memberships: Vec<MembershipRow>,
    errors: FormErrors,
    roles: Vec<Opt>,
    scopes: Vec<Opt>,
}

async fn account_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    errors: FormErrors,
) -> Result<AccountPage, PageError> {
    let tr = s.shell.tr;
    let c = &state.db.conn;
    let acc = accounts::get(c, id)
        .await
        .map_err(ServiceError::from)?
        .ok_or(PageError::NotFound)?;
    let rows = accounts::memberships_of(c, id)
        .await
        .map_err(ServiceError::from)?;
    let mut memberships = vec![];
    for r in rows {
        let Some(scope) = ScopeRef::parse_key(&r.scope_key) else {
            continue;
        };
        memberships.push(MembershipRow {
            id: r.id,
            role: role_label(tr, &r.role),
            scope: describe_scope(&state.db, tr, scope).await?,
        });
    }
    let mut roles = vec![Opt::new("", tr.t("choose"), "")];
    roles.extend(
        Role::ALL
            .iter()
            .map(|r| Opt::new(r.as_str(), role_label(tr, r.as_str()), "")),
    );
    let mut scopes = vec![
        Opt::new("", tr.t("choose"), ""),
        Opt::new("instance", tr.t("scope-instance"), ""),
    ];
    for a in q::list_academies(c).await.map_err(ServiceError::from)? {
        scopes.push(Opt::new(
            ScopeRef::Academie(a.id).key(),
            format!("{} — {}", tr.t("scope-academie"), a.name),
            "",
        ));
    }
    for co in q::list_collectivites(c).await.map_err(ServiceError::from)? {
        scopes.push(Opt::new(
            ScopeRef::Collectivite(co.id).key(),
            format!("{} — {}", tr.t("scope-collectivite"), co.name),
            "",
        ));
    }
    for o in q::list_organisations(c).await.map_err(ServiceError::from)? {
        scopes.push(Opt::new(
            ScopeRef::Organisation(o.id).key(),
            format!("{} — {}", tr.t("scope-organisation"), o.name),
            "",
        ));
    }
    let (etabs, _) = q::list_etablissements(c, &s.ctx.scope(), None, 0, 1000)
        .await
        .map_err(ServiceError::from)?;
    for e in etabs {
        scopes.push(Opt::new(
            ScopeRef::Etablissement(e.id).key(),
            format!("{} — {} ({})", tr.t("scope-etablissement"), e.name, e.uai),
            "",
        ));
    }
    Ok(AccountPage {
        page: s.shell.page_titled(acc.display_name.clone()),
        account: acc,
        memberships,
        errors,
        roles,
        scopes,
    })
}

pub async fn account(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin.accounts").await?;
    Ok(render(
        &account_page(&state, &s, id, FormErrors::default()).await?,
    ))
}

#[derive(serde::Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
}

pub async fn account_grant(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<GrantForm>,
) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin.accounts").await?;
    let tr = s.shell.tr;
    let role = Role::parse(&f.role);
    let scope = ScopeRef::parse_key(&f.scope);
    let membership = match (role, scope) {
        (Some(r), Some(sc)) => Membership::new(r, sc)
            .map_err(|_| FormErrors::one(tr, "scope", "error-role-scope-mismatch")),
        (None, _) => Err(FormErrors::one(tr, "role", "error-choice")),
        (_, None) => Err(FormErrors::one(tr, "scope", "error-choice")),
    };
    match membership {
        Ok(m) => {
            people::admin_grant(&state.db, &s.ctx, id, m).await?;
            Ok(done(&urls::admin_account(id), "role-ajoute"))
        }
        Err(errors) => {
            let p = account_page(&state, &s, id, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

async fn set_disabled(
    state: AppState,
    s: SignedIn,
    id: Uuid,
    disabled: bool,
) -> Result<Response, PageError> {
    let res = people::admin_set_disabled(&state.db, &s.ctx, id, disabled)
        .await
        .map(|_| ());
    let flash = if disabled {
        "compte-desactive"
    } else {
        "compte-active"
    };
    after_account_change(&state, &s, id, res, flash).await
}

/// Back to the account page: with a message, or with the field errors.
async fn after_account_change(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    res: Result<(), ServiceError>,
    flash: &str,
) -> Result<Response, PageError> {
    match res {
        Ok(()) => Ok(done(&urls::admin_account(id), flash)),
        Err(ServiceError::Invalid(errs)) => {
            let errors = FormErrors::from_fields(s.shell.tr, &errs);
            let p = account_page(state, s, id, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn account_disable(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    set_disabled(state, s, id, true).await
}

pub async fn account_enable(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    set_disabled(state, s, id, false).await
}

#[derive(serde::Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    membership_id: String,
}

pub async fn account_revoke(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<RevokeForm>,
) -> Result<Response, PageError> {
    let mid = Uuid::parse_str(f.membership_id.trim()).map_err(|_| PageError::NotFound)?;
    let res = people::admin_revoke(&state.db, &s.ctx, id, mid).await;
    after_account_change(&state, &s, id, res, "role-retire").await
}

pub async fn audit_export(
    State(state): State<AppState>,
    s: SignedIn,
) -> Result<Response, PageError> {
    orgs::require_admin(&state.db, &s.ctx, "admin.audit").await?;
    Ok(super::etabs::audit_csv(
        state.db.clone(),
        s.shell.tr,
        None,
        "journal-instance.csv".into(),
    ))
}

#[derive(Template)]
#[template(path = "admin/organisations.html")]
struct OrganisationsPage {
    page: Page,
    heading: String,
    form_heading: String,
    action: String,
    rows: Vec<(Uuid, String, String)>,
    errors: FormErrors,
    input_name: String,
    schools: Vec<Opt>,
}

async fn organisations_page(
    state: &AppState,
    s: &SignedIn,
    editing: Option<Uuid>,
    errors: FormErrors,
    name: Option<String>,
    serves: Option<Vec<String>>,
) -> Result<OrganisationsPage, PageError> {
    let tr = s.shell.tr;
    let c = &state.db.conn;
    let orgs_list = q::list_organisations(c).await.map_err(ServiceError::from)?;
    let (etabs, _) = q::list_etablissements(c, &s.ctx.scope(), None, 0, 10_000)
        .await
        .map_err(ServiceError::from)?;
    let mut rows = vec![];
    for o in &orgs_list {
        let served = q::served_by(c, o.id).await.map_err(ServiceError::from)?;
        let names: Vec<String> = etabs
            .iter()
            .filter(|e| served.contains(&e.id))
            .map(|e| e.name.clone())
            .collect();
        rows.push((o.id, o.name.clone(), names.join(", ")));
    }
    let (current_name, current_serves) = match editing {
        Some(id) => {
            let o = orgs_list
                .iter()
                .find(|o| o.id == id)
                .ok_or(PageError::NotFound)?;
            let served = q::served_by(c, id).await.map_err(ServiceError::from)?;
            (
                o.name.clone(),
                served.iter().map(Uuid::to_string).collect::<Vec<_>>(),
            )
        }
        None => (String::new(), vec![]),
    };
    let serves = serves.unwrap_or(current_serves);
    let schools = etabs
        .iter()
        .map(|e| Opt {
            value: e.id.to_string(),
            label: format!("{} ({})", e.name, e.uai),
            selected: serves.contains(&e.id.to_string()),
        })
        .collect();
    let (heading, form_heading, action) = match editing {
        Some(id) => (
            tr.t("organisations-title"),
            tr.t("organisations-edit"),
            format!("/admin/organisations/{id}"),
        ),
        None => (
            tr.t("organisations-title"),
            tr.t("organisations-new"),
            "/admin/organisations".to_string(),
        ),
    };
    Ok(OrganisationsPage {
        page: s.shell.page("organisations-title"),
        heading,
        form_heading,
        action,
        rows,
        errors,
        input_name: name.unwrap_or(current_name),
        schools,
    })
}

pub async fn organisations(
    State(state): State<AppState>,
    s: SignedIn,
) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin.organisations").await?;
    Ok(render(
        &organisations_page(&state, &s, None, FormErrors::default(), None, None).await?,
    ))
}

pub async fn organisation(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    require_admin(&state.db, &s.ctx, "admin.organisations").await?;
    Ok(render(
        &organisations_page(&state, &s, Some(id), FormErrors::default(), None, None).await?,
    ))
}

async fn save_organisation(
    state: AppState,
    s: SignedIn,
    id: Option<Uuid>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let pairs = crate::session::form_urlencoded_pairs(&body);
    let name = pairs
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let serves: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "serves")
        .map(|(_, v)| v.clone())
        .collect();
    match orgs::save_organisation(&state.db, &s.ctx, id, &name, &serves).await {
        Ok(_) => Ok(done("/admin/organisations", "enregistre")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = organisations_page(&state, &s, id, errors, Some(name), Some(serves)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub async fn organisation_create(
    State(state): State<AppState>,
    s: SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    save_organisation(state, s, None, body).await
}

pub async fn organisation_update(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    save_organisation(state, s, Some(id), body).await
}
