//! The page shell: what every page's header, navigation and footer need.

use crate::AppState;
use crate::i18n::{Lang, Tr};
use crate::session::{SessionState, cookie_value};
use crate::urls;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use refnum_domain::policy::EtabAction;
use refnum_domain::role::Role;
use refnum_services::Ctx;
use refnum_services::display::DisplayPrefs;

pub const LANG_COOKIE: &str = "refnum_lang";
pub const DISPLAY_COOKIE: &str = "refnum_affichage";

pub struct SchoolChoice {
    pub id: String,
    pub label: String,
    pub current: bool,
}

pub struct NavItem {
    pub href: String,
    pub label: String,
    pub current: bool,
    /// A count shown next to the label (unread notifications).
    pub badge: Option<NavBadge>,
}

/// A top-level entry of the menu: one of the referent's four axes
/// (*Pilotage*, *Accompagnement*, *Équipements*, *Services en ligne*), the
/// home, or the administration. Its link opens its first page; its pages
/// show as a second row when one of them is the current page.
pub struct NavGroup {
    pub label: String,
    pub href: String,
    /// The group's own link is the current page.
    pub current_page: bool,
    /// One of the group's pages is the current page.
    pub current: bool,
    pub items: Vec<NavItem>,
}

/// A count next to a navigation link: the number shown, and the words read
/// out instead of it ("3 notifications non lues").
pub struct NavBadge {
    pub count: String,
    pub text: String,
}

/// The badge of `n` unread notifications; from the header's cap on, "99+".
fn badge(tr: Tr, n: u64) -> NavBadge {
    let cap = refnum_services::support::notifications::HEADER_CAP;
    if n >= cap {
        let most = (cap - 1).to_string();
        NavBadge {
            count: format!("{most}+"),
            text: tr.t_args("nav-unread-many", &[("count", most)]),
        }
    } else {
        NavBadge {
            count: n.to_string(),
            text: tr.t_args("nav-unread", &[("count", n.to_string())]),
        }
    }
}

/// The caller's unread notification count, counted once per request (kept
/// in the request's extensions): read with the session by the session
/// middleware, or counted by the shell when a page has none.
#[derive(Clone, Copy)]
pub(crate) struct Unread(pub(crate) Option<u64>);

pub struct UserView {
    pub display_name: String,
}

/// Everything the shell template needs.
pub struct Page {
    pub tr: Tr,
    pub lang: &'static str,
    pub title: String,
    pub display: DisplayPrefs,
    pub asset_version: &'static str,
    pub csrf: String,
    pub path: String,
    pub user: Option<UserView>,
    pub schools: Vec<SchoolChoice>,
    pub nav: Vec<NavGroup>,
    /// The link to the notifications, with the unread count (signed in).
    pub notifications: Option<NavItem>,
    /// The header's search box (signed in, with a current school).
    pub search: bool,
    pub flash: Option<String>,
}

impl Page {
    /// The pages of the current group, when it has several (the second
    /// row of the menu).
    pub fn subnav(&self) -> Option<&NavGroup> {
        self.nav.iter().find(|g| g.current && g.items.len() > 1)
    }
}

impl Page {
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// A page without session (error pages).
    pub fn bare(tr: Tr, title: &str) -> Page {
        Page {
            tr,
            lang: tr.0.code(),
            title: title.to_string(),
            display: DisplayPrefs::default(),
            asset_version: crate::assets::version(),
            csrf: String::new(),
            path: "/".into(),
            user: None,
            schools: vec![],
            nav: vec![],
            notifications: None,
            search: false,
            flash: None,
        }
    }
}

/// The request's shell: language, display settings, session and context.
pub struct Shell {
    pub tr: Tr,
    pub display: DisplayPrefs,
    pub csrf: String,
    pub path: String,
    pub ctx: Option<Ctx>,
    pub flash: Option<String>,
    /// Unread notifications of the signed-in caller (None when anonymous
    /// or when they could not be counted).
    pub unread: Option<u64>,
}

