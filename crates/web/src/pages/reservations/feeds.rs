//! iCalendar feeds: created and revoked from a resource's week and from
//! "my bookings" (the secret URL shown once, in the creating response), and
//! served without a session at a secret path that is never logged (see
//! `urls::reservations::redact_path`).

use super::path_id;
use crate::AppState;
use crate::errors::PageError;
use crate::i18n::{Lang, Tr};
use crate::page::Page;
use crate::pages::{SignedIn, done, fmt_time, render};
use crate::urls::reservations as urls;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use refnum_services::ServiceError;
use refnum_services::reservations::feeds::{self, CalendarOf, FeedTarget};
use uuid::Uuid;

/// The feed box of the week and "my bookings" pages.
pub struct FeedBox {
    /// When the live feed was created, if there is one.
    pub created: Option<crate::time::When>,
    pub create_action: String,
    pub revoke_action: String,
}

pub async fn feed_box(
    state: &AppState,
    s: &SignedIn,
    etab: Uuid,
    target: FeedTarget,
) -> Result<FeedBox, PageError> {
    let created = feeds::live(&state.db, &s.ctx, etab, target).await?;
    Ok(feed_box_of(s, etab, target, created))
}

/// The box, the caller's live feed already known.
pub fn feed_box_of(
    s: &SignedIn,
    etab: Uuid,
    target: FeedTarget,
    created: Option<chrono::DateTime<chrono::Utc>>,
) -> FeedBox {
    let (create_action, revoke_action) = match target {
        FeedTarget::Resource(r) => (
            urls::resource_feed(etab, r),
            urls::resource_feed_revoke(etab, r),
        ),
        FeedTarget::Mine => (urls::my_feed(etab), urls::my_feed_revoke(etab)),
    };
    FeedBox {
        created: created.as_ref().map(|t| fmt_time(s.shell.tr, t)),
        create_action,
        revoke_action,
    }
}

#[derive(Template)]
#[template(path = "reservations/feed_created.html")]
struct CreatedPage {
    page: Page,
    heading: String,
    url: String,
    back: String,
}

async fn created(
    state: &AppState,
    s: SignedIn,
    headers: &HeaderMap,
    etab: Uuid,
    target: FeedTarget,
    back: String,
) -> Result<Response, PageError> {
    let secret = feeds::create(&state.db, &s.ctx, etab, target).await?;
    let heading = s.shell.tr.t("resa-feed-created-title");
    // Shown once, in this response (never in a redirect's URL).
    let url = format!(
        "{}{}",
        crate::pages::parc::fichiers::origin(state, headers),
        urls::feed(&secret)
    );
    Ok(render(&CreatedPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        url,
        back,
    }))
}

pub async fn resource_create(
    State(state): State<AppState>,
    s: SignedIn,
    headers: HeaderMap,
    Path((id, rid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    let back = urls::resource(id, rid);
    created(&state, s, &headers, id, FeedTarget::Resource(rid), back).await
}

pub async fn resource_revoke(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    feeds::revoke(&state.db, &s.ctx, id, FeedTarget::Resource(rid)).await?;
    Ok(done(&urls::resource(id, rid), "resa-feed-revoked"))
}

pub async fn mine_create(
    State(state): State<AppState>,
    s: SignedIn,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    created(&state, s, &headers, id, FeedTarget::Mine, urls::mine(id)).await
}

pub async fn mine_revoke(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    feeds::revoke(&state.db, &s.ctx, id, FeedTarget::Mine).await?;
    Ok(done(&urls::mine(id), "resa-feed-revoked"))
}

fn feed_headers(res: &mut Response) {
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

/// The feed itself, for calendar clients: no session. An unknown or revoked
/// token, or a creator who may no longer see it, all answer the same 404.
pub async fn serve(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let mut res = match feeds::calendar(&state.db, &token).await {
        Ok(cal) => {
            // Calendar clients have no language: the school's, French.
            let tr = Tr(Lang::Fr);
            let name = match &cal.of {
                CalendarOf::Resource { name } => {
                    tr.t_args("resa-feed-calname-resource", &[("name", name.clone())])
                }
                CalendarOf::Person { name } => {
                    tr.t_args("resa-feed-calname-person", &[("name", name.clone())])
                }
            };
            (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/calendar; charset=utf-8"),
                )],
                refnum_io::ical_feed::write_calendar(&name, &cal.events),
            )
                .into_response()
        }
        Err(ServiceError::NotFound) => (
            StatusCode::NOT_FOUND,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            )],
            "Not found\n",
        )
            .into_response(),
        Err(ServiceError::Unavailable(e)) => {
            tracing::warn!(error = %e, "booking feed: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/plain; charset=utf-8"),
                    ),
                    (
                        header::RETRY_AFTER,
                        HeaderValue::from(crate::errors::RETRY_AFTER_SECONDS),
                    ),
                ],
                "Service unavailable\n",
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "booking feed failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                )],
                "Internal error\n",
            )
                .into_response()
        }
    };
    feed_headers(&mut res);
    res
}
