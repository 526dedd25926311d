//! Which roles may add triggers to a table of expert_network: those the migrations grant TRIGGER on
//! it (by name, `ON ALL TABLES IN SCHEMA expert_network`, or through `ALTER DEFAULT PRIVILEGES`,
//! which gives a table the defaults in force when it is made), and a role the migrations make its
//! owner. A trigger's function runs with the writer's rights, so such a role's trigger runs with a
//! SECURITY DEFINER body's owner's (the runner's superuser) when that body writes the table (PG 15:
//! `sql/003_grants.sql`'s `GRANT ALL` let the application's role add a trigger that a definer's
//! INSERT ran, and it made itself superuser). Read from the migrations' statements in file order
//! (`Event`s, kept by `Model`); pure, and fail closed: a grant the fence cannot read counts, and
//! only a REVOKE of TRIGGER (or ALL) from that very role takes one away. Grants made outside the
//! migrations are not seen here.

use super::SCHEMA;
use pg_query::protobuf::{self as pb, AlterTableType, GrantTargetType, ObjectType, RoleSpecType};
use pg_query::NodeEnum;
use std::collections::HashSet;

/// One change, in the migrations' order, to who may add triggers to expert_network's tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Event {
    /// A relation made in expert_network: it starts with the default privileges then in force.
    Made(String),
    /// `ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network GRANT / REVOKE ... ON TABLES`.
    Defaults { grant: bool, role: String },
    /// `GRANT / REVOKE ... ON ALL TABLES IN SCHEMA expert_network`.
    Every { grant: bool, role: String },
    /// `GRANT / REVOKE ... ON [TABLE] expert_network.t`.
    One {
        table: String,
        grant: bool,
        role: String,
    },
    /// `ALTER TABLE expert_network.t OWNER TO role` (`None`: to the runner itself).
    Owner { table: String, role: Option<String> },
}

impl Event {
    /// Whether this gives a table to a role but the runner (`OWNER TO`).
    pub(super) fn gives_a_table_away(&self) -> bool {
        matches!(self, Event::Owner { role: Some(_), .. })
    }
}

/// The roles a grantee list names, the runner's own spellings (CURRENT_USER, SESSION_USER,
/// CURRENT_ROLE) left out: a trigger of the runner's own runs nothing another role wrote.
fn roles(grantees: &[pb::Node]) -> Vec<String> {
    grantees
        .iter()
        .filter_map(|g| match &g.node {
            Some(NodeEnum::RoleSpec(r)) => role(r),
            _ => Some(String::new()),
        })
        .collect()
}

/// The role `r` names; `None` for the runner's own spellings (see `roles`).
pub(super) fn role(r: &pb::RoleSpec) -> Option<String> {
    match RoleSpecType::try_from(r.roletype) {
        Ok(RoleSpecType::RolespecCstring) => Some(r.rolename.clone()),
        Ok(RoleSpecType::RolespecPublic) => Some("public".to_string()),
        Ok(
            RoleSpecType::RolespecCurrentUser
            | RoleSpecType::RolespecSessionUser
            | RoleSpecType::RolespecCurrentRole,
        ) => None,
        // A spelling this build does not know: counted as another role (only refuses more).
        _ => Some(String::new()),
    }
}

/// Whether a privilege list gives (or takes) TRIGGER: empty is ALL.
fn names_trigger(privileges: &[pb::Node]) -> bool {
    privileges.is_empty()
        || privileges.iter().any(|p| match &p.node {
            Some(NodeEnum::AccessPriv(a)) => {
                a.priv_name.is_empty() || a.priv_name.eq_ignore_ascii_case("trigger")
            }
            _ => true,
        })
}

/// expert_network's table named by `rv` (qualified, or unqualified: the fence refuses an
/// unqualified name where it would not resolve there, and counting it only refuses more).
fn ours(rv: &pb::RangeVar) -> Option<String> {
    (rv.schemaname == SCHEMA || rv.schemaname.is_empty()).then(|| rv.relname.clone())
}

