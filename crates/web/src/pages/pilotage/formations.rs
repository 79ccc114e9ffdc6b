//! The school's training plan: the year's offer with the caller's needs
//! and registrations (and, for those who run it, every need and the counts
//! per theme, discipline and teacher), the new session, one session
//! (registration, attendance, feedback, changes, cancellation) and the
//! themes. The forms are shown to whom they are for; the services decide.
//! One file per page family: `annee`, `session`, `themes`.

use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use crate::pages::Opt;
use axum::Router;
use axum::routing::{get, post};
use chrono::NaiveDate;
use refnum_db::entities::pilotage::formation_theme as theme;
use refnum_domain::pilotage::formations::{Modality, SessionKind};
use refnum_services::pilotage::formations::SessionInput;
use uuid::Uuid;

mod annee;
mod session;
mod themes;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/etablissements/{id}/pilotage/formations",
            get(annee::year_page),
        )
        .route(
            "/etablissements/{id}/pilotage/formations/besoins",
            post(annee::need_state),
        )
        .route(
            "/etablissements/{id}/pilotage/formations/themes",
            get(themes::themes_page).post(themes::theme_add),
        )
        .route(
            "/etablissements/{id}/pilotage/formations/themes/{tid}/etat",
            post(themes::theme_state),
        )
        .route(
            "/etablissements/{id}/pilotage/formations/sessions/nouvelle",
            get(session::session_new).post(session::session_create),
        )
        .route(
            "/etablissements/{id}/pilotage/formations/sessions/{sid}",
            get(session::session_page).post(session::session_update),
        )
        .route(
            "/etablissements/{id}/pilotage/formations/sessions/{sid}/inscription",
            post(session::register),
        )
        .route(
            "/etablissements/{id}/pilotage/formations/sessions/{sid}/desinscription",
            post(session::unregister),
        )
        .route(
            "/etablissements/{id}/pilotage/formations/sessions/{sid}/presences",
            post(session::attendance),
        )
        .route(
            "/etablissements/{id}/pilotage/formations/sessions/{sid}/avis",
            post(session::feedback),
        )
        .route(
            "/etablissements/{id}/pilotage/formations/sessions/{sid}/annulation",
            post(session::cancel),
        )
}

/// An id from the path: anything else is not found.
fn path_id(s: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(s).map_err(|_| PageError::NotFound)
}

fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The label of a code: `pilotage-formation-<prefix>-<code>`.
fn label(tr: Tr, prefix: &str, code: &str) -> String {
    tr.t(&format!(
        "pilotage-formation-{prefix}-{}",
        code.replace('_', "-")
    ))
}

/// A session's form.
#[derive(serde::Deserialize, Default, Clone)]
pub struct SessionForm {
    #[serde(default)]
    school_year: String,
    #[serde(default)]
    theme_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    leader_account_id: String,
    #[serde(default)]
    leader_name: String,
    #[serde(default)]
    link: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    start_time: String,
    #[serde(default)]
    duration_minutes: String,
    #[serde(default)]
    modality: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    capacity: String,
}

impl SessionForm {
    fn input(&self) -> SessionInput {
        SessionInput {
            school_year: self.school_year.clone(),
            theme_id: self.theme_id.clone(),
            title: self.title.clone(),
            kind: self.kind.clone(),
            leader_account_id: self.leader_account_id.clone(),
            leader_name: self.leader_name.clone(),
            link: self.link.clone(),
            code: self.code.clone(),
            date: self.date.clone(),
            start_time: self.start_time.clone(),
            duration_minutes: self.duration_minutes.clone(),
            modality: self.modality.clone(),
            place: self.place.clone(),
            capacity: self.capacity.clone(),
        }
    }
}

/// The choices of a session's form.
pub struct SessionChoices {
    pub themes: Vec<Opt>,
    pub kinds: Vec<Opt>,
    pub leaders: Vec<Opt>,
    pub modalities: Vec<Opt>,
}

fn session_choices(
    tr: Tr,
    themes: &[theme::Model],
    leaders: &[(Uuid, String)],
    f: &SessionForm,
) -> SessionChoices {
    let mut theme_opts = vec![Opt::new("", tr.t("pilotage-formation-choose"), &f.theme_id)];
    theme_opts.extend(
        themes
            .iter()
            .filter(|t| t.active || t.id.to_string() == f.theme_id)
            .map(|t| Opt::new(t.id.to_string(), t.label.clone(), &f.theme_id)),
    );
    let mut leader_opts = vec![Opt::new(
        "",
        tr.t("pilotage-formation-leader-named"),
        &f.leader_account_id,
    )];
    leader_opts.extend(
        leaders
            .iter()
            .map(|(id, name)| Opt::new(id.to_string(), name.clone(), &f.leader_account_id)),
    );
    SessionChoices {
        themes: theme_opts,
        kinds: SessionKind::ALL
            .iter()
            .map(|k| Opt::new(k.as_str(), label(tr, "kind", k.as_str()), &f.kind))
            .collect(),
        leaders: leader_opts,
        modalities: Modality::ALL
            .iter()
            .map(|m| Opt::new(m.as_str(), label(tr, "modality", m.as_str()), &f.modality))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::urls::pilotage as u;
    use refnum_domain::pilotage::formations::SessionStatus;
    use refnum_services::pilotage::formations as svc;

    /// Every kind, modality and status the pages show has its French and
    /// English label.
    #[test]
    fn every_formation_code_has_a_label() {
        for lang in [Lang::Fr, Lang::En] {
            let tr = Tr(lang);
            let mut keys = vec![];
            keys.extend(SessionKind::ALL.iter().map(|k| ("kind", k.as_str())));
            keys.extend(Modality::ALL.iter().map(|m| ("modality", m.as_str())));
            keys.extend(SessionStatus::ALL.iter().map(|s| ("status", s.as_str())));
            for (prefix, code) in keys {
                let key = format!("pilotage-formation-{prefix}-{}", code.replace('_', "-"));
                assert!(tr.has(&key), "{lang:?}: {key}");
            }
        }
    }

    /// The notifications' link is the session page's path.
    #[test]
    fn the_notification_links_to_the_session_page() {
        let (e, s) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(svc::session_link(e, s), u::formation_session(e, s));
    }
}
