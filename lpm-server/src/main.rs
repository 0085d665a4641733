//! The `lpm-server` command: parses the arguments and hands them to [`lpm_server::cli`].

use std::process::ExitCode;

use clap::Parser;
use lpm_server::cli::{self, Cli};

fn main() -> ExitCode {
    match Cli::try_parse() {
        Ok(command) => cli::run(command),
        Err(usage) => cli::usage_error(&usage),
    }
}
