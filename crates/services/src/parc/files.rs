//! Parc files: asset list import (own layout and GLPI exports), CSV and ODS exports, QR label sheets.
