//! The asset list: filters (GET parameters), sortable headers, pages, and
//! the bulk edit of the checked rows (a plain POST form).

use super::{Tab, category_label, fmt_date, status_label, tabs};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FieldMsg, FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::etabs::SortHeader;
use crate::pages::filtres::{ChipBar, Filters, rows_options, rows_per_page};
use crate::pages::{Opt, PAGE_SIZE, Pager, SignedIn, done, enc, render, render_status};
use crate::urls;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use refnum_db::parc::AssetFilter;
use refnum_domain::asset::{AssetCategory, AssetOwner, AssetStatus};
use refnum_domain::policy::EtabAction;
use refnum_services::parc::Rights;
use refnum_services::parc::assets::{self, AssetSort, BulkAction, WarrantyFilter};
use serde::Deserialize;
use uuid::Uuid;

/// The list's GET parameters.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListParams {
    pub page: Option<u64>,
    pub q: Option<String>,
    pub categorie: Option<String>,
    /// A status code, `tous` (retired included) or empty.
    pub etat: Option<String>,
    pub proprietaire: Option<String>,
    /// A room id, `aucune` (unplaced) or empty.
    pub salle: Option<String>,
    pub batiment: Option<String>,
    /// `expiree`, `bientot`, `en-cours`, `inconnue`.
    pub garantie: Option<String>,
    pub parent: Option<String>,
    pub tri: Option<String>,
    pub ordre: Option<String>,
    /// Rows per page: 25, 50 (default) or 100.
    pub lignes: Option<String>,
}

fn val(s: &Option<String>) -> String {
    s.as_deref()
        .unwrap_or("")
        .trim()
        .chars()
        .take(100)
        .collect()
}

impl ListParams {
    fn page(&self) -> u64 {
        self.page.unwrap_or(1).clamp(1, 100_000)
    }

    fn sort(&self) -> (AssetSort, String) {
        let tri = val(&self.tri);
        let sort = match tri.as_str() {
            "categorie" => AssetSort::Category,
            "modele" => AssetSort::Model,
            "salle" => AssetSort::Room,
            "etat" => AssetSort::Status,
            "achat" => AssetSort::PurchaseDate,
            "garantie" => AssetSort::WarrantyEnd,
            "modifie" => AssetSort::Updated,
            _ => AssetSort::InventoryNumber,
        };
        let key = if sort == AssetSort::InventoryNumber {
            "numero".to_string()
        } else {
            tri
        };
        (sort, key)
    }

    fn desc(&self) -> bool {
        self.ordre.as_deref() == Some("desc")
    }

    /// The filter this asks for (unknown values are ignored).
    pub fn filter(&self) -> AssetFilter {
        let etat = val(&self.etat);
        let salle = val(&self.salle);
        AssetFilter {
            q: Some(val(&self.q)).filter(|s| !s.is_empty()),
            category: AssetCategory::parse(&val(&self.categorie)).map(|c| c.as_str().into()),
            status: AssetStatus::parse(&etat).map(|s| s.as_str().into()),
            include_retired: etat == "tous",
            owner: AssetOwner::parse(&val(&self.proprietaire)).map(|o| o.as_str().into()),
            room: Uuid::parse_str(&salle).ok(),
            building: Uuid::parse_str(&val(&self.batiment)).ok(),
            warranty: match val(&self.garantie).as_str() {
                "expiree" => Some(WarrantyFilter::Expired),
                "bientot" => Some(WarrantyFilter::EndsSoon),
                "en-cours" => Some(WarrantyFilter::Covered),
                "inconnue" => Some(WarrantyFilter::Unknown),
                _ => None,
            },
            parent: Uuid::parse_str(&val(&self.parent)).ok(),
            unplaced: salle == "aucune",
            today: None,
            sort: self.sort().0,
            desc: self.desc(),
            page: self.page() - 1,
            per_page: rows_per_page(&self.lignes),
        }
    }

    /// The filters as a query string (`&k=v…`, without page and sort).
    fn filters_query(&self) -> String {
        [
            ("q", &self.q),
            ("categorie", &self.categorie),
            ("etat", &self.etat),
            ("proprietaire", &self.proprietaire),
            ("salle", &self.salle),
            ("batiment", &self.batiment),
            ("garantie", &self.garantie),
            ("parent", &self.parent),
            ("lignes", &self.lignes),
        ]
        .iter()
        .filter_map(|(k, v)| {
            let v = match *k {
                // The default number of rows is not written.
                "lignes" => match rows_per_page(v) {
                    PAGE_SIZE => String::new(),
                    n => n.to_string(),
                },
                _ => val(v),
            };
            (!v.is_empty()).then(|| format!("&{k}={}", enc(&v)))
        })
        .collect()
    }

