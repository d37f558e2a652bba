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
    Svg(String),
    /// The image could not be allocated or encoded.
    Encode(String),
}

impl std::fmt::Display for PngError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PngError::NoFonts => f.write_str(
                "no fonts found in the system font directories, so chart text cannot be drawn \
                 (install a font package such as fonts-dejavu-core, or leave out --png)",
            ),
            PngError::Svg(e) => write!(f, "chart SVG could not be parsed: {e}"),
            PngError::Encode(e) => write!(f, "PNG could not be written: {e}"),
        }
    }
}

impl std::error::Error for PngError {}

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
        let tree =
            usvg::Tree::from_str(svg, &self.options).map_err(|e| PngError::Svg(e.to_string()))?;
        let size = tree.size();
        let (w, h) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
        let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1))
            .ok_or_else(|| PngError::Encode(format!("cannot allocate {w} x {h} pixels")))?;
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
        pixmap.encode_png().map_err(|e| PngError::Encode(e.to_string()))
    }
}
