//! The project's reads: a whole plan level by level, one objective, one
//! action, one indicator, and the off-target list of the pilotage home.
//! Bound indicators take the value RefNum computes now
//! (`crate::pilotage::mesures::current`), typed ones the value recorded
//! for the year.

use super::*;
use refnum_db::pilotage::projet as q;
/// Builds the indicators' views: targets read for all at once, bound
/// values from `measured` (the current year's only).
fn indicator_views(
    indicators: Vec<projet_indicateur::Model>,
    targets: &[projet_cible::Model],
    period: Period,
    current: Option<SchoolYear>,
    measured: Option<&crate::pilotage::mesures::Mesures>,
) -> Vec<IndicatorView> {
    indicators
        .into_iter()
        .map(|i| {
            let source = source_of(&i);
            let years: Vec<YearFigure> = period
                .years()
                .into_iter()
                .map(|y| {
                    let row = targets
                        .iter()
                        .find(|t| t.indicateur_id == i.id && t.school_year == y.0);
                    let target = row.and_then(|r| r.target);
                    let value = match source {
                        IndicatorSource::Manual { .. } => row.and_then(|r| r.value),
                        IndicatorSource::Bound { metric } if Some(y) == current => {
                            measured.and_then(|m| m.value(metric))
                        }
                        IndicatorSource::Bound { .. } => None,
                    };
                    YearFigure {
                        year: y,
                        target,
                        value,
                        standing: rules::standing(source, target, value),
                    }
                })
                .collect();
            let current = current.and_then(|c| years.iter().find(|f| f.year == c).copied());
            IndicatorView {
                indicator: i,
                source,
                years,
                current,
            }
        })
        .collect()
}

/// The live values of the bound indicators, read only when one of them is
/// bound and the plan covers this year.
async fn measured(
    db: &Db,
    etab: &etablissement::Model,
    indicators: &[projet_indicateur::Model],
    current: Option<SchoolYear>,
) -> Result<Option<crate::pilotage::mesures::Mesures>> {
    if current.is_none() || !indicators.iter().any(|i| i.source_kind == "bound") {
        return Ok(None);
    }
    Ok(Some(
        crate::pilotage::mesures::current(db, etab, Utc::now()).await?,
    ))
}

/// Reads a whole plan, level by level.
async fn plan_view(
    db: &Db,
    etab: etablissement::Model,
    plan: projet::Model,
    today: NaiveDate,
    manager: bool,
) -> Result<PlanView> {
    let period = period_of(&plan)?;
    let current = current_year(period, today);
    let axes = q::axes_of(&db.conn, etab.id, plan.id).await?;
    let objectives = q::objectives_of(&db.conn, etab.id, plan.id).await?;
    let actions = q::actions_of(&db.conn, etab.id, plan.id, None).await?;
    let indicators = q::indicators_of(&db.conn, etab.id, plan.id, None).await?;
    let ids: Vec<Uuid> = indicators.iter().map(|i| i.id).collect();
    let targets = q::targets_of(&db.conn, &ids).await?;
    let oids: Vec<Uuid> = objectives.iter().map(|o| o.id).collect();
    let linked = q::comite_actions_of(&db.conn, etab.id, &oids).await?;
    let m = measured(db, &etab, &indicators, current).await?;
    let mut views = indicator_views(indicators, &targets, period, current, m.as_ref());
    let mut objective_views: Vec<ObjectiveView> = objectives
        .into_iter()
        .map(|o| {
            let acts: Vec<ActionLine> = actions
                .iter()
                .filter(|a| a.objectif_id == o.id)
                .cloned()
                .map(line)
                .collect();
            let (mine, rest): (Vec<IndicatorView>, Vec<IndicatorView>) = std::mem::take(&mut views)
                .into_iter()
                .partition(|v| v.indicator.objectif_id == o.id);
            views = rest;
            objective_view(o, acts, mine, &linked)
        })
        .collect();
    let axes = axes
        .into_iter()
        .map(|a| {
            let (mine, rest): (Vec<ObjectiveView>, Vec<ObjectiveView>) =
                std::mem::take(&mut objective_views)
                    .into_iter()
                    .partition(|o| o.objective.axe_id == a.id);
            objective_views = rest;
            AxisView {
                axis: a,
                objectives: mine,
            }
        })
        .collect();
    let others = q::plans_of(&db.conn, etab.id)
        .await?
        .into_iter()
        .filter(|p| p.id != plan.id)
        .collect();
    Ok(PlanView {
        etablissement: etab,
        plan,
        period,
        current_year: current,
        axes,
        others,
        may_manage: manager,
    })
}

