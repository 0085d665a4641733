//! The compliance report: per host, what is pending and whether it is reachable; for the
//! fleet, how much of it is fully patched, by severity and by group.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lpm_core::agent::Severity;
use serde::{Deserialize, Serialize};

use crate::csv_out::{CsvFields, CsvRow, write_csv};
use crate::error::ReportError;
use crate::filters::ReportMeta;
use crate::format;
use crate::pdf::chart::{self, BarChart, Series};
use crate::pdf::doc::{Col, Doc, Orientation, Rgb3};
use crate::render::{self, PdfOptions};

/// The group name shown for hosts in no group.
pub const UNGROUPED: &str = "(ungrouped)";

/// Counts per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    /// Critical.
    #[serde(default)]
    pub critical: u32,
    /// Important.
    #[serde(default)]
    pub important: u32,
    /// Moderate.
    #[serde(default)]
    pub moderate: u32,
    /// Low.
    #[serde(default)]
    pub low: u32,
    /// Not rated.
    #[serde(default)]
    pub unknown: u32,
}

impl SeverityCounts {
    /// The count for one severity.
    pub fn get(&self, s: Severity) -> u32 {
        match s {
            Severity::Critical => self.critical,
            Severity::Important => self.important,
            Severity::Moderate => self.moderate,
            Severity::Low => self.low,
            Severity::Unknown => self.unknown,
        }
    }

    /// Adds `n` to one severity.
    pub fn add(&mut self, s: Severity, n: u32) {
        let slot = match s {
            Severity::Critical => &mut self.critical,
            Severity::Important => &mut self.important,
            Severity::Moderate => &mut self.moderate,
            Severity::Low => &mut self.low,
            Severity::Unknown => &mut self.unknown,
        };
        *slot = slot.saturating_add(n);
    }

    /// Adds every count of `other`.
    pub fn add_all(&mut self, other: &SeverityCounts) {
        for s in Severity::ALL {
            self.add(*s, other.get(*s));
        }
    }

    /// The sum over all severities.
    pub fn total(&self) -> u64 {
        Severity::ALL.iter().map(|s| u64::from(self.get(*s))).sum()
    }

    /// The most severe severity with a non-zero count.
    pub fn worst(&self) -> Option<Severity> {
        Severity::ALL.iter().copied().find(|s| self.get(*s) > 0)
    }
}

/// One host's compliance, as the caller loaded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostCompliance {
    /// The name people know it by (FQDN or address).
    pub name: String,
    /// Its groups' names (empty: ungrouped).
    #[serde(default)]
    pub groups: Vec<String>,
    /// Operating system, once polled.
    #[serde(default)]
    pub os: Option<String>,
    /// Pending (available, not applied) patches by severity.
    #[serde(default)]
    pub pending: SeverityCounts,
    /// How many of the pending patches are security updates.
    #[serde(default)]
    pub security_patches: u32,
    /// A reboot is pending on the host.
    #[serde(default)]
    pub reboot_required: bool,
    /// When the manager last polled its patches successfully (never: `None`).
    #[serde(default)]
    pub last_successful_poll: Option<DateTime<Utc>>,
    /// Retries exhausted: the host is flagged (SDD §8.1), its data may be stale.
    #[serde(default)]
    pub unreachable: bool,
}

impl HostCompliance {
    /// A reachable host with no pending patches, never polled; fill in the rest.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            groups: Vec::new(),
            os: None,
            pending: SeverityCounts::default(),
            security_patches: 0,
            reboot_required: false,
            last_successful_poll: None,
            unreachable: false,
        }
    }

    /// Fully patched: reachable, polled at least once, and nothing pending. An unreachable or
    /// never-polled host is not counted as patched, since its data cannot be trusted.
    pub fn is_fully_patched(&self) -> bool {
        !self.unreachable && self.last_successful_poll.is_some() && self.pending.total() == 0
    }

    /// The host's state in one word for the by-severity chart: `unreachable`, `not polled`,
    /// its worst pending severity, or `fully patched`.
    pub fn state(&self) -> HostState {
        if self.unreachable {
            HostState::Unreachable
        } else if self.last_successful_poll.is_none() {
            HostState::NotPolled
        } else {
            match self.pending.worst() {
                Some(s) => HostState::Pending(s),
                None => HostState::FullyPatched,
            }
        }
    }
}

/// A host's state, for the fleet breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostState {
    /// Nothing pending.
    FullyPatched,
    /// Patches pending; the most severe one's severity.
    Pending(Severity),
    /// Never polled successfully.
    NotPolled,
    /// Retries exhausted.
    Unreachable,
}

