//! Charts as PNG files, rasterized by resvg (pure Rust, no system libraries).
//!
//! Text is shaped with fonts found among the system's font files (the usual directories such
//! as `/usr/share/fonts`, scanned in pure Rust). Without any font the labels would silently
//! vanish, so [`Rasterizer::new`] refuses with [`PngError::NoFonts`] instead.

use resvg::usvg;

/// The raster library resvg draws with, re-exported so callers can decode and inspect PNGs
/// (e.g. a browser screenshot in a test) without another dependency.
pub use resvg::tiny_skia;

/// Why a chart could not be rasterized.
#[derive(Debug)]
pub enum PngError {
    /// No font file was found, so text could not be drawn.
    NoFonts,
    /// The SVG could not be parsed (a bug in the chart code).
    Svg(usvg::Error),
    /// The pixels could not be allocated (a zero or too large size).
    Allocate {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The image could not be encoded.
    Encode(Box<dyn std::error::Error + Send + Sync>),
}

impl std::fmt::Display for PngError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PngError::NoFonts => f.write_str(
                "no fonts found in the system font directories, so chart text cannot be drawn \
                 (install a font package such as fonts-dejavu-core, or do not ask for PNG files)",
            ),
            PngError::Svg(e) => write!(f, "chart SVG could not be parsed: {e}"),
            PngError::Allocate { width, height } => {
                write!(f, "PNG could not be written: cannot allocate {width} x {height} pixels")
            }
            PngError::Encode(e) => write!(f, "PNG could not be written: {e}"),
        }
    }
}

impl std::error::Error for PngError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PngError::Svg(e) => Some(e),
            PngError::Encode(e) => Some(e.as_ref()),
            PngError::NoFonts | PngError::Allocate { .. } => None,
        }
    }
}

/// Rasterizes SVG charts; holds the font database, loaded once.
pub struct Rasterizer {
    options: usvg::Options<'static>,
}

impl Rasterizer {
    /// Loads the system fonts. Errors with [`PngError::NoFonts`] when there are none.
    pub fn new() -> Result<Rasterizer, PngError> {
        let mut options = usvg::Options::default();
        options.fontdb_mut().load_system_fonts();
        if options.fontdb.is_empty() {
            return Err(PngError::NoFonts);
        }
        Ok(Rasterizer { options })
    }

    /// Renders `svg` at `scale` times its size (2 gives crisp images for slides) on its own
    /// white background and returns the PNG bytes.
    pub fn png(&self, svg: &str, scale: f32) -> Result<Vec<u8>, PngError> {
        let tree = usvg::Tree::from_str(svg, &self.options).map_err(PngError::Svg)?;
        let size = tree.size();
        let (w, h) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
        let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1))
            .ok_or(PngError::Allocate { width: w, height: h })?;
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
        pixmap.encode_png().map_err(|e| PngError::Encode(Box::new(e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn wrapped_errors_are_the_source() {
        let parse = usvg::Tree::from_str("not an svg", &usvg::Options::default()).unwrap_err();
        let text = parse.to_string();
        let err = PngError::Svg(parse);
        assert_eq!(err.source().map(|s| s.to_string()), Some(text));
        assert!(PngError::NoFonts.source().is_none());
        assert!(!PngError::NoFonts.to_string().contains("--"));
    }
}
