//! Parc files: the import of asset lists, the exports and the QR labels.
