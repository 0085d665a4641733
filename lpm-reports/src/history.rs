//! The patch-history report: jobs, who started them, when, how they ended, their per-host
//! package changes, and which job rolled back which.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use lpm_core::agent::PackageChange;
use lpm_core::ids::JobId;
use lpm_core::job::{JobHostState, JobKind, JobState};
use serde::{Deserialize, Serialize};

use crate::csv_out::{CsvFields, CsvRow, CsvWriter};
use crate::error::ReportError;
use crate::filters::ReportMeta;
use crate::format;
use crate::pdf::chart::{self, LineChart};
use crate::pdf::doc::{Col, Doc, Orientation, Rgb3};
use crate::render::{self, PdfOptions};

/// One host's part in a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobHostRecord {
    /// The host's name.
    pub host: String,
    /// How it ended (or where it is).
    pub state: JobHostState,
    /// The package changes the agent reported.
    #[serde(default)]
    pub changes: Vec<PackageChange>,
    /// The error, when it failed.
    #[serde(default)]
    pub error: Option<String>,
}

/// One job as the history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRecord {
    /// The job.
    pub id: JobId,
    /// What it did.
    pub kind: JobKind,
    /// Who started it (a username, or `system`).
    pub started_by: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When its last host finished (`None` while running).
    #[serde(default)]
    pub finished_at: Option<DateTime<Utc>>,
    /// Its outcome (or state, while not over).
    pub state: JobState,
    /// The job this one rolled back, for rollback jobs.
    #[serde(default)]
    pub rollback_of: Option<JobId>,
    /// Its hosts.
    #[serde(default)]
    pub hosts: Vec<JobHostRecord>,
}

impl JobRecord {
    /// When its changes count as made: finished, else created.
    pub fn effective_at(&self) -> DateTime<Utc> {
        self.finished_at.unwrap_or(self.created_at)
    }

    /// Package changes over all hosts.
    pub fn change_count(&self) -> usize {
        self.hosts.iter().map(|h| h.changes.len()).sum()
    }
}

/// Changes in one period of the trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// First day of the period.
    pub start: NaiveDate,
    /// Package changes made by jobs effective in the period.
    pub changes: u64,
    /// Jobs effective in the period.
    pub jobs: u64,
}

/// How the trend is bucketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendPeriod {
    /// One point per day (spans up to 62 days).
    Day,
    /// One point per ISO week, starting Monday (longer spans).
    Week,
}

/// Figures over all jobs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistorySummary {
    /// Jobs.
    pub jobs: u64,
    /// Jobs by state word (`succeeded`, `failed` ...), sorted.
    pub by_state: BTreeMap<String, u64>,
    /// Package changes.
    pub changes: u64,
    /// Changes by action word (`upgrade`, `install` ...), sorted.
    pub by_action: BTreeMap<String, u64>,
    /// Rollback jobs.
    pub rollbacks: u64,
    /// Distinct hosts touched.
    pub hosts: u64,
    /// Bucket size of `trend`.
    pub trend_period: TrendPeriod,
    /// Changes over time, every period from the first to the last job (empty periods: 0).
    pub trend: Vec<TrendPoint>,
}

/// The patch-history report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchHistoryReport {
    /// When, by whom, with which filters.
    pub meta: ReportMeta,
    /// Figures over all jobs.
    pub summary: HistorySummary,
    /// For each job that was rolled back, the rollback jobs that undid it.
    pub rolled_back_by: BTreeMap<JobId, Vec<JobId>>,
    /// The jobs, newest first.
    pub jobs: Vec<JobRecord>,
}

impl PatchHistoryReport {
    /// Builds the report; jobs are sorted newest first, the summary and trend computed.
    pub fn new(meta: ReportMeta, mut jobs: Vec<JobRecord>) -> Self {
        jobs.sort_by(|a, b| {
            b.created_at
                .cmp(&a.created_at)
                .then_with(|| b.id.cmp(&a.id))
        });
        let mut by_state = BTreeMap::new();
        let mut by_action = BTreeMap::new();
        let mut rolled_back_by: BTreeMap<JobId, Vec<JobId>> = BTreeMap::new();
        let mut hosts = std::collections::HashSet::new();
        let mut changes = 0u64;
        let mut rollbacks = 0u64;
        for j in &jobs {
            *by_state.entry(j.state.as_str().to_owned()).or_insert(0) += 1;
            if let Some(parent) = j.rollback_of {
                rolled_back_by.entry(parent).or_default().push(j.id);
            }
            rollbacks += u64::from(j.kind == JobKind::Rollback || j.rollback_of.is_some());
            for h in &j.hosts {
                hosts.insert(h.host.as_str());
                for c in &h.changes {
                    changes += 1;
                    *by_action.entry(c.action.as_str().to_owned()).or_insert(0) += 1;
                }
            }
        }
        for v in rolled_back_by.values_mut() {
            v.sort_unstable();
        }
        let (trend_period, trend) = trend(&jobs);
        let summary = HistorySummary {
            jobs: jobs.len() as u64,
            by_state,
            changes,
            by_action,
            rollbacks,
            hosts: hosts.len() as u64,
            trend_period,
            trend,
        };
        Self {
            meta,
            summary,
            rolled_back_by,
            jobs,
        }
    }