/// One group's figures. A host in several groups counts in each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupCompliance {
    /// The group's name ([`UNGROUPED`] for hosts in none).
    pub group: String,
    /// Hosts in it.
    pub hosts: u32,
    /// Of which fully patched.
    pub fully_patched: u32,
    /// `fully_patched / hosts` in percent (`None` for no hosts).
    pub percent_fully_patched: Option<f64>,
    /// Unreachable hosts.
    pub unreachable: u32,
    /// Pending patches by severity, summed over its hosts.
    pub pending: SeverityCounts,
}

/// The fleet's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FleetCompliance {
    /// Hosts in the report.
    pub hosts: u32,
    /// Fully patched hosts ([`HostCompliance::is_fully_patched`]).
    pub fully_patched: u32,
    /// `fully_patched / hosts` in percent (`None` for no hosts).
    pub percent_fully_patched: Option<f64>,
    /// Unreachable hosts.
    pub unreachable: u32,
    /// Hosts never polled successfully.
    pub not_polled: u32,
    /// Hosts with a reboot pending.
    pub reboot_required: u32,
    /// Pending patches by severity, summed over the fleet.
    pub pending: SeverityCounts,
    /// Pending security patches, summed over the fleet.
    pub security_patches: u64,
    /// Hosts by their worst pending severity (reachable, polled hosts with something pending).
    pub hosts_by_worst_severity: SeverityCounts,
    /// Per group, sorted by name ([`UNGROUPED`] last).
    pub by_group: Vec<GroupCompliance>,
}

impl FleetCompliance {
    /// Computes the fleet's figures from its hosts.
    pub fn compute(hosts: &[HostCompliance]) -> Self {
        let mut fleet = FleetCompliance {
            hosts: 0,
            fully_patched: 0,
            percent_fully_patched: None,
            unreachable: 0,
            not_polled: 0,
            reboot_required: 0,
            pending: SeverityCounts::default(),
            security_patches: 0,
            hosts_by_worst_severity: SeverityCounts::default(),
            by_group: Vec::new(),
        };
        let mut groups: BTreeMap<(bool, &str), GroupCompliance> = BTreeMap::new();
        for h in hosts {
            fleet.hosts += 1;
            let patched = h.is_fully_patched();
            fleet.fully_patched += u32::from(patched);
            fleet.unreachable += u32::from(h.unreachable);
            fleet.reboot_required += u32::from(h.reboot_required);
            fleet.pending.add_all(&h.pending);
            fleet.security_patches += u64::from(h.security_patches);
            match h.state() {
                HostState::Pending(s) => fleet.hosts_by_worst_severity.add(s, 1),
                HostState::NotPolled => fleet.not_polled += 1,
                HostState::FullyPatched | HostState::Unreachable => {}
            }
            let names: Vec<&str> = if h.groups.is_empty() {
                vec![UNGROUPED]
            } else {
                let mut g: Vec<&str> = h.groups.iter().map(String::as_str).collect();
                g.sort_unstable();
                g.dedup();
                g
            };
            for name in names {
                let g =
                    groups
                        .entry((name == UNGROUPED, name))
                        .or_insert_with(|| GroupCompliance {
                            group: name.to_owned(),
                            hosts: 0,
                            fully_patched: 0,
                            percent_fully_patched: None,
                            unreachable: 0,
                            pending: SeverityCounts::default(),
                        });
                g.hosts += 1;
                g.fully_patched += u32::from(patched);
                g.unreachable += u32::from(h.unreachable);
                g.pending.add_all(&h.pending);
            }
        }
        fleet.percent_fully_patched = percent(fleet.fully_patched, fleet.hosts);
        fleet.by_group = groups
            .into_values()
            .map(|mut g| {
                g.percent_fully_patched = percent(g.fully_patched, g.hosts);
                g
            })
            .collect();
        fleet
    }
}

fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) * 100.0 / f64::from(whole))
}

/// The compliance report: hosts and the fleet summary computed from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceReport {
    /// When, by whom, with which filters.
    pub meta: ReportMeta,
    /// The fleet's figures.
    pub fleet: FleetCompliance,
    /// The hosts, in the order given.
    pub hosts: Vec<HostCompliance>,
}

impl ComplianceReport {
    /// Builds the report; the fleet figures are computed from `hosts`.
    pub fn new(meta: ReportMeta, hosts: Vec<HostCompliance>) -> Self {
        Self {
            meta,
            fleet: FleetCompliance::compute(&hosts),
            hosts,
        }
    }

