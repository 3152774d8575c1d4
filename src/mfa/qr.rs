//! The QR code of an `otpauth://` URI, drawn in the terminal with Unicode
//! half blocks (two modules per character cell, qrcode's `Dense1x2`).
//!
//! Light modules are drawn as blocks in the terminal's text colour and dark
//! ones as blank cells, as `qrencode -t UTF8` does: on the usual light text
//! over a dark background the code then reads the right way round, quiet
//! zone included. A code wider than 80 columns is not drawn.

use qrcode::render::unicode::Dense1x2;
use qrcode::{EcLevel, QrCode};

/// The widest terminal the code must fit.
pub const MAX_COLUMNS: usize = 80;
/// The quiet zone qrcode draws around the code, in modules.
const QUIET_ZONE: usize = 4;

/// The code as lines of half blocks, or `None` when it would not fit in
/// `MAX_COLUMNS` columns.
pub fn render(uri: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::M).ok()?;
    if code.width() + 2 * QUIET_ZONE > MAX_COLUMNS {
        return None;
    }
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typical_uri_fits_80_columns_and_a_huge_one_is_not_drawn() {
        let uri = format!(
            "otpauth://totp/latch:alice%20%28{}%29?secret={}&issuer=latch",
            "%2Fhome%2Falice%2F.local%2Fshare%2Flatch%2Flatch.db",
            "A".repeat(32)
        );
        let drawn = render(&uri).expect("fits");
        for line in drawn.lines() {
            assert!(line.chars().count() <= MAX_COLUMNS);
        }
        assert!(render(&"x".repeat(2000)).is_none());
    }
}