/// The events of a GRANT or REVOKE on tables (`defaults`: inside ALTER DEFAULT PRIVILEGES whose
/// schemas, if it names any, include expert_network).
pub(super) fn grant_events(g: &pb::GrantStmt, defaults: bool, out: &mut Vec<Event>) {
    // REVOKE GRANT OPTION FOR takes the right to grant away, not the privilege.
    let takes_only_option = !g.is_grant && g.grant_option;
    if g.objtype != ObjectType::ObjectTable as i32
        || takes_only_option
        || !names_trigger(&g.privileges)
    {
        return;
    }
    let grant = g.is_grant;
    let target = GrantTargetType::try_from(g.targtype);
    for role in roles(&g.grantees) {
        match target {
            _ if defaults => out.push(Event::Defaults {
                grant,
                role: role.clone(),
            }),
            Ok(GrantTargetType::AclTargetAllInSchema) => {
                let in_ours = g
                    .objects
                    .iter()
                    .any(|o| matches!(&o.node, Some(NodeEnum::String(s)) if s.sval == SCHEMA));
                if in_ours {
                    out.push(Event::Every {
                        grant,
                        role: role.clone(),
                    });
                }
            }
            _ => {
                for o in &g.objects {
                    if let Some(NodeEnum::RangeVar(rv)) = &o.node {
                        if let Some(table) = ours(rv) {
                            out.push(Event::One {
                                table,
                                grant,
                                role: role.clone(),
                            });
                        }
                    }
                }
            }
        }
    }
}

/// Whether ALTER DEFAULT PRIVILEGES' options may reach expert_network: they name it, or no schema
/// (every schema; the fence refuses that form anyway).
pub(super) fn defaults_reach_ours(options: &[pb::Node]) -> bool {
    let mut schemas = options.iter().filter_map(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) if d.defname == "schemas" => Some(d),
        _ => None,
    });
    match schemas.next() {
        None => true,
        Some(d) => match d.arg.as_deref().and_then(|a| a.node.as_ref()) {
            Some(NodeEnum::List(l)) => l
                .items
                .iter()
                .any(|s| matches!(&s.node, Some(NodeEnum::String(s)) if s.sval == SCHEMA)),
            _ => true,
        },
    }
}

/// The owner changes of an ALTER TABLE (VIEW, FOREIGN TABLE, ...) of expert_network's relation.
pub(super) fn owner_events(a: &pb::AlterTableStmt, out: &mut Vec<Event>) {
    let Some(table) = a.relation.as_ref().and_then(ours) else {
        return;
    };
    for cmd in &a.cmds {
        if let Some(NodeEnum::AlterTableCmd(c)) = &cmd.node {
            if c.subtype == AlterTableType::AtChangeOwner as i32 {
                let role = c.newowner.as_ref().map_or(Some(String::new()), role);
                out.push(Event::Owner {
                    table: table.clone(),
                    role,
                });
            }
        }
    }
}

/// The roles but the runner that may add triggers to `table` once every migration has run, by the
/// events the migrations made (`names`: the table's name and those it had before a rename, each
/// followed, only refuses more). Sorted, for the message.
pub(super) fn holders<'e>(
    events: impl Iterator<Item = &'e Event> + Clone,
    names: &[String],
) -> Vec<String> {
    let mut all: HashSet<String> = HashSet::new();
    for name in names {
        let mut defaults: HashSet<&str> = HashSet::new();
        let mut held: HashSet<&str> = HashSet::new();
        let mut owner: Option<&str> = None;
        for e in events.clone() {
            match e {
                Event::Made(t) if t == name => {
                    held = defaults.clone();
                    owner = None;
                }
                Event::Defaults { grant, role } => toggle(&mut defaults, role, *grant),
                Event::Every { grant, role } => toggle(&mut held, role, *grant),
                Event::One { table, grant, role } if table == name => {
                    toggle(&mut held, role, *grant)
                }
                Event::Owner { table, role } if table == name => owner = role.as_deref(),
                _ => {}
            }
        }
        all.extend(held.into_iter().chain(owner).map(str::to_string));
    }
    let mut out: Vec<String> = all.into_iter().collect();
    out.sort();
    out
}

/// The roles but the runner the migrations make the owner of `table` (`names`, as `holders` takes
/// them) and leave so once every migration has run. Sorted, for the message.
pub(super) fn owners<'e>(
    events: impl Iterator<Item = &'e Event> + Clone,
    names: &[String],
) -> Vec<String> {
    let mut all: HashSet<String> = HashSet::new();
    for name in names {
        let mut owner: Option<&str> = None;
        for e in events.clone() {
            match e {
                Event::Made(t) if t == name => owner = None,
                Event::Owner { table, role } if table == name => owner = role.as_deref(),
                _ => {}
            }
        }
        all.extend(owner.map(str::to_string));
    }
    let mut out: Vec<String> = all.into_iter().collect();
    out.sort();
    out
}

fn toggle<'a>(set: &mut HashSet<&'a str>, role: &'a str, grant: bool) {
    if grant {
        set.insert(role);
    } else {
        set.remove(role);
    }
}
