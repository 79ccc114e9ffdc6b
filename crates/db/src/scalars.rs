//! Several counts read in one statement: `SELECT (SELECT COUNT(*) …) AS a,
//! (SELECT …) AS b`. A page that shows a dozen figures (the home) asks the
//! database once instead of a dozen times; each figure is the same query
//! its own count function runs, as a subquery.

use sea_orm::sea_query::{
    Alias, Expr, Func, Query, SelectStatement, SimpleExpr, SubQueryStatement,
};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::HashMap;

/// The figures to read, each under its name.
#[derive(Debug, Default)]
pub struct Scalars {
    names: Vec<&'static str>,
    select: SelectStatement,
}

/// What [`Scalars::run`] read, by name.
#[derive(Debug, Default)]
pub struct Figures(HashMap<&'static str, i64>);

impl Figures {
    /// The figure read under `name`, if it was asked for.
    pub fn get(&self, name: &str) -> Option<i64> {
        self.0.get(name).copied()
    }

    /// The count read under `name` (0 when it was not asked for).
    pub fn count(&self, name: &str) -> u64 {
        self.get(name)
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0)
    }
}

fn sub(q: SelectStatement) -> SimpleExpr {
    SimpleExpr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(q)))
}

impl Scalars {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    fn push(&mut self, name: &'static str, e: SimpleExpr) -> &mut Self {
        assert!(
            !self.names.contains(&name),
            "the figure {name} is asked for twice"
        );
        self.names.push(name);
        self.select.expr_as(e, Alias::new(name));
        self
    }

    /// How many rows `q` finds: `q` selects nothing yet (a `FROM` and its
    /// conditions), and gets `COUNT(*)`; a query with columns, `DISTINCT`,
    /// grouping or a limit goes to [`Self::rows`].
    pub fn count(&mut self, name: &'static str, mut q: SelectStatement) -> &mut Self {
        q.expr(Expr::cust("COUNT(*)"));
        self.push(name, sub(q))
    }

    /// How many rows any `q` returns, counted around it.
    pub fn rows(&mut self, name: &'static str, q: SelectStatement) -> &mut Self {
        let counted = Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(q, Alias::new(format!("{name}_rows")))
            .to_owned();
        self.push(name, sub(counted))
    }

    /// 1 when `q` finds a row, else 0 (the database stops at the first).
    pub fn exists(&mut self, name: &'static str, q: SelectStatement) -> &mut Self {
        let e = Expr::case(Expr::exists(q), Expr::val(1i64)).finally(Expr::val(0i64));
        self.push(name, e.into())
    }

    /// A query that already gives one integer (a sum, say): it is read as
    /// a 64-bit integer, 0 when it gives NULL.
    pub fn value(&mut self, name: &'static str, q: SelectStatement) -> &mut Self {
        let e = Func::cast_as(
            Func::coalesce([sub(q), Expr::val(0i64)]),
            Alias::new("BIGINT"),
        );
        self.push(name, e.into())
    }

    /// Reads every figure in one statement (none when nothing was asked).
    pub async fn run<C: ConnectionTrait>(self, c: &C) -> Result<Figures, DbErr> {
        if self.names.is_empty() {
            return Ok(Figures::default());
        }
        let row = c
            .query_one(&self.select)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("the figures' row".into()))?;
        let mut out = HashMap::with_capacity(self.names.len());
        for name in self.names {
            out.insert(name, row.try_get::<i64>("", name)?);
        }
        Ok(Figures(out))
    }
}

/// How many rows `q` finds (see [`Scalars::count`]), in one statement.
pub async fn count_of<C: ConnectionTrait>(c: &C, q: SelectStatement) -> Result<u64, DbErr> {
    let mut s = Scalars::new();
    s.count("n", q);
    Ok(s.run(c).await?.count("n"))
}