    /// Filters and sort as a query string of their own (`?k=v…`, or empty):
    /// the exports of the list take the same parameters.
    fn export_query(&self) -> String {
        let q = self.query();
        format!("?{}", q.trim_start_matches('&'))
    }

    /// Filters and sort, for the pager and for coming back after a bulk edit.
    fn query(&self) -> String {
        let (_, tri) = self.sort();
        format!(
            "{}&tri={}{}",
            self.filters_query(),
            enc(&tri),
            if self.desc() { "&ordre=desc" } else { "" }
        )
    }
}

pub struct Row {
    pub id: Uuid,
    pub href: String,
    pub number: String,
    pub category: String,
    pub model: String,
    pub room: String,
    pub room_href: Option<String>,
    pub holder: String,
    pub status: String,
    pub purchase: String,
    pub warranty: String,
    pub select_label: String,
}

#[derive(Template)]
#[template(path = "parc/list.html")]
struct ListPage {
    page: Page,
    tabs: Vec<Tab>,
    action: String,
    q: String,
    categories: Vec<Opt>,
    statuses: Vec<Opt>,
    owners: Vec<Opt>,
    rooms: Vec<Opt>,
    buildings: Vec<Opt>,
    warranties: Vec<Opt>,
    rows_per_page: Vec<Opt>,
    chip_bar: ChipBar,
    /// The less used filters are open: one of them is set.
    more_open: bool,
    summary: String,
    headers: Vec<SortHeader>,
    rows: Vec<Row>,
    pager: Pager,
    rights: Rights,
    bulk_action: String,
    back: String,
    bulk_rooms: Vec<Opt>,
    bulk_statuses: Vec<Opt>,
    errors: FormErrors,
    new_href: String,
    export_csv: String,
    export_ods: String,
}

fn with_all(tr: Tr, all_key: &str, items: Vec<(String, String)>, current: &str) -> Vec<Opt> {
    let mut v = vec![Opt::new("", tr.t(all_key), current)];
    v.extend(items.into_iter().map(|(k, l)| Opt::new(k, l, current)));
    v
}

