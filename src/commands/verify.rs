//! `en-migrate verify`: the checks of `crate::verify` over the migrations this binary or `--dir`
//! holds. Reads only.

use crate::cli::{Format, VerifyArgs};
use crate::exit::Outcome;
use anyhow::Result;

pub async fn run(args: &VerifyArgs, format: Format) -> Result<Outcome> {
    let source = args.source.clone();
    crate::verify::run(args, move || super::load(&source), format).await
}
