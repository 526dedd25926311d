//! One attempt at a migration: its transaction sent, or a no-transaction file's statements one by
//! one, with the progress shown and a stall watched for. What the attempt leads to (the next
//! migration, a retry, a stop) is the loop's to decide (`runner.rs`, `outcome`).

use super::super::failure::{connection_lost, interrupted, stalled_commit, stalled_error};
use super::{fenced, Runner};
use crate::db::apply::{self, Attempt};
use crate::db::{notx, stop};
use crate::report;
use anyhow::Result;
use std::time::Instant;

impl Runner<'_> {
    /// One attempt at migration `fi`, and when it started.
    pub(super) async fn attempt(&mut self, fi: usize) -> Result<(Attempt, Instant)> {
        let migrations = self.migrations;
        let m = &migrations[fi];
        if m.no_transaction {
            // Nothing runs ahead of an open COMMIT that might still fail when what runs cannot be
            // rolled back.
            self.commit_open().await?;
        }
        let started = Instant::now();
        tracing::debug!(version = m.version, name = %m.name, "applying {}", m.path);
        let (attempt, spinner) = if m.no_transaction {
            self.attempt_notx(fi).await?
        } else {
            self.attempt_transactional(fi).await?
        };
        if let Some(s) = spinner {
            s.finish_and_clear();
        }
        Ok((attempt, started))
    }

    /// A no-transaction migration, statement by statement.
    pub(super) async fn attempt_notx(
        &mut self,
        fi: usize,
    ) -> Result<(Attempt, Option<indicatif::ProgressBar>)> {
        let (m, fenced) = (&self.migrations[fi], fenced(&self.migrations[fi]));
        let spinner = report::spinner(&m.file_name, fenced.statements, self.format);
        let file_settings = self.settings.for_file(m);
        let run = notx::apply(
            self.client,
            m,
            &m.text,
            &fenced.ends,
            self.last_id,
            &file_settings,
        );
        let attempt = match self
            .progress
            .during(&m.file_name, spinner.as_ref(), self.watch.run(run))
            .await
        {
            Ok(a) => a,
            Err(stalled) => {
                report::partial(&self.rep, self.format);
                return Err(stalled_error(stalled, m, &self.rep));
            }
        };
        if stop::requested().is_some() {
            if let Err(e) = &attempt {
                tracing::warn!("{}: {e:#}", m.file_name);
            }
            if !matches!(attempt, Ok(Attempt::Applied { .. })) {
                report::partial(&self.rep, self.format);
                return Err(interrupted(Some(m), &self.rep));
            }
        }
        Ok((attempt?, spinner))
    }

    /// A migration in one transaction, with the previous one's COMMIT pipelined ahead of it.
    pub(super) async fn attempt_transactional(
        &mut self,
        fi: usize,
    ) -> Result<(Attempt, Option<indicatif::ProgressBar>)> {
        let (client, migrations, format) = (self.client, self.migrations, self.format);
        let (m, fenced) = (&migrations[fi], fenced(&migrations[fi]));
        let file_settings = self.settings.for_file(m);
        // Lent to this attempt, which may take public's state; given back once it is over.
        let mut baseline = self.baseline.take();
        let (out, spinner) = {
            let next = apply::transactional(
                client,
                m,
                &m.text,
                &fenced.ends,
                self.last_id,
                &file_settings,
                &mut baseline,
                std::mem::take(&mut self.taken),
            );
            tokio::pin!(next);
            // The previous migration's COMMIT travels right ahead of this one, without a round trip
            // in between, and is reported as soon as it is in. Both are watched together: a path that
            // goes silent leaves the COMMIT's answer outstanding too.
            let finished = match self.open.take() {
                Some(o) => {
                    let ahead = self
                        .watch
                        .run(apply::commit_ahead(client, next.as_mut()))
                        .await;
                    match ahead {
                        Ok((c, out)) => {
                            self.settle(o, c)?;
                            out
                        }
                        Err(stalled) => {
                            report::partial(&self.rep, format);
                            return Err(stalled_commit(stalled, &migrations[o.fi], &self.rep));
                        }
                    }
                }
                None => None,
            };
            let spinner = report::spinner(&m.file_name, fenced.statements, format);
            let out = match finished {
                Some(out) => out,
                None => match self
                    .progress
                    .during(
                        &m.file_name,
                        spinner.as_ref(),
                        self.watch.run(next.as_mut()),
                    )
                    .await
                {
                    Ok(out) => out,
                    Err(stalled) => {
                        report::partial(&self.rep, format);
                        return Err(stalled_error(stalled, m, &self.rep));
                    }
                },
            };
            (out, spinner)
        };
        self.baseline = baseline;
        let out = match out {
            Ok(Attempt::Failed { .. }) | Err(_) if stop::requested().is_some() => {
                report::partial(&self.rep, format);
                return Err(interrupted(Some(m), &self.rep));
            }
            out => out,
        };
        Ok((out.map_err(|e| connection_lost(e, m, &self.rep))?, spinner))
    }
}
