//! The comité numérique's pages: the year's comité (members, meetings,
//! actions, terms without a meeting), the new meeting, one meeting
//! (attendance, minutes, decisions, its actions) and one action. The
//! forms are shown to those who run the comité; the services decide.
//! One file per page family: `annee`, `reunion`, `action`.

use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use crate::pages::{Opt, role_label};
use crate::urls::pilotage as u;
use axum::Router;
use axum::routing::{get, post};
use chrono::NaiveDate;
use refnum_services::pilotage::comite::{self as svc, ActionInput, ActionLine, StaffChoice};
use uuid::Uuid;

mod action;
mod annee;
mod reunion;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/etablissements/{id}/pilotage/comite",
            get(annee::year_page),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/membres",
            post(annee::member_add),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/membres/{mid}/retirer",
            post(annee::member_remove),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/reunions/nouvelle",
            get(reunion::meeting_new).post(reunion::meeting_create),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/reunions/{rid}",
            get(reunion::meeting_page).post(reunion::meeting_update),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/reunions/{rid}/compte-rendu",
            post(reunion::minutes_record),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/reunions/{rid}/decisions",
            post(reunion::decision_add),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/reunions/{rid}/actions",
            post(reunion::action_create),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/actions",
            post(annee::action_create_standalone),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/actions/{aid}",
            get(action::action_page).post(action::action_update),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/actions/{aid}/etat",
            post(action::action_status),
        )
}

/// An id from the path: anything else is not found.
pub(super) fn path_id(s: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(s).map_err(|_| PageError::NotFound)
}

pub(super) fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

pub(super) fn label(tr: Tr, prefix: &str, code: &str) -> String {
    tr.t(&format!("pilotage-comite-{prefix}-{code}"))
}

/// A field of a form sent as pairs (the last one of that name).
pub(super) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

pub(super) struct ActionRow {
    pub href: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub overdue: bool,
}

pub(super) fn action_row(tr: Tr, etab: Uuid, l: &ActionLine) -> ActionRow {
    ActionRow {
        href: u::action(etab, l.action.id),
        title: l.action.title.clone(),
        owner: l.action.owner_name.clone(),
        due: date(l.action.due_on),
        status: label(tr, "status", l.status.as_str()),
        overdue: l.overdue,
    }
}

/// The staff choices of a form: "Name — role" for the members, "Name" for
/// the owners.
pub(super) fn staff_member_options(tr: Tr, staff: &[StaffChoice], current: &str) -> Vec<Opt> {
    let mut v = vec![Opt::new("", tr.t("pilotage-comite-choose"), current)];
    for s in staff {
        for r in &s.roles {
            v.push(Opt::new(
                format!("{}:{}", s.account_id, r.as_str()),
                format!("{} — {}", s.name, role_label(tr, r.as_str())),
                current,
            ));
        }
    }
    v
}

pub(super) fn owner_options(tr: Tr, staff: &[StaffChoice], current: &str) -> Vec<Opt> {
    let mut v = vec![Opt::new("", tr.t("pilotage-comite-owner-named"), current)];
    v.extend(
        staff
            .iter()
            .map(|s| Opt::new(s.account_id.to_string(), s.name.clone(), current)),
    );
    v
}

/// An action's form: from a meeting, the year's page (outside any
/// meeting) or the action's own page.
#[derive(serde::Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    school_year: String,
    #[serde(default)]
    decision_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    owner_name: String,
    #[serde(default)]
    due_on: String,
}

impl ActionForm {
    fn input(&self, reunion_id: Option<Uuid>, decision_id: Option<Uuid>) -> ActionInput {
        ActionInput {
            reunion_id,
            decision_id,
            school_year: self.school_year.clone(),
            title: self.title.clone(),
            detail: self.detail.clone(),
            owner_account_id: self.owner.clone(),
            owner_name: self.owner_name.clone(),
            due_on: self.due_on.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use refnum_domain::pilotage::comite::{ActionStatus, MemberKind, OutsideQuality};

    /// Every kind, quality, status and term the pages show has its French
    /// and English label.
    #[test]
    fn every_comite_code_has_a_label() {
        for lang in [Lang::Fr, Lang::En] {
            let tr = Tr(lang);
            let mut keys = vec![];
            keys.extend(MemberKind::ALL.iter().map(|k| ("kind", k.as_str())));
            keys.extend(OutsideQuality::ALL.iter().map(|q| ("quality", q.as_str())));
            keys.extend(ActionStatus::ALL.iter().map(|s| ("status", s.as_str())));
            keys.extend(
                refnum_domain::pilotage::comite::Term::ALL
                    .iter()
                    .map(|t| ("term", t.as_str())),
            );
            for (prefix, code) in keys {
                let key = format!("pilotage-comite-{prefix}-{code}");
                assert!(tr.has(&key), "{lang:?}: {key}");
            }
        }
    }

    /// The reminders' link is the action page's path.
    #[test]
    fn the_reminder_links_to_the_action_page() {
        let (e, a) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(svc::action_link(e, a), u::action(e, a));
    }
}
