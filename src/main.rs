mod exit;
mod fence;
mod migration;
mod source;
fn main() {}
