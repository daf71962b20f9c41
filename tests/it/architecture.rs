//! The module graph reads top-down: `main → app → features → survey/auth/ui → db/error/config`.
//! Read from the source, so a change that makes two parts of the app depend on each other fails
//! here, not months later in a tangle. The only cycle allowed runs through `state.rs`, the leaf
//! every handler's `AppState` comes from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level modules, each with the top-level modules its code names as `crate::…`.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules: BTreeSet<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut graph = BTreeMap::new();
    for module in &modules {
        let mut files = vec![src.join(format!("{module}.rs"))];
        let mut dirs = vec![src.join(module)];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten() {
                let path = entry.unwrap().path();
                if path.is_dir() { dirs.push(path) } else if path.extension().is_some_and(|e| e == "rs") { files.push(path) }
            }
        }
        let mut uses = BTreeSet::new();
        for file in files.iter().filter(|f| f.exists()) {
            for line in std::fs::read_to_string(file).unwrap().lines() {
                let code = line.split("//").next().unwrap_or_default();
                for (at, _) in code.match_indices("crate::") {
                    let rest = &code[at + "crate::".len()..];
                    let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                        group.split(['}', ',']).map(|n| n.trim().split("::").next().unwrap_or_default()).collect()
                    } else {
                        vec![rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or_default()]
                    };
                    uses.extend(names.into_iter().filter(|n| modules.contains(*n) && *n != module).map(str::to_owned));
                }
            }
        }
        graph.insert(module.clone(), uses);
    }
    graph
}

/// A cycle among the modules other than `skip`, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>, skip: &str) -> Option<Vec<String>> {
    fn visit(node: &str, graph: &BTreeMap<String, BTreeSet<String>>, skip: &str, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph[node].iter().filter(|n| *n != skip) {
            if let Some(found) = visit(next, graph, skip, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().filter(|m| *m != skip).find_map(|m| visit(m, graph, skip, &mut Vec::new(), &mut done))
}

#[test]
fn the_module_graph_has_no_cycle_but_through_the_state_leaf() {
    let graph = graph();
    assert!(graph.len() > 15, "the modules were found: {graph:?}");
    assert!(graph["app"].contains("respond"), "uses are found: {:?}", graph["app"]);
    if let Some(found) = cycle(&graph, "state") {
        panic!("these modules depend on each other: {}", found.join(" → "));
    }
}

#[test]
fn the_layers_below_the_features_know_no_feature() {
    let graph = graph();
    let features = ["assist", "export", "insight", "paper", "plan", "privacy", "respond", "staff", "survey_admin"];
    for lower in ["survey", "auth", "ui", "i18n", "db", "error", "config", "clock", "throttle", "audit", "state"] {
        let known: Vec<&String> = graph[lower].iter().filter(|m| features.contains(&m.as_str())).collect();
        assert!(known.is_empty(), "{lower} uses the features {known:?}");
    }
}

#[test]
fn a_cycle_is_found_when_there_is_one() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "state"), ("state", "d")] {
        graph.entry(from.into()).or_default().insert(to.into());
        graph.entry(to.into()).or_default();
    }
    assert_eq!(cycle(&graph, "state"), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    graph.get_mut("c").unwrap().clear();
    assert_eq!(cycle(&graph, "state"), None, "through state only");
}
