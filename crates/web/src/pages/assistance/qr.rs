//! `/q/{token}`: the QR label of an asset. Staff who may see the parc go
//! to the asset's page; anyone else gets a short, phone-friendly fault
//! form that needs no account. The thank-you page shows the ticket's
//! receipt code and nothing else about the school.

use super::flag;
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::page::{Page, Shell};
use crate::pages::{render, render_status};
use crate::session::ClientAddr;
use crate::urls;
use askama::Template;
use axum::Form;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use refnum_services::assistance::qr::{self, QrInput, QrLimits, QrOutcome, QrTarget};

#[derive(Template)]
#[template(path = "assistance/qr_form.html")]
struct QrFormPage {
    page: Page,
    action: String,
    reporter: String,
    what: String,
    contact: String,
    unusable: bool,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "assistance/qr_done.html")]
struct QrDonePage {
    page: Page,
    heading: String,
    message: String,
}

#[derive(serde::Deserialize, Default)]
pub struct QrForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    contact: String,
    unusable: Option<String>,
}

pub async fn open(
    State(state): State<AppState>,
    shell: Shell,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    match qr::open(&state.db, shell.ctx.as_ref(), &token).await? {
        QrTarget::AssetPage { etab_id, asset_id } => {
            Ok(Redirect::to(&super::asset_page(etab_id, asset_id)).into_response())
        }
        QrTarget::Form => {
            let p = QrFormPage {
                page: shell.page("ticket-qr-title"),
                action: urls::assistance::qr(&token),
                reporter: shell
                    .ctx
                    .as_ref()
                    .map(|c| c.account.display_name.clone())
                    .unwrap_or_default(),
                what: String::new(),
                contact: String::new(),
                unusable: false,
                errors: FormErrors::default(),
            };
            Ok(render(&p))
        }
    }
}

pub async fn submit(
    State(state): State<AppState>,
    shell: Shell,
    Extension(addr): Extension<ClientAddr>,
    Path(token): Path<String>,
    Form(f): Form<QrForm>,
) -> Result<Response, PageError> {
    let input = QrInput {
        name: f.name,
        what: f.what,
        unusable: flag(&f.unusable),
        contact: f.contact,
    };
    let tr = shell.tr;
    match qr::report(&state.db, &token, &input, &addr.0, QrLimits::default()).await {
        Ok(QrOutcome::Created { receipt }) => {
            let p = QrDonePage {
                page: shell.page("ticket-qr-thanks-title"),
                heading: tr.t("ticket-qr-thanks-title"),
                message: tr.t_args("ticket-qr-thanks-text", &[("receipt", receipt)]),
            };
            Ok(render(&p))
        }
        Ok(QrOutcome::Throttled) => {
            let p = QrDonePage {
                page: shell.page("ticket-qr-throttled-title"),
                heading: tr.t("ticket-qr-throttled-title"),
                message: tr.t("ticket-qr-throttled-text"),
            };
            Ok(render_status(StatusCode::TOO_MANY_REQUESTS, &p))
        }
        Err(e) => {
            let errors = field_errors(tr, e)?;
            let p = QrFormPage {
                page: shell.page("ticket-qr-title"),
                action: urls::assistance::qr(&token),
                reporter: input.name,
                what: input.what,
                contact: input.contact,
                unusable: input.unusable,
                errors,
            };
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
