//! The mission letter's pages, as the head and the referent use them: the
//! form (with bad input that names its field and writes nothing), the
//! drafting comments, the proposal, the signature with the password typed
//! again, the referent's acknowledgement, a signed letter that no longer
//! changes, an amendment that shows its differences, the printable page;
//! and each route's scoping (another school: 404, a teacher writing: 403).

use refnum_db::entities::audit_event;
use refnum_db::entities::pilotage::{lettre, lettre_commentaire, lettre_indicateur};
use refnum_db::pilotage as q;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{PASSWORD, TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

fn letters(etab: Uuid) -> String {
    format!("/etablissements/{etab}/pilotage/lettres")
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a redirect")
        .to_string()
}

async fn letter_count(app: &TestApp, etab: Uuid) -> u64 {
    lettre::Entity::find()
        .filter(lettre::Column::EtablissementId.eq(etab))
        .count(&app.db.conn)
        .await
        .expect("count")
}

/// The form's fields for a letter with two bound indicators and a typed one.
async fn fields(app: &TestApp, target: &str) -> Vec<(String, String)> {
    let referent = app.account_id(REFERENT_A).await;
    let a = app.etab_id(UAI_A).await;
    let etab = refnum_db::orgs::get_etablissement(&app.db.conn, a)
        .await
        .expect("q")
        .expect("school");
    let cat = q::catalogue(&app.db.conn, Some(etab.academie_id), false)
        .await
        .expect("catalogue");
    let mut f: Vec<(String, String)> = vec![
        ("school_year".into(), "2026-2027".into()),
        ("text".into(), "Priorité : l'ENT et les écrans.".into()),
        ("referent-0-account".into(), referent.to_string()),
        ("referent-0-pay".into(), "imp".into()),
        ("referent-0-rate".into(), "125000".into()),
        ("referent-0-share".into(), "1/2".into()),
        (format!("cat-{}", cat[0].id), "1".into()),
        (
            format!("cat-{}-detail", cat[0].id),
            "Trois réunions par an".into(),
        ),
        (format!("cat-{}", cat[5].id), "1".into()),
        ("free-0-axis".into(), "accompagnement".into()),
        ("free-0-label".into(), "Animer le café numérique".into()),
        ("indicator-0-label".into(), "Disponibilité du parc".into()),
        ("indicator-0-source".into(), "equipment_availability".into()),
        ("indicator-0-baseline".into(), "88".into()),
        ("indicator-0-target".into(), "95".into()),
        ("indicator-1-label".into(), "Prêts en retard".into()),
        ("indicator-1-source".into(), "loans_overdue".into()),
        ("indicator-1-target".into(), "0".into()),
        (
            "indicator-2-label".into(),
            "Enseignants formés à l'ENT".into(),
        ),
        ("indicator-2-source".into(), "manual".into()),
        ("indicator-2-unit".into(), "count".into()),
        ("indicator-2-direction".into(), "higher".into()),
        ("indicator-2-target".into(), target.into()),
    ];
    f.push(("referent_rows".into(), "1".into()));
    f
}

fn pairs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn the_head_and_the_referent_draft_sign_acknowledge_and_amend(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let head = app.signed_in(DIRECTION_A).await;
    let referent = app.signed_in(REFERENT_A).await;
    let list = letters(a);
    let new = format!("{list}/nouvelle");

    let html = app.page(&head, &list).await;
    assert!(html.contains(&new), "the head may write the letter");
    assert!(
        html.contains("Lettres de mission"),
        "the menu names the page"
    );

    // Bad input: the typed indicator's target is not a number; the error
    // names that row's field, the form keeps what was typed, nothing is
    // written.
    let bad = fields(app, "beaucoup").await;
    let r = app.post_form(&head, &new, &new, &pairs(&bad)).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("body");
    assert!(
        html.contains("href=\"#field-indicator-2-target\""),
        "{html}"
    );
    assert!(html.contains("id=\"error-indicator-2-target\""));
    assert!(html.contains("value=\"beaucoup\""));
    assert!(html.contains("value=\"Animer le café numérique\""));
    assert_eq!(letter_count(app, a).await, 0, "nothing written");

    // The letter, as the head writes it.
    let good = fields(app, "20").await;
    let r = app.post_form(&head, &new, &new, &pairs(&good)).await;
    assert_eq!(r.status(), 303);
    let url = location(&r);
    let url = url.split('?').next().expect("path").to_string();
    let id: Uuid = url.rsplit('/').next().expect("id").parse().expect("uuid");
    let stored = q::parts_of(&app.db.conn, id).await.expect("parts");
    assert_eq!(stored.indicators.len(), 3);
    assert_eq!(
        stored.indicators[0].metric.as_deref(),
        Some("equipment_availability")
    );
    assert_eq!(stored.indicators[0].baseline, Some(88_000));
    assert_eq!(stored.indicators[2].target, 20_000);
    assert_eq!(stored.missions.len(), 3);
    assert_eq!(stored.referents[0].share_denominator, Some(2));
    let html = app.page(&referent, &url).await;
    assert!(html.contains("Brouillon"));
    assert!(html.contains("Disponibilité du parc"));
    assert!(html.contains("Calculé par RefNum : Taux de disponibilité des équipements"));
    assert!(html.contains("625,00"), "half of the 1,250 € rate: {html}");
    // The bound indicators show their value now (the figures are tested in
    // `pilotage_mesures`; here, that the page shows them).
    let etab = refnum_db::orgs::get_etablissement(&app.db.conn, a)
        .await
        .expect("q")
        .expect("school");
    let now = refnum_services::pilotage::mesures::current(&app.db, &etab, chrono::Utc::now())
        .await
        .expect("figures");
    assert!(html.contains("Valeur actuelle"));
    let overdue = now
        .value(refnum_domain::pilotage::indicateurs::Metric::LoansOverdue)
        .expect("a count");
    assert!(
        html.contains(&format!("<td>{} <span class=\"tag", overdue / 1000)),
        "the overdue loans now: {html}"
    );
    assert!(html.contains("Animer le café numérique"));

    // The referent edits the draft too and comments.
    let edit = format!("{url}/modifier");
    let form = app.page(&referent, &edit).await;
    assert!(
        form.contains("value=\"Disponibilité du parc\""),
        "the draft fills its form"
    );
    let mut changed = good.clone();
    changed.retain(|(k, _)| k != "indicator-0-target");
    changed.push(("indicator-0-target".into(), "96,5".into()));
    let r = app
        .post_form(&referent, &edit, &edit, &pairs(&changed))
        .await;
    assert_eq!(r.status(), 303);
    let ind = lettre_indicateur::Entity::find()
        .filter(lettre_indicateur::Column::LettreId.eq(id))
        .all(&app.db.conn)
        .await
        .expect("indicators");
    assert!(
        ind.iter().any(|i| i.target == 96_500),
        "the new target is stored"
    );
    assert!(app.page(&head, &url).await.contains("96,5 %"));
    let comments = format!("{url}/commentaires");
    let r = app
        .post_form(
            &referent,
            &url,
            &comments,
            &[("comment", "Cible ambitieuse ?")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        lettre_commentaire::Entity::find()
            .filter(lettre_commentaire::Column::LettreId.eq(id))
            .count(&app.db.conn)
            .await
            .expect("count"),
        1
    );
    assert!(app.page(&head, &url).await.contains("Cible ambitieuse ?"));

    // Proposed by the referent, signed by the head: a wrong password
    // signs nothing.
    let step = format!("{url}/etape");
    let r = app
        .post_form(&referent, &url, &step, &[("etape", "proposer")])
        .await;
    assert_eq!(r.status(), 303);
    let sign = format!("{url}/signature");
    assert!(
        app.page(&head, "/")
            .await
            .contains("lettre de mission à signer"),
        "the head's home"
    );
    let html = app.page(&head, &url).await;
    assert!(html.contains(&sign), "the head is offered the signature");
    assert!(
        !app.page(&referent, &url).await.contains(&sign),
        "a referent does not sign"
    );
    let r = app
        .post_form(&head, &url, &sign, &[("password", "pas-le-bon")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("id=\"error-password\"")
    );
    let row = q::get_letter(&app.db.conn, a, id)
        .await
        .expect("q")
        .expect("letter");
    assert_eq!(row.status, "proposed");
    assert!(row.signed_hash.is_none(), "nothing signed");
    let r = app
        .post_form(&head, &url, &sign, &[("password", PASSWORD)])
        .await;
    assert_eq!(r.status(), 303);
    let row = q::get_letter(&app.db.conn, a, id)
        .await
        .expect("q")
        .expect("letter");
    assert_eq!(row.status, "signed");
    let hash = row.signed_hash.clone().expect("hash");
    let html = app.page(&head, &url).await;
    assert!(html.contains(&hash), "the page shows the signed hash");
    assert!(
        !html.contains("&lt;time"),
        "the signature's date is text, not escaped markup"
    );
    // A second signature of the same version is refused by name.
    let r = app
        .post_form(&head, &url, &sign, &[("password", PASSWORD)])
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("id=\"field-status\"")
    );
    assert_eq!(
        audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("pilotage.letter_signed"))
            .count(&app.db.conn)
            .await
            .expect("count"),
        1
    );

    // The referent acknowledges.
    assert!(
        !app.page(&head, "/")
            .await
            .contains("lettre de mission à signer")
    );
    assert!(
        app.page(&referent, "/")
            .await
            .contains("dont vous devez prendre connaissance")
    );
    let ack = format!("{url}/prise-de-connaissance");
    assert!(app.page(&referent, &url).await.contains(&ack));
    let r = app.post_form(&referent, &url, &ack, &[]).await;
    assert_eq!(r.status(), 303);
    let parts = q::parts_of(&app.db.conn, id).await.expect("parts");
    assert!(parts.referents[0].acknowledged_at.is_some());
    assert_eq!(
        parts.referents[0].acknowledged_hash.as_deref(),
        Some(hash.as_str())
    );
    assert!(!app.page(&referent, &url).await.contains(&ack), "once");
    assert!(
        !app.page(&referent, "/")
            .await
            .contains("dont vous devez prendre connaissance")
    );

    // A signed letter no longer changes.
    let r = app.post_form(&head, &url, &edit, &pairs(&changed)).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("body").contains("Rédigez un avenant"));
    let r = app
        .post_form(&referent, &url, &comments, &[("comment", "Encore ?")])
        .await;
    assert_eq!(r.status(), 422);

    // The year-end review: a final value that is not a number is refused
    // by name and records nothing; then each value beside its target.
    let review = format!("{url}/revue");
    let form = app.page(&head, &review).await;
    assert!(form.contains("id=\"field-final-2-value\""));
    let r = app
        .post_form(
            &head,
            &review,
            &review,
            &[
                ("final-0-value", "97"),
                ("final-1-value", "2"),
                ("final-2-value", "beaucoup"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("href=\"#field-final-2-value\"")
    );
    let row = q::get_letter(&app.db.conn, a, id)
        .await
        .expect("q")
        .expect("letter");
    assert_eq!(row.status, "signed", "nothing reviewed");
    let r = app
        .post_form(
            &referent,
            &review,
            &review,
            &[
                ("final-0-value", "97"),
                ("final-0-comment", "Renouvellement des écrans fait"),
                ("final-1-value", "2"),
                ("final-2-value", "18"),
                ("axis-0-comment", "Trois comités tenus."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let row = q::get_letter(&app.db.conn, a, id)
        .await
        .expect("q")
        .expect("letter");
    assert_eq!(row.status, "reviewed");
    assert_eq!(
        row.signed_hash.as_deref(),
        Some(hash.as_str()),
        "the signature stays"
    );
    let finals: Vec<Option<i64>> = q::parts_of(&app.db.conn, id)
        .await
        .expect("parts")
        .indicators
        .iter()
        .map(|i| i.final_value)
        .collect();
    assert_eq!(finals, vec![Some(97_000), Some(2_000), Some(18_000)]);
    let html = app.page(&head, &url).await;
    assert!(html.contains("id=\"letter-review\""));
    assert!(html.contains("Trois comités tenus."));
    assert!(html.contains("cible atteinte"), "97 % reaches 96,5 %");
    assert!(
        html.contains("cible non atteinte"),
        "2 overdue loans miss 0"
    );

    // An amendment: a new version, a draft, that shows its differences.
    let r = app
        .post_form(&head, &url, &format!("{url}/avenant"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let amend_edit = location(&r);
    let amend_edit = amend_edit.split('?').next().expect("path").to_string();
    let amend_url = amend_edit.trim_end_matches("/modifier").to_string();
    assert_ne!(amend_url, url);
    let mut amended = changed.clone();
    amended.retain(|(k, _)| k != "indicator-2-target");
    amended.push(("indicator-2-target".into(), "30".into()));
    let r = app
        .post_form(&head, &amend_edit, &amend_edit, &pairs(&amended))
        .await;
    assert_eq!(r.status(), 303);
    let html = app.page(&referent, &amend_url).await;
    assert!(html.contains("version 2"));
    assert!(html.contains("id=\"letter-diff\""));
    assert!(html.contains("Modifié :"), "{html}");
    assert!(
        html.contains("cible 20) → ") && html.contains("cible 30)"),
        "the changed target is shown: {html}"
    );
    // The signed version is untouched.
    let first = q::parts_of(&app.db.conn, id).await.expect("parts");
    assert_eq!(first.indicators[2].target, 20_000);

    // The printable page.
    let html = app.page(&head, &format!("{url}/imprimer")).await;
    assert!(html.contains("class=\"lettre-print\""));
    assert!(html.contains("id=\"print-signatures\""));
    assert!(html.contains(&hash));
}

async fn each_route_is_scoped(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let head = app.signed_in(DIRECTION_A).await;
    let list = letters(a);
    let new = format!("{list}/nouvelle");
    let good = fields(app, "20").await;
    let r = app.post_form(&head, &new, &new, &pairs(&good)).await;
    assert_eq!(r.status(), 303);
    let url = location(&r).split('?').next().expect("path").to_string();

    // Another school's referent: every page and step of A's letter is not found.
    let other = app.signed_in(REFERENT_B).await;
    for path in [
        list.clone(),
        new.clone(),
        url.clone(),
        format!("{url}/modifier"),
        format!("{url}/imprimer"),
    ] {
        let (status, _) = app.get_text(&other, &path).await;
        assert_eq!(status, 404, "GET {path}");
    }
    let home_b = "/";
    for (path, f) in [
        (new.clone(), vec![("school_year", "2026-2027")]),
        (format!("{url}/etape"), vec![("etape", "proposer")]),
        (format!("{url}/signature"), vec![("password", PASSWORD)]),
        (format!("{url}/commentaires"), vec![("comment", "x")]),
        (format!("{url}/avenant"), vec![]),
    ] {
        let r = app.post_form(&other, home_b, &path, &f).await;
        assert_eq!(r.status().as_u16(), 404, "POST {path}");
    }

    // A teacher of the school: writing is forbidden, drafts are not shown.
    let teacher = app.signed_in(TEACHER_A).await;
    let r = app.post_form(&teacher, "/", &new, &pairs(&good)).await;
    assert_eq!(r.status().as_u16(), 403);
    let r = app
        .post_form(&teacher, "/", &format!("{url}/modifier"), &pairs(&good))
        .await;
    assert_eq!(r.status().as_u16(), 403);
    let (status, _) = app.get_text(&teacher, &url).await;
    assert!(
        status == 403 || status == 404,
        "a teacher reads no draft: {status}"
    );
    assert_eq!(letter_count(app, a).await, 1);

    // The DANE reads a signed letter only.
    let dane = app.signed_in(DANE).await;
    let (status, _) = app.get_text(&dane, &url).await;
    assert_eq!(status, 404, "a draft is not shown to the DANE");
}

both_backends!(
    the_head_and_the_referent_draft_sign_acknowledge_and_amend,
    each_route_is_scoped,
);

/// `refnum demo`'s pilotage: each demo school with a head and a referent
/// gets last year's letter reviewed and this year's signed and
/// acknowledged, each signature the hash of what the letter says; run
/// again, it writes nothing.
async fn the_demo_fills_each_school_with_signed_letters(app: &TestApp) {
    app.demo().await;
    let today = refnum_services::prets::today();
    let n = refnum_services::pilotage::demo::seed_demo_schools(&app.db, PASSWORD, today)
        .await
        .expect("demo");
    assert!(n >= 4, "two letters in at least two schools: {n}");
    let a = app.etab_id(UAI_A).await;
    let all = q::letters_of(&app.db.conn, a).await.expect("letters");
    let this = refnum_domain::pilotage::SchoolYear::of(today).0;
    let statuses: Vec<(i32, &str)> = all
        .iter()
        .map(|l| (l.school_year, l.status.as_str()))
        .collect();
    assert_eq!(statuses, vec![(this, "signed"), (this - 1, "reviewed")]);
    let head = app.signed_in(DIRECTION_A).await;
    for l in &all {
        let parts = q::parts_of(&app.db.conn, l.id).await.expect("parts");
        assert!(parts.referents.iter().all(|r| r.acknowledged_at.is_some()));
        assert_eq!(
            parts.referents[0].acknowledged_hash, l.signed_hash,
            "the referent read what was signed"
        );
        let html = app.page(&head, &format!("{}/{}", letters(a), l.id)).await;
        assert!(html.contains(l.signed_hash.as_deref().expect("signed")));
    }
    assert_eq!(
        refnum_services::pilotage::demo::seed_demo_schools(&app.db, PASSWORD, today)
            .await
            .expect("again"),
        0
    );
}

both_backends!(the_demo_fills_each_school_with_signed_letters);

/// "Reprendre pour l'année suivante": a signed letter is copied as next
/// year's draft (parts copied, no acknowledgement, no final value); a
/// second copy is refused naming the year and writes nothing.
async fn a_letter_is_copied_to_the_next_year(app: &TestApp) {
    app.demo().await;
    let today = refnum_services::prets::today();
    refnum_services::pilotage::demo::seed_demo_schools(&app.db, PASSWORD, today)
        .await
        .expect("demo");
    let a = app.etab_id(UAI_A).await;
    let this = refnum_domain::pilotage::SchoolYear::of(today).0;
    let signed = q::letters_of(&app.db.conn, a)
        .await
        .expect("letters")
        .into_iter()
        .find(|l| l.school_year == this)
        .expect("this year's letter");
    let head = app.signed_in(DIRECTION_A).await;
    let url = format!("{}/{}", letters(a), signed.id);
    let copy = format!("{url}/copie");
    assert!(app.page(&head, &url).await.contains(&copy), "offered");
    let r = app.post_form(&head, &url, &copy, &[]).await;
    assert_eq!(r.status(), 303);
    let all = q::letters_of(&app.db.conn, a).await.expect("letters");
    let next = all
        .iter()
        .find(|l| l.school_year == this + 1)
        .expect("next year's letter");
    assert_eq!(next.status, "draft");
    assert_eq!(next.version, 1);
    let (from, to) = (
        q::parts_of(&app.db.conn, signed.id).await.expect("parts"),
        q::parts_of(&app.db.conn, next.id).await.expect("parts"),
    );
    assert_eq!(to.missions.len(), from.missions.len());
    assert_eq!(to.indicators.len(), from.indicators.len());
    assert!(to.referents.iter().all(|r| r.acknowledged_at.is_none()));
    assert!(to.indicators.iter().all(|i| i.final_value.is_none()));
    assert!(
        app.page(&head, &format!("{}/{}", letters(a), next.id))
            .await
            .contains("Brouillon")
    );
    // Once there, next year's letter is not copied again.
    let count = all.len();
    assert!(
        !app.page(&head, &url).await.contains(&copy),
        "no longer offered"
    );
    let r = app.post_form(&head, &url, &copy, &[]).await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        q::letters_of(&app.db.conn, a).await.expect("letters").len(),
        count
    );
}

both_backends!(a_letter_is_copied_to_the_next_year);