async fn list_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    p: &ListParams,
    errors: FormErrors,
) -> Result<ListPage, PageError> {
    let tr = s.shell.tr;
    let filter = p.filter();
    let (l, menus) = assets::list_with_menus(&state.db, &s.ctx, id, &filter).await?;
    let base = urls::parc::assets(id);
    let (_, tri) = p.sort();
    let desc = p.desc();
    let filters = p.filters_query();
    let headers = [
        ("numero", "parc-field-inventory-number"),
        ("categorie", "parc-field-category"),
        ("modele", "parc-field-model"),
        ("salle", "parc-field-room"),
        ("etat", "parc-field-status"),
        ("achat", "parc-field-purchase-date"),
        ("garantie", "parc-field-warranty-end"),
    ]
    .iter()
    .map(|(key, label)| {
        let active = *key == tri;
        SortHeader {
            label: tr.t(label),
            href: format!(
                "{base}?tri={key}{}{filters}",
                if active && !desc { "&ordre=desc" } else { "" }
            ),
            aria: match (active, desc) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            },
        }
    })
    .collect();
    let salle = val(&p.salle);
    let mut rooms = with_all(
        tr,
        "parc-filter-all-rooms",
        menus
            .rooms
            .iter()
            .map(|(rid, name)| (rid.to_string(), name.clone()))
            .collect(),
        &salle,
    );
    rooms.insert(1, Opt::new("aucune", tr.t("parc-filter-unplaced"), &salle));
    let etat = val(&p.etat);
    let mut statuses = with_all(
        tr,
        "parc-filter-all-statuses",
        AssetStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), status_label(tr, s.as_str())))
            .collect(),
        &etat,
    );
    statuses.insert(1, Opt::new("tous", tr.t("parc-filter-every-status"), &etat));
    let categories = with_all(
        tr,
        "parc-filter-all-categories",
        AssetCategory::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), category_label(tr, c.as_str())))
            .collect(),
        &val(&p.categorie),
    );
    let owners = with_all(
        tr,
        "parc-filter-all-owners",
        AssetOwner::ALL
            .iter()
            .map(|o| {
                (
                    o.as_str().to_string(),
                    tr.t(&format!("parc-owner-{}", o.as_str())),
                )
            })
            .collect(),
        &val(&p.proprietaire),
    );
    let buildings = with_all(
        tr,
        "parc-filter-all-buildings",
        menus
            .buildings
            .iter()
            .map(|(bid, name)| (bid.to_string(), name.clone()))
            .collect(),
        &val(&p.batiment),
    );
    let warranties = with_all(
        tr,
        "parc-filter-all-warranties",
        [
            ("expiree", "parc-warranty-expired"),
            ("bientot", "parc-warranty-soon"),
            ("en-cours", "parc-warranty-covered"),
            ("inconnue", "parc-warranty-unknown"),
        ]
        .iter()
        .map(|(k, l)| (k.to_string(), tr.t(l)))
        .collect(),
        &val(&p.garantie),
    );
    let mut chips = Filters::new();
    let q = val(&p.q);
    chips.add_search(tr, "q", &q);
    chips.add_select(tr, "categorie", "parc-field-category", &categories);
    chips.add_select(tr, "etat", "parc-field-status", &statuses);
    chips.add_select(tr, "proprietaire", "parc-field-owner", &owners);
    chips.add_select(tr, "salle", "parc-field-room", &rooms);
    chips.add_select(tr, "batiment", "parc-field-building", &buildings);
    chips.add_select(tr, "garantie", "parc-filter-warranty", &warranties);
    let parent = val(&p.parent);
    let has_parent = Uuid::parse_str(&parent).is_ok();
    chips.add(
        "parent",
        if has_parent { parent } else { String::new() },
        has_parent.then(|| tr.t("parc-filter-parent")),
    );
    chips.add_rows(&p.lignes);
    let keep = format!(
        "&tri={}{}",
        enc(&tri),
        if desc { "&ordre=desc" } else { "" }
    );
    let rows = l
        .rows
        .into_iter()
        .map(|a| Row {
            href: urls::parc::asset(id, a.id),
            select_label: tr.t_args(
                "parc-select-asset",
                &[("number", a.inventory_number.clone())],
            ),
            number: a.inventory_number,
            category: category_label(tr, &a.category),
            model: format!("{} {}", a.manufacturer, a.model).trim().to_string(),
            room: a.room_name.unwrap_or_default(),
            room_href: a.room_id.map(|r| urls::parc::room(id, r)),
            holder: a.holder_name.unwrap_or_default(),
            status: status_label(tr, &a.status),
            purchase: fmt_date(a.purchase_date),
            warranty: fmt_date(a.warranty_end),
            id: a.id,
        })
        .collect();
    Ok(ListPage {
        page: s
            .shell
            .page_titled(format!("{} — {}", tr.t("parc-title"), l.etab.name)),
        tabs: tabs(tr, id, "assets", l.rights.manage),
        action: base.clone(),
        q,
        categories,
        statuses,
        owners,
        buildings,
        warranties,
        rooms,
        rows_per_page: rows_options(&p.lignes),
        chip_bar: chips.chip_bar(tr, &base, &keep),
        more_open: !val(&p.salle).is_empty()
            || !val(&p.proprietaire).is_empty()
            || !val(&p.batiment).is_empty()
            || !val(&p.garantie).is_empty()
            || rows_per_page(&p.lignes) != PAGE_SIZE,
        summary: tr.t_args("parc-count", &[("count", l.total.to_string())]),
        headers,
        rows,
        pager: Pager::sized(
            tr,
            &base,
            &p.query(),
            p.page(),
            l.total,
            rows_per_page(&p.lignes),
        ),
        rights: l.rights,
        bulk_action: urls::parc::bulk(id),
        back: format!("page={}{}", p.page(), p.query()),
        bulk_rooms: {
            let mut v = vec![Opt::new("", tr.t("parc-bulk-room-none"), "-")];
            v.extend(
                menus
                    .rooms
                    .iter()
                    .map(|(rid, name)| Opt::new(rid.to_string(), name.clone(), "-")),
            );
            v
        },
        bulk_statuses: AssetStatus::ALL
            .iter()
            .map(|s| Opt::new(s.as_str(), status_label(tr, s.as_str()), "-"))
            .collect(),
        errors,
        new_href: urls::parc::asset_new(id),
        export_csv: format!("{}{}", urls::parc::export_csv(id), p.export_query()),
        export_ods: format!("{}{}", urls::parc::export_ods(id), p.export_query()),
    })
}