    /// Writes one CSV row per package change (a host without changes, and a job without
    /// hosts, get one row with the change columns empty); returns the number of rows.
    pub fn write_csv<W: std::io::Write>(&self, out: W) -> Result<u64, ReportError> {
        let mut w = CsvWriter::<W, ChangeRow<'_>>::new(out)?;
        for row in self.change_rows() {
            w.push(&row)?;
        }
        let n = w.rows();
        w.finish()?;
        Ok(n)
    }

    /// The CSV rows, one per change.
    pub fn change_rows(&self) -> impl Iterator<Item = ChangeRow<'_>> {
        self.jobs.iter().flat_map(move |job| {
            let rolled_back_by = self.rolled_back_by.get(&job.id);
            let per_host: Vec<ChangeRow<'_>> = if job.hosts.is_empty() {
                vec![ChangeRow {
                    job,
                    rolled_back_by,
                    host: None,
                    change: None,
                }]
            } else {
                job.hosts
                    .iter()
                    .flat_map(|h| {
                        let rows: Vec<ChangeRow<'_>> = if h.changes.is_empty() {
                            vec![ChangeRow {
                                job,
                                rolled_back_by,
                                host: Some(h),
                                change: None,
                            }]
                        } else {
                            h.changes
                                .iter()
                                .map(|c| ChangeRow {
                                    job,
                                    rolled_back_by,
                                    host: Some(h),
                                    change: Some(c),
                                })
                                .collect()
                        };
                        rows
                    })
                    .collect()
            };
            per_host
        })
    }

    /// Renders the PDF: cover with the summary, the trend chart, the job table and the
    /// change table.
    pub fn to_pdf(&self) -> Result<Vec<u8>, ReportError> {
        self.to_pdf_with(&PdfOptions::default())
    }

    /// [`Self::to_pdf`] with options.
    pub fn to_pdf_with(&self, options: &PdfOptions) -> Result<Vec<u8>, ReportError> {
        let title = "Patch history report";
        let mut doc = Doc::new(title, self.meta.generated_at)?;
        let s = &self.summary;
        let words = |m: &BTreeMap<String, u64>| -> String {
            if m.is_empty() {
                "none".to_owned()
            } else {
                m.iter()
                    .map(|(k, v)| format!("{} {}", format::count(*v), k.replace('_', " ")))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let summary = vec![
            ("Jobs".to_owned(), format::count(s.jobs)),
            ("Outcomes".to_owned(), words(&s.by_state)),
            ("Package changes".to_owned(), format::count(s.changes)),
            ("Changes by action".to_owned(), words(&s.by_action)),
            ("Rollback jobs".to_owned(), format::count(s.rollbacks)),
            ("Hosts touched".to_owned(), format::count(s.hosts)),
        ];
        render::cover(
            &mut doc,
            title,
            "Jobs run on the fleet: who started them, when, how they ended, the package \
             changes each host reported, and which jobs were rolled back.",
            &self.meta,
            &summary,
        );
        if self.jobs.is_empty() {
            doc.paragraph("No data: no jobs match these filters.", 11.0, Rgb3::BAD);
        }
        doc.add_page(Orientation::Portrait);
        let per = match s.trend_period {
            TrendPeriod::Day => "day",
            TrendPeriod::Week => "week",
        };
        let chart_title = format!("Package changes per {per}");
        let x_axis = match s.trend_period {
            TrendPeriod::Day => "Day",
            TrendPeriod::Week => "Week starting",
        };
        chart::line_chart(
            &mut doc,
            &LineChart {
                title: &chart_title,
                x_axis,
                y_axis: "Package changes",
                points: s
                    .trend
                    .iter()
                    .map(|p| (p.start.format("%-d %b").to_string(), p.changes as f64))
                    .collect(),
                color: Rgb3::ACCENT,
                height: 300.0,
            },
        )?;
        let jobs_title = format!("Jobs per {per}");
        chart::line_chart(
            &mut doc,
            &LineChart {
                title: &jobs_title,
                x_axis,
                y_axis: "Jobs",
                points: s
                    .trend
                    .iter()
                    .map(|p| (p.start.format("%-d %b").to_string(), p.jobs as f64))
                    .collect(),
                color: Rgb3::GOOD,
                height: 260.0,
            },
        )?;
        doc.add_page(Orientation::Landscape);
        doc.table(
            "Jobs",
            &[
                Col::right("Job", 0.8),
                Col::left("Kind", 1.5, 1),
                Col::left("Started by", 1.8, 2),
                Col::left("Created", 1.9, 1),
                Col::left("Finished", 1.9, 1),
                Col::left("Outcome", 1.6, 1),
                Col::right("Hosts", 0.8),
                Col::right("Failed", 0.8),
                Col::right("Changes", 1.0),
                Col::left("Rollback", 2.6, 2),
            ],
            self.jobs.iter().map(|j| {
                let failed = j
                    .hosts
                    .iter()
                    .filter(|h| h.state == JobHostState::Failed)
                    .count();
                let mut rollback = Vec::new();
                if let Some(p) = j.rollback_of {
                    rollback.push(format!("rolls back #{p}"));
                }
                if let Some(by) = self.rolled_back_by.get(&j.id) {
                    let ids: Vec<String> = by.iter().map(|i| format!("#{i}")).collect();
                    rollback.push(format!("rolled back by {}", ids.join(", ")));
                }
                vec![
                    j.id.to_string(),
                    j.kind.as_str().replace('_', " "),
                    j.started_by.clone(),
                    format::datetime(j.created_at),
                    j.finished_at
                        .map_or_else(|| "\u{2014}".to_owned(), format::datetime),
                    j.state.as_str().replace('_', " "),
                    j.hosts.len().to_string(),
                    failed.to_string(),
                    j.change_count().to_string(),
                    rollback.join("; "),
                ]
            }),
            options.max_table_rows,
        );
        doc.add_page(Orientation::Landscape);
        doc.table(
            "Package changes",
            &[
                Col::right("Job", 0.7),
                Col::left("Host", 3.0, 2),
                Col::left("Package", 2.4, 2),
                Col::left("From", 2.2, 2),
                Col::left("To", 2.2, 2),
                Col::left("Action", 1.1, 1),
                Col::left("Host outcome", 1.3, 1),
            ],
            self.jobs.iter().flat_map(|j| {
                j.hosts.iter().flat_map(move |h| {
                    h.changes.iter().map(move |c| {
                        vec![
                            j.id.to_string(),
                            h.host.clone(),
                            c.package.clone(),
                            c.from.clone().unwrap_or_else(|| "\u{2014}".to_owned()),
                            c.to.clone().unwrap_or_else(|| "\u{2014}".to_owned()),
                            c.action.as_str().to_owned(),
                            h.state.as_str().replace('_', " "),
                        ]
                    })
                })
            }),
            options.max_table_rows,
        );
        doc.finish()
    }
}

/// Buckets changes per day (span up to 62 days) or per ISO week, filling empty periods.
fn trend(jobs: &[JobRecord]) -> (TrendPeriod, Vec<TrendPoint>) {
    let dates: Vec<NaiveDate> = jobs.iter().map(|j| j.effective_at().date_naive()).collect();
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return (TrendPeriod::Day, Vec::new());
    };
    let period = if (*last - *first).num_days() <= 62 {
        TrendPeriod::Day
    } else {
        TrendPeriod::Week
    };
    let bucket = |d: NaiveDate| match period {
        TrendPeriod::Day => d,
        TrendPeriod::Week => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
    };
    let step = match period {
        TrendPeriod::Day => Duration::days(1),
        TrendPeriod::Week => Duration::days(7),
    };
    let mut counts: HashMap<NaiveDate, (u64, u64)> = HashMap::new();
    for (j, d) in jobs.iter().zip(&dates) {
        let e = counts.entry(bucket(*d)).or_default();
        e.0 += j.change_count() as u64;
        e.1 += 1;
    }
    let mut out = Vec::new();
    let mut d = bucket(*first);
    let end = bucket(*last);
    while d <= end {
        let (changes, jobs) = counts.get(&d).copied().unwrap_or_default();
        out.push(TrendPoint {
            start: d,
            changes,
            jobs,
        });
        d += step;
    }
    (period, out)
}