    /// Writes one CSV row per host (see [`HostCompliance`]'s columns in the crate docs) and
    /// returns the number of rows.
    pub fn write_csv<W: std::io::Write>(&self, out: W) -> Result<u64, ReportError> {
        write_csv(out, &self.hosts)
    }

    /// Renders the PDF: cover with the fleet summary, the two charts, the group table and the
    /// host table.
    pub fn to_pdf(&self) -> Result<Vec<u8>, ReportError> {
        self.to_pdf_with(&PdfOptions::default())
    }

    /// [`Self::to_pdf`] with options.
    pub fn to_pdf_with(&self, options: &PdfOptions) -> Result<Vec<u8>, ReportError> {
        let title = "Compliance report";
        let mut doc = Doc::new(title, self.meta.generated_at)?;
        let f = &self.fleet;
        let summary = vec![
            ("Hosts".to_owned(), format::count(u64::from(f.hosts))),
            (
                "Fully patched".to_owned(),
                format!(
                    "{} of {} ({})",
                    format::count(u64::from(f.fully_patched)),
                    format::count(u64::from(f.hosts)),
                    format::percent(f.percent_fully_patched)
                ),
            ),
            (
                "Pending patches".to_owned(),
                severity_line(&f.pending, f.pending.total()),
            ),
            (
                "Security patches pending".to_owned(),
                format::count(f.security_patches),
            ),
            (
                "Reboot required".to_owned(),
                format::count(u64::from(f.reboot_required)),
            ),
            (
                "Unreachable".to_owned(),
                format::count(u64::from(f.unreachable)),
            ),
            (
                "Never polled".to_owned(),
                format::count(u64::from(f.not_polled)),
            ),
        ];
        render::cover(
            &mut doc,
            title,
            "Pending patches and reachability of every host in scope. A host is fully \
             patched when it is reachable, has been polled, and has nothing pending.",
            &self.meta,
            &summary,
        );
        if self.hosts.is_empty() {
            doc.paragraph("No data: no hosts match these filters.", 11.0, Rgb3::BAD);
        }
        doc.add_page(Orientation::Portrait);
        let states: Vec<(String, f64, Rgb3)> = [
            ("Fully patched", f64::from(f.fully_patched), Rgb3::GOOD),
            (
                "Critical",
                f64::from(f.hosts_by_worst_severity.critical),
                render::severity_color(Severity::Critical),
            ),
            (
                "Important",
                f64::from(f.hosts_by_worst_severity.important),
                render::severity_color(Severity::Important),
            ),
            (
                "Moderate",
                f64::from(f.hosts_by_worst_severity.moderate),
                render::severity_color(Severity::Moderate),
            ),
            (
                "Low",
                f64::from(f.hosts_by_worst_severity.low),
                render::severity_color(Severity::Low),
            ),
            (
                "Unrated",
                f64::from(f.hosts_by_worst_severity.unknown),
                render::severity_color(Severity::Unknown),
            ),
            ("Never polled", f64::from(f.not_polled), Rgb3::GREY),
            ("Unreachable", f64::from(f.unreachable), Rgb3::DARK),
        ]
        .into_iter()
        .map(|(a, b, c)| (a.to_owned(), b, c))
        .collect();
        chart::bar_chart(
            &mut doc,
            &BarChart {
                title: "Hosts by most severe pending patch",
                category_axis: "State",
                value_axis: "Hosts",
                categories: states.iter().map(|s| s.0.clone()).collect(),
                series: vec![Series {
                    name: "Hosts".to_owned(),
                    color: Rgb3::ACCENT,
                    values: states.iter().map(|s| s.1).collect(),
                }],
                category_colors: Some(states.iter().map(|s| s.2).collect()),
                max: None,
                horizontal: false,
                label: |v| format::count(v.max(0.0).round() as u64),
                height: 300.0,
            },
        )?;
        // The group chart: the least-patched groups first when there are too many to show.
        let mut groups: Vec<&GroupCompliance> = f.by_group.iter().collect();
        let shown = groups.len().min(options.max_chart_categories);
        let group_title = if groups.len() > shown {
            groups.sort_by(|a, b| {
                a.percent_fully_patched
                    .partial_cmp(&b.percent_fully_patched)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then_with(|| a.group.cmp(&b.group))
            });
            groups.truncate(shown);
            format!(
                "Fully patched hosts by group (the {shown} least patched of {} groups)",
                f.by_group.len()
            )
        } else {
            "Fully patched hosts by group".to_owned()
        };
        let bar_h = (groups.len() as f32 * 22.0 + 110.0).clamp(200.0, 420.0);
        chart::bar_chart(
            &mut doc,
            &BarChart {
                title: &group_title,
                category_axis: "Group",
                value_axis: "Fully patched (% of the group's hosts)",
                categories: groups.iter().map(|g| g.group.clone()).collect(),
                series: vec![Series {
                    name: "Fully patched".to_owned(),
                    color: Rgb3::ACCENT,
                    values: groups
                        .iter()
                        .map(|g| g.percent_fully_patched.unwrap_or(0.0))
                        .collect(),
                }],
                category_colors: None,
                max: Some(100.0),
                horizontal: true,
                label: |v| format!("{v:.0}%"),
                height: bar_h,
            },
        )?;
        doc.add_page(Orientation::Landscape);
        doc.table(
            "Groups",
            &[
                Col::left("Group", 4.0, 2),
                Col::right("Hosts", 1.2),
                Col::right("Fully patched", 1.5),
                Col::right("% fully patched", 1.5),
                Col::right("Unreachable", 1.4),
                Col::right("Critical", 1.2),
                Col::right("Important", 1.2),
                Col::right("Moderate", 1.2),
                Col::right("Low", 1.0),
                Col::right("Unrated", 1.1),
            ],
            f.by_group.iter().map(|g| {
                vec![
                    g.group.clone(),
                    format::count(u64::from(g.hosts)),
                    format::count(u64::from(g.fully_patched)),
                    format::percent(g.percent_fully_patched),
                    format::count(u64::from(g.unreachable)),
                    g.pending.critical.to_string(),
                    g.pending.important.to_string(),
                    g.pending.moderate.to_string(),
                    g.pending.low.to_string(),
                    g.pending.unknown.to_string(),
                ]
            }),
            options.max_table_rows,
        );
        doc.table(
            "Hosts",
            &[
                Col::left("Host", 3.8, 2),
                Col::left("Groups", 3.0, 2),
                Col::left("OS", 2.8, 2),
                Col::right("Critical", 1.1),
                Col::right("Important", 1.35),
                Col::right("Moderate", 1.25),
                Col::right("Low", 0.8),
                Col::right("Unrated", 1.1),
                Col::right("Security", 1.1),
                Col::left("Reboot", 1.0, 1),
                Col::left("Last successful poll", 2.4, 1),
                Col::left("Unreachable", 1.8, 1),
            ],
            self.hosts.iter().map(|h| {
                vec![
                    h.name.clone(),
                    h.groups.join(", "),
                    h.os.clone().unwrap_or_default(),
                    h.pending.critical.to_string(),
                    h.pending.important.to_string(),
                    h.pending.moderate.to_string(),
                    h.pending.low.to_string(),
                    h.pending.unknown.to_string(),
                    h.security_patches.to_string(),
                    format::yes_no(h.reboot_required).to_owned(),
                    h.last_successful_poll
                        .map_or_else(|| "never".to_owned(), format::datetime),
                    if h.unreachable { "yes" } else { "" }.to_owned(),
                ]
            }),
            options.max_table_rows,
        );
        doc.finish()
    }
}

fn severity_line(c: &SeverityCounts, total: u64) -> String {
    format!(
        "{} in total: {} critical, {} important, {} moderate, {} low, {} unrated",
        format::count(total),
        c.critical,
        c.important,
        c.moderate,
        c.low,
        c.unknown
    )
}

impl CsvRow for HostCompliance {
    const HEADER: &'static [&'static str] = &[
        "host",
        "groups",
        "os",
        "pending_critical",
        "pending_important",
        "pending_moderate",
        "pending_low",
        "pending_unknown",
        "pending_total",
        "security_patches",
        "reboot_required",
        "last_successful_poll",
        "unreachable",
        "fully_patched",
    ];

    fn write_fields(&self, out: &mut CsvFields<'_>) {
        out.text(&self.name);
        out.text(&self.groups.join("; "));
        out.opt_text(self.os.as_deref());
        for s in Severity::ALL {
            out.count(u64::from(self.pending.get(*s)));
        }
        out.count(self.pending.total());
        out.count(u64::from(self.security_patches));
        out.boolean(self.reboot_required);
        out.datetime(self.last_successful_poll);
        out.boolean(self.unreachable);
        out.boolean(self.is_fully_patched());
    }
}
