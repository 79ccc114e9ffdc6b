//! Parc queries: places, assets, their history.