/// One CSV row of the patch-history report: a job, one of its hosts and one change.
#[derive(Debug, Clone, Copy)]
pub struct ChangeRow<'a> {
    job: &'a JobRecord,
    rolled_back_by: Option<&'a Vec<JobId>>,
    host: Option<&'a JobHostRecord>,
    change: Option<&'a PackageChange>,
}

impl CsvRow for ChangeRow<'_> {
    const HEADER: &'static [&'static str] = &[
        "job_id",
        "kind",
        "started_by",
        "created_at",
        "finished_at",
        "outcome",
        "rollback_of",
        "rolled_back_by",
        "host",
        "host_outcome",
        "package",
        "from_version",
        "to_version",
        "action",
    ];

    fn write_fields(&self, out: &mut CsvFields<'_>) {
        let j = self.job;
        out.int(j.id.get());
        out.text(j.kind.as_str());
        out.text(&j.started_by);
        out.datetime(Some(j.created_at));
        out.datetime(j.finished_at);
        out.text(j.state.as_str());
        match j.rollback_of {
            Some(p) => out.int(p.get()),
            None => out.text(""),
        }
        let by = self
            .rolled_back_by
            .map(|v| {
                v.iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        out.text(&by);
        out.opt_text(self.host.map(|h| h.host.as_str()));
        out.opt_text(self.host.map(|h| h.state.as_str()));
        out.opt_text(self.change.map(|c| c.package.as_str()));
        out.opt_text(self.change.and_then(|c| c.from.as_deref()));
        out.opt_text(self.change.and_then(|c| c.to.as_deref()));
        out.opt_text(self.change.map(|c| c.action.as_str()));
    }
}