pub async fn list(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(p): Query<ListParams>,
) -> Result<Response, PageError> {
    let page = list_page(&state, &s, id, &p, FormErrors::default()).await?;
    Ok(render(&page))
}

/// The bulk form: `ids` (repeated), `action` (`move`, `status`, `holder`)
/// and its value; `retour` is the list's query string to come back to.
/// `action=etiquettes` edits nothing: it leads to the label sheet form with
/// the checked assets (their ids in the address: they are not personal
/// data), where the school's scope is checked.
pub async fn bulk(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let pairs = crate::session::form_urlencoded_pairs(&body);
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let ids: Vec<Uuid> = pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .filter_map(|(_, v)| Uuid::parse_str(v.trim()).ok())
        .collect();
    if get("action") == "etiquettes" {
        return labels_for_selection(&state, &s, id, &ids, &get("retour")).await;
    }
    let action = match get("action").as_str() {
        "move" => BulkAction::Move(get("room")),
        "status" => BulkAction::Status(get("status")),
        "holder" => BulkAction::Holder(get("holder")),
        _ => return Err(PageError::BadRequest),
    };
    let back: String = get("retour").chars().take(2000).collect();
    let params: ListParams = serde_urlencoded_params(&back);
    match assets::bulk(&state.db, &s.ctx, id, &ids, &action).await {
        Ok(_) => Ok(done(
            &format!("{}?{}", urls::parc::assets(id), clean_query(&back)),
            "parc-groupe",
        )),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let page = list_page(&state, &s, id, &params, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

/// Sends the checked assets to the label sheet form; with none checked, the
/// list again with the error on the selection.
async fn labels_for_selection(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    ids: &[Uuid],
    back: &str,
) -> Result<Response, PageError> {
    // The school's scope first: another school's assets are not found.
    refnum_services::orgs::etab_for(&state.db, &s.ctx, id, EtabAction::ViewParc).await?;
    let mut unique: Vec<Uuid> = Vec::with_capacity(ids.len());
    for i in ids {
        if !unique.contains(i) {
            unique.push(*i);
        }
    }
    if unique.is_empty() || unique.len() > MAX_SELECTION {
        let tr = s.shell.tr;
        let errors = FormErrors {
            items: vec![FieldMsg {
                field: "ids".into(),
                message: if unique.is_empty() {
                    tr.t("parc-error-bulk-none")
                } else {
                    tr.t_args(
                        "parc-labels-too-many",
                        &[("max", MAX_SELECTION.to_string())],
                    )
                },
            }],
        };
        let back: String = back.chars().take(2000).collect();
        let params = serde_urlencoded_params(&back);
        let page = list_page(state, s, id, &params, errors).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let selection = unique
        .iter()
        .map(Uuid::to_string)
        .collect::<Vec<_>>()
        .join(",");
    Ok(axum::response::Redirect::to(&format!(
        "{}?equipement={selection}",
        urls::parc::labels(id)
    ))
    .into_response())
}

/// Assets a label sheet takes from the list's selection at most (the
/// longest page of the list; the ids travel in the address).
const MAX_SELECTION: usize = 100;

/// Reads the list parameters back from a query string.
fn serde_urlencoded_params(query: &str) -> ListParams {
    let pairs = crate::session::form_urlencoded_pairs(query.as_bytes());
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    ListParams {
        page: get("page").and_then(|p| p.parse().ok()),
        q: get("q"),
        categorie: get("categorie"),
        etat: get("etat"),
        proprietaire: get("proprietaire"),
        salle: get("salle"),
        batiment: get("batiment"),
        garantie: get("garantie"),
        parent: get("parent"),
        tri: get("tri"),
        ordre: get("ordre"),
        lignes: get("lignes"),
    }
}

/// The list's query string rebuilt from its known parameters (never a
/// redirect elsewhere).
fn clean_query(query: &str) -> String {
    let p = serde_urlencoded_params(query);
    format!("page={}{}", p.page(), p.query())
}
