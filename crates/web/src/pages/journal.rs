//! The journal (audit log) of a school, and of the instance for its
//! administrators: events named in the reader's language, objects by their
//! name with a link where the reader may follow it, filters by family of
//! events, person and period.

use super::filtres::{ChipBar, Filters, rows_options, rows_per_page};
use super::{Opt, Pager, SignedIn, fmt_time, render};
use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use crate::page::Page;
use crate::time::When;
use crate::urls;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{NaiveDate, TimeZone};
use refnum_db::audit::AuditFilter;
use refnum_services::audit::{self, TargetLink};
use refnum_services::error::ServiceError;
use uuid::Uuid;

/// The families of events the journal filters on: the first word of the
/// event's name.
pub const FAMILIES: [&str; 14] = [
    "auth",
    "account",
    "membership",
    "etablissement",
    "annuaire",
    "parc",
    "ticket",
    "booking",
    "loan",
    "kb",
    "support",
    "sso",
    "policy",
    "audit",
];

/// `?type=&personne=&du=&au=&page=`
#[derive(serde::Deserialize, Default)]
pub struct JournalQuery {
    page: Option<u64>,
    #[serde(rename = "type")]
    family: Option<String>,
    personne: Option<String>,
    du: Option<String>,
    au: Option<String>,
    /// Rows per page: 25, 50 (default) or 100.
    lignes: Option<String>,
}

impl JournalQuery {
    fn page(&self) -> u64 {
        self.page.unwrap_or(1).clamp(1, 100_000)
    }
    fn family(&self) -> Option<String> {
        self.family
            .as_deref()
            .map(str::trim)
            .filter(|f| FAMILIES.contains(f))
            .map(str::to_string)
    }
    fn person(&self) -> Option<Uuid> {
        self.personne
            .as_deref()
            .and_then(|p| Uuid::parse_str(p.trim()).ok())
    }
    fn day(v: &Option<String>) -> Option<NaiveDate> {
        v.as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
    }
    /// The filter, the period's days taken in the instance's time zone.
    fn filter(&self) -> AuditFilter {
        let tz = crate::time::zone();
        let start_of = |d: NaiveDate| {
            d.and_hms_opt(0, 0, 0)
                .and_then(|n| tz.from_local_datetime(&n).earliest())
                .map(|t| t.with_timezone(&chrono::Utc))
        };
        AuditFilter {
            family: self.family(),
            actor: self.person(),
            from: Self::day(&self.du).and_then(start_of),
            to: Self::day(&self.au)
                .and_then(|d| d.succ_opt())
                .and_then(start_of),
        }
    }
    /// The filters, for the pager and the chips.
    fn filters(&self, tr: Tr, families: &[Opt], people: &[Opt]) -> Filters {
        let mut f = Filters::new();
        f.add_select(tr, "type", "audit-family", families);
        f.add_select(tr, "personne", "audit-who", people);
        for (k, v, name) in [("du", &self.du, "audit-from"), ("au", &self.au, "audit-to")] {
            let day = Self::day(v);
            f.add(
                k,
                day.map(|d| d.to_string()).unwrap_or_default(),
                day.map(|d| {
                    tr.t_args(
                        "filter-chip",
                        &[
                            ("name", tr.t(name)),
                            ("value", d.format("%d/%m/%Y").to_string()),
                        ],
                    )
                }),
            );
        }
        f.add_rows(&self.lignes);
        f
    }
}

pub struct AuditRow {
    pub seq: i64,
    pub when: When,
    pub who: String,
    pub action: String,
    /// The object's kind ("Ticket", "Compte"…), its name and its link.
    pub kind: String,
    pub target: String,
    pub href: Option<String>,
    pub outcome: String,
}

#[derive(Template)]
#[template(path = "etab/audit.html")]
pub struct AuditPage {
    pub page: Page,
    pub heading: String,
    pub retention: String,
    pub summary: String,
    pub rows: Vec<AuditRow>,
    pub pager: Pager,
    pub export_href: String,
    pub action: String,
    pub families: Vec<Opt>,
    pub people: Vec<Opt>,
    pub du: String,
    pub au: String,
    pub chip_bar: ChipBar,
    pub rows_per_page: Vec<Opt>,
}

fn action_name(tr: Tr, action: &str) -> String {
    let key = format!("action-{}", action.replace(['.', '_'], "-"));
    if tr.has(&key) {
        tr.t(&key)
    } else {
        action.to_string()
    }
}

