//! The shape of the code: dependencies between modules point one way. Every `crate::…` and
//! `super::…` path of `src/` (test modules and comments aside) is an edge from the module
//! that writes it to the module it names; the graph must have no cycle, between the stages
//! (`source`, `kinds`, `render`…) and between their modules (`render::site`, `kinds::crte`…).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::support::example_root;

/// Module path (`render::site`) → source text, without its test module and its comments.
fn modules() -> BTreeMap<String, String> {
    let src = example_root().join("src");
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        // The crate root and the binary sit above every module.
        if parts == ["lib"] || parts == ["main"] {
            continue;
        }
        out.insert(parts.join("::"), code_of(path));
    }
    out
}

/// The text of a file that is compiled into the program: up to its test module, without the
/// comments (doc links are not imports).
fn code_of(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path written after `prefix` (`crate::`, `super::`): `view::table`, and for a group
/// (`super::{kind, crte}`) each of its members.
fn paths_after(text: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let path: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == ':')
            .collect();
        let path = path.trim_end_matches(':').to_string();
        let after = &rest[path.len()..].trim_start_matches(':');
        if after.starts_with('{') {
            let group = &after[1..after.find('}').unwrap_or(after.len())];
            for member in group.split(',') {
                let head = member.trim().split("::").next().unwrap_or("");
                if !head.is_empty() && head != "self" {
                    out.push(join(&path, head));
                }
            }
        }
        if !path.is_empty() {
            out.push(path);
        }
    }
    out
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}::{b}")
    }
}

/// The edges between modules, each module cut to its first `depth` segments.
fn edges(depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<&str> = modules.keys().map(String::as_str).collect();
    let cut = |m: &str| m.split("::").take(depth).collect::<Vec<_>>().join("::");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in &modules {
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
        let mut named = paths_after(text, "crate::");
        named.extend(
            paths_after(text, "super::")
                .into_iter()
                .map(|p| join(parent, &p)),
        );
        for path in named {
            // The longest prefix of the path that is a module (`catalog::Catalog` → `catalog`).
            let segments: Vec<&str> = path.split("::").collect();
            let Some(target) = (1..=segments.len())
                .rev()
                .map(|k| segments[..k].join("::"))
                .find(|p| known.contains(p.as_str()))
            else {
                continue;
            };
            let (from, to) = (cut(module), cut(&target));
            // A module and its own submodules are one unit (a parent declares its children,
            // a child uses its parent's items).
            if from == to
                || from.starts_with(&format!("{to}::"))
                || to.starts_with(&format!("{from}::"))
            {
                continue;
            }
            graph.entry(from).or_default().insert(to);
        }
    }
    graph
}

/// A cycle of the graph, if it has one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, done, stack) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut done, &mut Vec::new()))
}

#[test]
fn modules_have_no_import_cycle() {
    for depth in [1, 2] {
        let graph = edges(depth);
        assert!(!graph.is_empty(), "no module found in src/");
        if let Some(c) = cycle(&graph) {
            panic!(
                "import cycle between modules: {}\n{graph:#?}",
                c.join(" → ")
            );
        }
    }
}

#[test]
fn renderers_never_name_a_record_kind_and_kinds_never_name_a_renderer() {
    let graph = edges(2);
    for (from, to) in graph
        .iter()
        .flat_map(|(f, t)| t.iter().map(move |t| (f, t)))
    {
        assert!(
            !(from.starts_with("render") && to.starts_with("kinds")),
            "{from} names the record kind {to}"
        );
        assert!(
            !(from.starts_with("kinds") && to.starts_with("render")),
            "{from} names the renderer {to}"
        );
    }
    // The stages the views sit below.
    for below in ["view", "source"] {
        for above in ["kinds", "render", "catalog", "validate"] {
            assert!(
                !graph
                    .get(below)
                    .is_some_and(|t| t.iter().any(|t| t.starts_with(above))),
                "{below} depends on {above}"
            );
        }
    }
}

#[test]
fn the_finder_sees_groups_and_the_cycle_check_finds_a_cycle() {
    assert_eq!(
        paths_after(
            "use super::{kind::Kind, crte};\nuse crate::view::table::{Cellule};",
            "super::"
        ),
        ["kind", "crte"]
    );
    assert_eq!(
        paths_after("use crate::view::table::{Cellule};", "crate::"),
        ["view::table::Cellule", "view::table"]
    );
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    assert_eq!(cycle(&graph), None);
    graph.entry("c".into()).or_default().insert("a".into());
    assert_eq!(cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
}