fn objective_view(
    o: projet_objectif::Model,
    actions: Vec<ActionLine>,
    indicators: Vec<IndicatorView>,
    linked: &[comite_action::Model],
) -> ObjectiveView {
    let progress = rules::objective_progress(
        &actions
            .iter()
            .map(|a| (a.status, a.action.progress))
            .collect::<Vec<_>>(),
    );
    ObjectiveView {
        comite_actions: linked
            .iter()
            .filter(|c| c.objective_id == Some(o.id))
            .cloned()
            .collect(),
        objective: o,
        progress,
        actions,
        indicators,
    }
}

/// The plan a school's page shows: the one covering today's school year,
/// else the next to come, else the latest.
fn pick_current(plans: &[projet::Model], today: NaiveDate) -> Option<&projet::Model> {
    let y = SchoolYear::of(today).0;
    plans
        .iter()
        .find(|p| p.first_year <= y && y <= p.last_year)
        .or_else(|| plans.iter().rfind(|p| p.first_year > y))
        .or_else(|| plans.first())
}

// -------------------------------------------------------------------- reads

/// A school's project (`ViewSchoolProject`): the plan covering today's
/// school year (else the next to come, else the latest) with every level,
/// each objective's progress and each indicator's figures.
pub async fn current(db: &Db, ctx: &Ctx, etab_id: Uuid, today: NaiveDate) -> Result<ProjectHome> {
    let (etab, facts) = open(db, ctx, etab_id, EtabAction::ViewSchoolProject).await?;
    let manager = may_manage(ctx, &facts);
    let plans = q::plans_of(&db.conn, etab.id).await?;
    let plan = match pick_current(&plans, today) {
        Some(p) => Some(plan_view(db, etab.clone(), p.clone(), today, manager).await?),
        None => None,
    };
    Ok(ProjectHome {
        etablissement: etab,
        plan,
        may_manage: manager,
    })
}