impl Shell {
    pub fn page(&self, title_key: &str) -> Page {
        self.page_titled(self.tr.t(title_key))
    }

    pub fn page_titled(&self, title: String) -> Page {
        let tr = self.tr;
        // Groups of (href, label) pages; the policy decides each page once.
        let mut groups: Vec<(&str, Vec<(String, String)>)> = vec![];
        let mut schools = vec![];
        let mut notifications = None;
        if let Some(ctx) = &self.ctx {
            groups.push(("nav-home", vec![(urls::HOME.to_string(), tr.t("nav-home"))]));
            let cur = ctx.current.as_ref();
            let may = |a| ctx.may_on_current(a);
            let mut pilotage = vec![];
            if ctx.schools.len() > 1 || (ctx.current.is_none() && !ctx.scope().is_empty()) {
                pilotage.push((urls::ETABS.to_string(), tr.t("nav-etablissements")));
            }
            let mut accompagnement = vec![];
            let mut equipements = vec![];
            let mut services = vec![];
            if let Some(cur) = cur {
                if may(EtabAction::ViewMissionLetters) {
                    pilotage.push((urls::pilotage::home(cur.id), tr.t("nav-pilotage-home")));
                }
                if may(EtabAction::ViewSignedMissionLetters) {
                    pilotage.push((urls::pilotage::letters(cur.id), tr.t("nav-letters")));
                }
                if may(EtabAction::ViewParcIndicators) {
                    pilotage.push((
                        urls::indicators::parc_dashboard(cur.id),
                        tr.t("nav-indicators"),
                    ));
                }
                if may(EtabAction::ViewComite) {
                    pilotage.push((urls::pilotage::comite(cur.id), tr.t("nav-comite")));
                }
                if may(EtabAction::ViewTrainingPlan) {
                    pilotage.push((urls::pilotage::formations(cur.id), tr.t("nav-formations")));
                }
                if may(EtabAction::ViewSchoolProject) {
                    pilotage.push((urls::pilotage::projet(cur.id), tr.t("nav-projet")));
                }
                if may(EtabAction::ReadAudit) {
                    pilotage.push((urls::etab_audit(cur.id), tr.t("nav-audit")));
                }
                if may(EtabAction::ReadKnowledge) {
                    accompagnement.push((urls::kb::articles(cur.id), tr.t("nav-kb")));
                }
                if may(EtabAction::ViewParc) {
                    equipements.push((urls::parc::assets(cur.id), tr.t("nav-parc")));
                }
            }
            if cur.is_some() || ctx.has_role(Role::Prestataire) || ctx.has_role(Role::Collectivite)
            {
                equipements.push((
                    urls::assistance::TICKETS.to_string(),
                    tr.t("nav-assistance"),
                ));
            }
            if let Some(cur) = cur {
                if may(EtabAction::ViewBookings) {
                    equipements.push((urls::reservations::home(cur.id), tr.t("nav-reservations")));
                }
                if may(EtabAction::ViewLoans) {
                    equipements.push((urls::prets::loans(cur.id), tr.t("nav-loans")));
                } else if may(EtabAction::ViewOwnLoans) {
                    equipements.push((urls::prets::mine(cur.id), tr.t("nav-my-loans")));
                }
                if may(EtabAction::ViewDirectory) {
                    services.push((urls::annuaire_overview(cur.id), tr.t("nav-annuaire")));
                }
                if may(EtabAction::ViewPeople) {
                    services.push((urls::etab_staff(cur.id), tr.t("nav-staff")));
                }
            }
            groups.push(("nav-pilotage", pilotage));
            groups.push(("nav-accompagnement", accompagnement));
            groups.push(("nav-equipements", equipements));
            groups.push(("nav-services", services));
            if ctx.actor.is_admin() {
                groups.push((
                    "nav-admin",
                    vec![(urls::ADMIN.to_string(), tr.t("nav-admin"))],
                ));
            }
            notifications = Some(NavItem {
                current: self.path == urls::support::NOTIFICATIONS,
                badge: self.unread.filter(|n| *n > 0).map(|n| badge(tr, n)),
                href: urls::support::NOTIFICATIONS.to_string(),
                label: tr.t("nav-notifications"),
            });
            schools = ctx
                .schools
                .iter()
                .map(|s| SchoolChoice {
                    id: s.id.to_string(),
                    label: format!("{} ({})", s.name, s.uai),
                    current: ctx.current.as_ref().is_some_and(|c| c.id == s.id),
                })
                .collect();
        }
        let path = self.path.clone();
        // The current page is the longest link that the path starts with.
        let matches = |href: &str| {
            if href == "/" {
                path == "/"
            } else {
                path == href || path.starts_with(&format!("{href}/"))
            }
        };
        let current = groups
            .iter()
            .flat_map(|(_, items)| items.iter())
            .filter(|(href, _)| matches(href))
            .map(|(href, _)| href.len())
            .max();
        let nav = groups
            .into_iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(key, items)| {
                let items: Vec<NavItem> = items
                    .into_iter()
                    .map(|(href, label)| NavItem {
                        current: matches(&href) && Some(href.len()) == current,
                        badge: None,
                        href,
                        label,
                    })
                    .collect();
                let href = items[0].href.clone();
                NavGroup {
                    label: if items.len() == 1 {
                        items[0].label.clone()
                    } else {
                        tr.t(key)
                    },
                    current_page: items[0].current,
                    current: items.iter().any(|i| i.current),
                    href,
                    items,
                }
            })
            .collect();
        Page {
            tr,
            lang: tr.0.code(),
            title,
            display: self.display.clone(),
            asset_version: crate::assets::version(),
            csrf: self.csrf.clone(),
            path,
            user: self.ctx.as_ref().map(|c| UserView {
                display_name: c.account.display_name.clone(),
            }),
            schools,
            nav,
            notifications,
            search: self.ctx.as_ref().is_some_and(|c| c.current.is_some()),
            flash: self.flash.clone(),
        }
    }
}

