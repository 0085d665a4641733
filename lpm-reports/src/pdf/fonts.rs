//! The two bundled faces (DejaVu Sans Condensed, regular and bold): metrics for layout, the
//! fallback for characters they lack, and subsetting so a PDF embeds only the glyphs it uses.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use printpdf::{FontId, ParsedFont, PdfDocument, PdfFont};

use crate::error::ReportError;

const REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSansCondensed.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSansCondensed-Bold.ttf");

/// Shown instead of a character neither face has a glyph for.
pub(crate) const REPLACEMENT: char = '?';

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

impl Weight {
    fn index(self) -> usize {
        match self {
            Weight::Regular => 0,
            Weight::Bold => 1,
        }
    }

    /// The resource name the pages refer to.
    pub(crate) fn font_id(self) -> FontId {
        match self {
            Weight::Regular => FontId("F_lpm_regular".to_owned()),
            Weight::Bold => FontId("F_lpm_bold".to_owned()),
        }
    }
}

/// One parsed face: character map and advance widths.
#[derive(Debug)]
pub(crate) struct Face {
    bytes: &'static [u8],
    glyphs: BTreeMap<u32, u16>,
    /// Advance of each glyph, in em.
    advances: Vec<f32>,
    /// Advances of code points below 256, in em (`NaN`: no glyph).
    latin: [f32; 256],
}

impl Face {
    fn parse(bytes: &'static [u8]) -> Option<Self> {
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())?;
        let upem = f32::from(parsed.units_per_em.max(1));
        let max_gid = parsed.glyph_widths.keys().max().copied().unwrap_or(0);
        let mut advances = vec![0.0; usize::from(max_gid) + 1];
        for (gid, w) in &parsed.glyph_widths {
            advances[usize::from(*gid)] = f32::from(*w) / upem;
        }
        let mut latin = [f32::NAN; 256];
        for (cp, gid) in parsed.codepoint_to_glyph.range(0..256) {
            if let Some(slot) = latin.get_mut(*cp as usize) {
                *slot = advances.get(usize::from(*gid)).copied().unwrap_or(0.0);
            }
        }
        Some(Self {
            bytes,
            glyphs: parsed.codepoint_to_glyph,
            advances,
            latin,
        })
    }

    /// The advance of `c` in em, or `None` when the face has no glyph for it.
    pub(crate) fn advance(&self, c: char) -> Option<f32> {
        let cp = c as u32;
        if cp < 256 {
            let a = self.latin[cp as usize];
            return (!a.is_nan()).then_some(a);
        }
        self.glyphs
            .get(&cp)
            .map(|gid| self.advances.get(usize::from(*gid)).copied().unwrap_or(0.0))
    }

    /// Width of `text` at `size` points (characters without a glyph count as the replacement).
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let fallback = self.advance(REPLACEMENT).unwrap_or(0.5);
        text.chars()
            .map(|c| self.advance(c).unwrap_or(fallback))
            .sum::<f32>()
            * size
    }

    fn glyph(&self, c: char) -> Option<u16> {
        self.glyphs.get(&(c as u32)).copied()
    }
}

/// Both faces.
#[derive(Debug)]
pub(crate) struct Fonts {
    faces: [Face; 2],
}

impl Fonts {
    /// The bundled faces, parsed once per process (they are constants).
    pub(crate) fn get() -> Result<&'static Fonts, ReportError> {
        static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
        FONTS
            .get_or_init(|| {
                Some(Fonts {
                    faces: [Face::parse(REGULAR)?, Face::parse(BOLD)?],
                })
            })
            .as_ref()
            .ok_or(ReportError::Font("the bundled font could not be parsed"))
    }

    pub(crate) fn face(&self, weight: Weight) -> &Face {
        &self.faces[weight.index()]
    }

    /// Makes `text` printable with `weight`: control characters become spaces and characters
    /// the face has no glyph for become [`REPLACEMENT`].
    pub(crate) fn printable(&self, text: &str, weight: Weight) -> String {
        let face = self.face(weight);
        text.chars()
            .map(|c| {
                if c.is_control() {
                    ' '
                } else if face.advance(c).is_some() {
                    c
                } else {
                    REPLACEMENT
                }
            })
            .collect()
    }
}

/// The characters each face drew, for subsetting.
#[derive(Debug, Default)]
pub(crate) struct UsedChars {
    sets: [BTreeSet<char>; 2],
}

impl UsedChars {
    pub(crate) fn note(&mut self, weight: Weight, text: &str) {
        self.sets[weight.index()].extend(text.chars());
    }

    /// Registers both faces on `doc`, each cut down to the glyphs used (the whole face when
    /// subsetting fails, which costs size, never text).
    pub(crate) fn embed(&self, fonts: &Fonts, doc: &mut PdfDocument) -> Result<(), ReportError> {
        for weight in [Weight::Regular, Weight::Bold] {
            let face = fonts.face(weight);
            let used = &self.sets[weight.index()];
            let parsed = subset(face, used)
                .or_else(|| ParsedFont::from_bytes(face.bytes, 0, &mut Vec::new()))
                .ok_or(ReportError::Font("the bundled font could not be embedded"))?;
            doc.resources
                .fonts
                .map
                .insert(weight.font_id(), PdfFont::new(parsed));
        }
        Ok(())
    }
}

fn subset(face: &Face, used: &BTreeSet<char>) -> Option<ParsedFont> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile, subset};

    let mut ids: Vec<u16> = used.iter().filter_map(|c| face.glyph(*c)).collect();
    ids.push(0);
    ids.sort_unstable();
    ids.dedup();
    let file = ReadScope::new(face.bytes).read::<FontData<'_>>().ok()?;
    let provider = file.table_provider(0).ok()?;
    let bytes = subset(
        &provider,
        &ids,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .ok()?;
    let parsed = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())?;
    // The subset must still map every used character, or text would turn into boxes.
    used.iter()
        .all(|c| face.glyph(*c).is_none() || parsed.lookup_glyph_index(*c as u32).is_some())
        .then_some(parsed)
}