/// One plan of a school (`ViewSchoolProject`), with every level.
pub async fn plan(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    plan_id: Uuid,
    today: NaiveDate,
) -> Result<PlanView> {
    let (etab, facts) = open(db, ctx, etab_id, EtabAction::ViewSchoolProject).await?;
    let p = q::get_plan(&db.conn, etab.id, plan_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    plan_view(db, etab, p, today, may_manage(ctx, &facts)).await
}

/// One objective of a school (`ViewSchoolProject`): its progress, actions,
/// indicators and the comité's actions linked to it.
pub async fn objective(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    today: NaiveDate,
) -> Result<ObjectiveDetail> {
    let (etab, facts) = open(db, ctx, etab_id, EtabAction::ViewSchoolProject).await?;
    let o = q::get_objective(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let plan = q::get_plan(&db.conn, etab.id, o.projet_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let axis = q::get_axis(&db.conn, etab.id, o.axe_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let period = period_of(&plan)?;
    let current = current_year(period, today);
    let actions = q::actions_of(&db.conn, etab.id, plan.id, Some(o.id))
        .await?
        .into_iter()
        .map(line)
        .collect();
    let indicators = q::indicators_of(&db.conn, etab.id, plan.id, Some(o.id)).await?;
    let ids: Vec<Uuid> = indicators.iter().map(|i| i.id).collect();
    let targets = q::targets_of(&db.conn, &ids).await?;
    let m = measured(db, &etab, &indicators, current).await?;
    let views = indicator_views(indicators, &targets, period, current, m.as_ref());
    let linked = q::comite_actions_of(&db.conn, etab.id, &[o.id]).await?;
    Ok(ObjectiveDetail {
        view: objective_view(o, actions, views, &linked),
        etablissement: etab,
        plan,
        period,
        current_year: current,
        axis,
        may_manage: may_manage(ctx, &facts),
    })
}

/// The comité's actions of a school, the latest due first, for the choices
/// of the forms (`ManageSchoolProject`).
pub async fn comite_choices(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
) -> Result<Vec<comite_action::Model>> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    Ok(q::comite_actions_for_choice(&db.conn, etab.id, COMITE_CHOICES).await?)
}

/// One action of a school (`ViewSchoolProject`), with its objective and
/// the comité's action that feeds it.
pub async fn action(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid) -> Result<ActionDetail> {
    let (etab, facts) = open(db, ctx, etab_id, EtabAction::ViewSchoolProject).await?;
    let manager = may_manage(ctx, &facts);
    let a = q::get_action(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let plan = q::get_plan(&db.conn, etab.id, a.projet_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let objective = q::get_objective(&db.conn, etab.id, a.objectif_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let comite_action = match a.comite_action_id {
        Some(c) => refnum_db::pilotage::comite::get_action(&db.conn, etab.id, c).await?,
        None => None,
    };
    let l = line(a);
    let next_statuses = if manager {
        ActionStatus::ALL
            .iter()
            .copied()
            .filter(|s| l.status.next(*s).is_ok())
            .collect()
    } else {
        vec![]
    };
    Ok(ActionDetail {
        period: period_of(&plan)?,
        etablissement: etab,
        plan,
        objective,
        line: l,
        comite_action,
        next_statuses,
        may_manage: manager,
    })
}

/// One indicator of a school (`ViewSchoolProject`), with its figures year
/// by year.
pub async fn indicator(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    today: NaiveDate,
) -> Result<IndicatorDetail> {
    let (etab, facts) = open(db, ctx, etab_id, EtabAction::ViewSchoolProject).await?;
    let i = q::get_indicator(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let plan = q::get_plan(&db.conn, etab.id, i.projet_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let objective = q::get_objective(&db.conn, etab.id, i.objectif_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let period = period_of(&plan)?;
    let current = current_year(period, today);
    let targets = q::targets_of(&db.conn, &[i.id]).await?;
    let rows = vec![i];
    let m = measured(db, &etab, &rows, current).await?;
    let view = indicator_views(rows, &targets, period, current, m.as_ref())
        .pop()
        .ok_or(ServiceError::NotFound)?;
    Ok(IndicatorDetail {
        etablissement: etab,
        plan,
        period,
        objective,
        view,
        may_manage: may_manage(ctx, &facts),
    })
}

/// The indicators of the plan covering today's school year whose value
/// misses this year's target (`ViewSchoolProject`), for the pilotage home:
/// bound ones by the value computed now, typed ones by the value recorded
/// for this year. An indicator without a target or a value this year is
/// not listed.
pub async fn off_target(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<OffTarget>> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ViewSchoolProject).await?;
    let year = SchoolYear::of(today);
    let Some(plan) = q::plan_covering(&db.conn, etab.id, year.0).await? else {
        return Ok(vec![]);
    };
    let period = period_of(&plan)?;
    let indicators = q::indicators_of(&db.conn, etab.id, plan.id, None).await?;
    let objectives = q::objectives_of(&db.conn, etab.id, plan.id).await?;
    let ids: Vec<Uuid> = indicators.iter().map(|i| i.id).collect();
    let targets = q::targets_of(&db.conn, &ids).await?;
    let m = measured(db, &etab, &indicators, Some(year)).await?;
    Ok(
        indicator_views(indicators, &targets, period, Some(year), m.as_ref())
            .into_iter()
            .filter_map(|v| {
                let f = v.current?;
                if f.standing != Standing::OffTarget {
                    return None;
                }
                let o = objectives
                    .iter()
                    .find(|o| o.id == v.indicator.objectif_id)?;
                Some(OffTarget {
                    indicator_id: v.indicator.id,
                    objective_id: o.id,
                    label: v.indicator.label.clone(),
                    objective_title: o.title.clone(),
                    unit: v.source.unit(),
                    year,
                    target: f.target?,
                    value: f.value?,
                })
            })
            .collect(),
    )
}