impl FromRequestParts<AppState> for Shell {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let st = parts.extensions.get::<SessionState>().cloned();
        let (session, ctx) = match st {
            Some(s) => (s.session, s.ctx),
            None => (None, None),
        };
        let lang = ctx
            .as_ref()
            .and_then(|c| Lang::parse(&c.account.locale))
            .or_else(|| cookie_value(&parts.headers, LANG_COOKIE).and_then(|v| Lang::parse(&v)))
            .unwrap_or_else(|| {
                parts
                    .headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::from_accept)
                    .unwrap_or(Lang::Fr)
            });
        let display = ctx
            .as_ref()
            .map(|c| c.account.display_prefs.clone())
            .filter(|p| !p.is_empty())
            .or_else(|| cookie_value(&parts.headers, DISPLAY_COOKIE))
            .map(|p| DisplayPrefs::decode(&p))
            .unwrap_or_default();
        let tr = Tr(lang);
        let flash = parts.uri.query().and_then(|q| {
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == "fait")
                .map(|(_, v)| format!("flash-{v}"))
                .filter(|key| key.len() < 64 && tr.has(key))
                .map(|key| tr.t(&key))
        });
        let unread = match (&ctx, parts.extensions.get::<Unread>()) {
            (None, _) => None,
            (Some(_), Some(u)) => u.0,
            (Some(c), None) => {
                let n = refnum_services::support::notifications::unread_for_header(
                    &state.db,
                    c.account.id,
                )
                .await
                .map_err(|e| tracing::warn!(error = ?e, "unread notifications not counted"))
                .ok();
                parts.extensions.insert(Unread(n));
                n
            }
        };
        Ok(Shell {
            tr,
            display,
            csrf: session
                .as_ref()
                .map(|s| s.row.csrf_token.clone())
                .unwrap_or_default(),
            path: parts.uri.path().to_string(),
            ctx,
            flash,
            unread,
        })
    }
}

/// Builds a `Set-Cookie` value.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}
