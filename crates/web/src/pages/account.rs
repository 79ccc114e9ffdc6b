use super::{SignedIn, When, done, fmt_time, render, render_status, role_label};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::session::SessionState;
use crate::urls;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use refnum_db::{Db, accounts, orgs};
use refnum_domain::role::{Membership, ScopeRef};
use refnum_services::{ServiceError, auth, tokens};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "account/index.html")]
struct AccountPage {
    page: Page,
    name: String,
    email: String,
    memberships: Vec<(String, String)>,
}

/// A scope, in words.
pub async fn describe_scope(db: &Db, tr: Tr, scope: ScopeRef) -> Result<String, ServiceError> {
    Ok(match scope {
        ScopeRef::Instance => tr.t("scope-instance"),
        ScopeRef::Etablissement(id) => orgs::get_etablissement(&db.conn, id)
            .await?
            .map(|e| format!("{} ({})", e.name, e.uai))
            .unwrap_or_default(),
        ScopeRef::Academie(id) => orgs::get_academie(&db.conn, id)
            .await?
            .map(|a| a.name)
            .unwrap_or_default(),
        ScopeRef::Collectivite(id) => orgs::get_collectivite(&db.conn, id)
            .await?
            .map(|c| c.name)
            .unwrap_or_default(),
        ScopeRef::Organisation(id) => orgs::list_organisations(&db.conn)
            .await?
            .into_iter()
            .find(|o| o.id == id)
            .map(|o| o.name)
            .unwrap_or_default(),
    })
}

/// Role and scope of each membership, in words.
pub async fn describe_memberships(
    db: &Db,
    tr: Tr,
    ms: &[Membership],
) -> Result<Vec<(String, String)>, ServiceError> {
    let mut out = vec![];
    for m in ms {
        out.push((
            role_label(tr, m.role.as_str()),
            describe_scope(db, tr, m.scope).await?,
        ));
    }
    Ok(out)
}

pub async fn index(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    let memberships = describe_memberships(&state.db, s.shell.tr, &s.ctx.actor.memberships).await?;
    Ok(render(&AccountPage {
        page: s.shell.page("account-title"),
        name: s.ctx.account.display_name.clone(),
        email: s.ctx.account.email.clone(),
        memberships,
    }))
}

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    page: Page,
    errors: FormErrors,
}

pub async fn password_form(s: SignedIn) -> Response {
    render(&PasswordPage {
        page: s.shell.page("password-title"),
        errors: FormErrors::default(),
    })
}

#[derive(serde::Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn password_submit(
    State(state): State<AppState>,
    s: SignedIn,
    Extension(st): Extension<SessionState>,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let keep = st
        .session
        .as_ref()
        .map(|x| x.token_hash.clone())
        .unwrap_or_default();
    match auth::change_password(
        &state.db,
        &s.ctx.account,
        &f.current_password,
        &f.new_password,
        &keep,
        &state.config.auth,
    )
    .await
    {
        Ok(()) => Ok(done(urls::ACCOUNT, "mot-de-passe")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &PasswordPage {
                    page: s.shell.page("password-title"),
                    errors,
                },
            ))
        }
    }
}

pub struct TokenRow {
    pub id: Uuid,
    pub name: String,
    pub prefix: String,
    pub created: When,
    pub last_used: When,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "account/tokens.html")]
struct TokensPage {
    page: Page,
    errors: FormErrors,
    tokens: Vec<TokenRow>,
    new_secret: Option<String>,
}

async fn tokens_page(
    state: &AppState,
    s: &SignedIn,
    errors: FormErrors,
    new_secret: Option<String>,
) -> Result<TokensPage, PageError> {
    let tr = s.shell.tr;
    let rows = accounts::tokens_of(&state.db.conn, s.ctx.account.id)
        .await
        .map_err(ServiceError::from)?;
    Ok(TokensPage {
        page: s.shell.page("tokens-title"),
        errors,
        new_secret,
        tokens: rows
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                name: t.name,
                prefix: t.prefix,
                created: fmt_time(tr, &t.created_at),
                last_used: crate::time::When::or(tr, t.last_used_at.as_ref(), tr.t("never")),
                revoked: t.revoked_at.is_some(),
            })
            .collect(),
    })
}

pub async fn tokens(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    Ok(render(
        &tokens_page(&state, &s, FormErrors::default(), None).await?,
    ))
}

#[derive(serde::Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub async fn token_create(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<TokenForm>,
) -> Result<Response, PageError> {
    match tokens::create(&state.db, &s.ctx.account, &f.name).await {
        // The secret is shown once, in this response; never in a URL.
        Ok((secret, _)) => Ok(render(
            &tokens_page(&state, &s, FormErrors::default(), Some(secret)).await?,
        )),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = tokens_page(&state, &s, errors, None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub async fn token_revoke(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    tokens::revoke(&state.db, &s.ctx.account, id).await?;
    Ok(done(urls::TOKENS, "jeton-revoque"))
}

#[derive(serde::Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    etablissement_id: String,
}

pub async fn switch_school(
    State(state): State<AppState>,
    s: SignedIn,
    Extension(st): Extension<SessionState>,
    Form(f): Form<SwitchForm>,
) -> Result<Response, PageError> {
    let id = Uuid::parse_str(f.etablissement_id.trim()).map_err(|_| PageError::NotFound)?;
    let sess = st.session.as_ref().ok_or(PageError::NotFound)?;
    auth::switch_school(&state.db, &s.ctx, sess, id).await?;
    Ok(Redirect::to(urls::HOME).into_response())
}
