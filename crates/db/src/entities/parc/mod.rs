//! Parc entities: places, assets and their history.
