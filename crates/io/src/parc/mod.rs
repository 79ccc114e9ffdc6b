//! Parc files: asset CSV import (own layout and GLPI exports), CSV and ODS exports, QR label sheets.