fn link_of(link: &TargetLink) -> String {
    match link {
        TargetLink::Ticket(id) => urls::assistance::ticket(*id),
        TargetLink::Asset { etab, asset } => urls::parc::asset(*etab, *asset),
        TargetLink::Loan { etab, loan } => urls::prets::loan(*etab, *loan),
        TargetLink::Resource { etab, resource } => urls::reservations::resource(*etab, *resource),
        TargetLink::Article { etab, article } => urls::kb::article(*etab, *article),
        TargetLink::Room { etab, room } => urls::parc::room(*etab, *room),
        TargetLink::Etablissement(id) => format!("{}/{id}", urls::ETABS),
    }
}

pub async fn audit_page(
    state: &AppState,
    s: &SignedIn,
    etab: Option<&refnum_db::entities::etablissement::Model>,
    jq: &JournalQuery,
) -> Result<AuditPage, PageError> {
    let tr = s.shell.tr;
    let filter = jq.filter();
    let j = audit::journal(
        &state.db,
        &s.ctx,
        etab.map(|e| e.id),
        &filter,
        (jq.page() - 1) * rows_per_page(&jq.lignes),
        rows_per_page(&jq.lignes),
    )
    .await?;
    let days = audit::retention_days(&state.db).await?;
    let (heading, base) = match etab {
        Some(e) => (
            tr.t_args("audit-title", &[("name", e.name.clone())]),
            urls::etab_audit(e.id),
        ),
        None => (tr.t("admin-audit"), urls::ADMIN_AUDIT.to_string()),
    };
    let family = jq.family().unwrap_or_default();
    let mut families = vec![Opt::new("", tr.t("audit-family-all"), &family)];
    families.extend(
        FAMILIES
            .iter()
            .map(|f| Opt::new(*f, tr.t(&format!("audit-family-{f}")), &family)),
    );
    let person = jq.person().map(|p| p.to_string()).unwrap_or_default();
    let mut people = vec![Opt::new("", tr.t("audit-person-all"), &person)];
    people.extend(
        j.actors
            .iter()
            .map(|(id, label)| Opt::new(id.to_string(), label.clone(), &person)),
    );
    let filters = jq.filters(tr, &families, &people);
    Ok(AuditPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        retention: tr.t_args("audit-retention", &[("days", days.to_string())]),
        summary: tr.t_args("audit-count", &[("count", j.total.to_string())]),
        pager: Pager::sized(
            tr,
            &base,
            &filters.query(),
            jq.page(),
            j.total,
            rows_per_page(&jq.lignes),
        ),
        chip_bar: filters.chip_bar(tr, &base, ""),
        rows_per_page: rows_options(&jq.lignes),
        export_href: format!("{base}.csv"),
        action: base,
        families,
        people,
        du: JournalQuery::day(&jq.du)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        au: JournalQuery::day(&jq.au)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        rows: j
            .rows
            .into_iter()
            .map(|(r, t)| AuditRow {
                seq: r.seq,
                when: fmt_time(tr, &r.occurred_at),
                who: r.actor_label,
                action: action_name(tr, &r.action),
                kind: if t.kind.is_empty() || !tr.has(&format!("audit-kind-{}", t.kind)) {
                    String::new()
                } else {
                    tr.t(&format!("audit-kind-{}", t.kind))
                },
                href: t.link.as_ref().map(link_of),
                target: t.label,
                outcome: tr.t(&format!("outcome-{}", r.outcome)),
            })
            .collect(),
    })
}

pub async fn audit(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(jq): Query<JournalQuery>,
) -> Result<Response, PageError> {
    let etab = refnum_services::orgs::etab_for(
        &state.db,
        &s.ctx,
        id,
        refnum_domain::policy::EtabAction::ReadAudit,
    )
    .await?;
    let p = audit_page(&state, &s, Some(&etab), &jq).await?;
    Ok(render(&p))
}

/// The instance's journal (administrators).
pub async fn admin_audit(
    State(state): State<AppState>,
    s: SignedIn,
    Query(jq): Query<JournalQuery>,
) -> Result<Response, PageError> {
    refnum_services::orgs::require_admin(&state.db, &s.ctx, "admin.audit")
        .await
        .map_err(|e: ServiceError| PageError::from(e))?;
    let p = audit_page(&state, &s, None, &jq).await?;
    Ok(render(&p))
}
