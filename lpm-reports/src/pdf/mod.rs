//! PDF rendering: the page layout engine, the bundled fonts and the charts.

pub(crate) mod chart;
pub(crate) mod doc;
pub(crate) mod fonts;
