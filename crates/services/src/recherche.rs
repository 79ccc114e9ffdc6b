//! The header's search box: a ticket by its number (`#12` or `12`),
//! equipment by inventory or serial number, a room, a person of the
//! directory, in the current school and within what the caller may see.
//! One match leads straight to it; several are listed.

use crate::Ctx;
use crate::error::Result;
use refnum_db::Db;
use refnum_db::recherche as q;
use refnum_domain::policy::{self, Decision, EtabAction, TicketAction};
use uuid::Uuid;

/// What a match is, for its link and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Ticket {
        id: Uuid,
        number: i64,
        title: String,
    },
    Asset {
        etab: Uuid,
        id: Uuid,
        number: String,
        model: String,
    },
    Room {
        etab: Uuid,
        id: Uuid,
        name: String,
    },
    Person {
        etab: Uuid,
        id: Uuid,
        name: String,
        pupil: bool,
    },
}

/// At most this many matches of each kind.
const LIMIT: u64 = 10;

pub async fn find(db: &Db, ctx: &Ctx, text: &str) -> Result<Vec<Found>> {
    let text: String = text.trim().chars().take(100).collect();
    let mut out = vec![];
    let Some(cur) = ctx.current.as_ref() else {
        return Ok(out);
    };
    if text.is_empty() {
        return Ok(out);
    }
    let c = &db.conn;
    // A ticket number, with or without its `#`.
    // Whether the caller may see it is the policy's question, asked without
    // recording a refusal: a search is not an attempt to open it.
    if let Ok(n) = text.trim_start_matches('#').trim().parse::<i64>()
        && let Some((id, title)) = q::ticket_by_number(c, cur.id, n).await?
        && let Some(t) = refnum_db::assistance::get_ticket(c, id).await?
        && policy::decide_ticket(
            &ctx.actor,
            TicketAction::View,
            &crate::assistance::facts_of(c, cur, &t).await?,
        ) == Decision::Allow
    {
        out.push(Found::Ticket {
            id,
            number: n,
            title,
        });
    }
    if ctx.may_on_current(EtabAction::ViewParc) {
        for (id, number, model) in q::assets_by_code(c, cur.id, &text, LIMIT).await? {
            out.push(Found::Asset {
                etab: cur.id,
                id,
                number,
                model,
            });
        }
        if text.chars().count() >= 2 {
            for (id, name) in q::rooms_named(c, cur.id, &text, LIMIT).await? {
                out.push(Found::Room {
                    etab: cur.id,
                    id,
                    name,
                });
            }
        }
    }
    let mut kinds = vec![];
    if ctx.may_on_current(EtabAction::ViewDirectory) {
        kinds.push("staff");
    }
    if ctx.may_on_current(EtabAction::ViewPupils) {
        kinds.push("pupil");
    }
    let words: Vec<String> = refnum_domain::search::fold(&text)
        .split_whitespace()
        .filter(|w| w.chars().count() >= 2)
        .take(4)
        .map(str::to_string)
        .collect();
    for p in q::people_named(c, cur.id, &words, &kinds, LIMIT).await? {
        out.push(Found::Person {
            etab: cur.id,
            id: p.id,
            name: format!("{} {}", p.last_name, p.first_name),
            pupil: p.kind == "pupil",
        });
    }
    Ok(out)
}
