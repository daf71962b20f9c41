//! The module graph reads top-down, in the layers of [`LAYERS`]: a module names only modules in its
//! own layer or below, and no two modules depend on each other, however far round. Read from the
//! source, so a change that tangles two parts of the app fails here, not months later.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The app's layers, top first. Every top-level module of `src/` is in one; the README's "Code
/// layout" lists the same.
const LAYERS: &[(&str, &[&str])] = &[
    ("the route table", &["app"]),
    (
        "features",
        &["assist", "export", "insight", "outreach", "paper", "plan", "privacy", "respond", "staff", "survey_admin"],
    ),
    ("services features share", &["responses", "auth", "throttle", "audit", "ui"]),
    ("what every handler is given", &["state"]),
    ("the survey and its words", &["survey", "i18n", "keys"]),
    ("foundations", &["config", "clock", "db", "error", "paths"]),
];

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
                if path.is_dir() {
                    dirs.push(path)
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path)
                }
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

/// A cycle in the graph, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in &graph[node] {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

/// The uses that go up a layer, as `(module, module it names)`.
fn uses_upwards(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<(String, String)> {
    let layer_of = |module: &str| LAYERS.iter().position(|(_, modules)| modules.contains(&module));
    let mut upwards = Vec::new();
    for (module, uses) in graph {
        for used in uses {
            if layer_of(used) < layer_of(module) {
                upwards.push((module.clone(), used.clone()));
            }
        }
    }
    upwards
}

#[test]
fn the_module_graph_has_no_cycle() {
    let graph = graph();
    assert!(graph.len() > 15, "the modules were found: {graph:?}");
    assert!(graph["app"].contains("respond"), "uses are found: {:?}", graph["app"]);
    if let Some(found) = cycle(&graph) {
        panic!("these modules depend on each other: {}", found.join(" → "));
    }
}

#[test]
fn every_module_names_only_its_own_layer_and_those_below() {
    let graph = graph();
    let placed: Vec<&str> = LAYERS.iter().flat_map(|(_, modules)| modules.iter().copied()).collect();
    let unplaced: Vec<&String> = graph.keys().filter(|m| !placed.contains(&m.as_str())).collect();
    assert!(unplaced.is_empty(), "put {unplaced:?} in a layer of LAYERS (and the README's Code layout)");
    let gone: Vec<&&str> = placed.iter().filter(|m| !graph.contains_key(**m)).collect();
    assert!(gone.is_empty(), "LAYERS names modules that are gone: {gone:?}");
    let upwards = uses_upwards(&graph);
    assert!(upwards.is_empty(), "these uses go up a layer: {upwards:?}");
}

/// The files under `src/`, with their text.
fn sources() -> Vec<(std::path::PathBuf, String)> {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path, text));
            }
        }
    }
    files
}

/// Pages render and stores query: a file that writes markup asks the database nothing itself.
#[test]
fn no_file_with_markup_holds_a_query() {
    let files = sources();
    let pages: Vec<_> = files.iter().filter(|(_, text)| text.contains("view! {")).collect();
    assert!(pages.len() > 20, "the pages were found: {}", pages.len());
    assert!(files.iter().any(|(_, text)| text.contains("sqlx::query")), "the queries were found");
    let mixed: Vec<_> = pages.iter().filter(|(_, text)| text.contains("sqlx::")).map(|(path, _)| path).collect();
    assert!(mixed.is_empty(), "move these files' queries into their feature's store: {mixed:?}");
}

/// Staff addresses are written once, in `src/paths.rs`: elsewhere only a router's patterns, the
/// server functions' prefix (an attribute needs a literal) and tests' inputs spell one.
#[test]
fn staff_addresses_are_written_in_paths_only() {
    let mut spelled = Vec::new();
    for (path, text) in sources().iter().filter(|(path, _)| !path.ends_with("src/paths.rs")) {
        let code = text.split("mod tests {").next().unwrap_or_default();
        let lines: Vec<&str> = code.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            let in_route = line.contains(".route(") || at > 0 && lines[at - 1].trim_end().ends_with(".route(");
            if line.contains("\"/staff") && !in_route && !line.contains("#[server(") {
                spelled.push(format!("{}:{}: {}", path.display(), at + 1, line.trim()));
            }
        }
    }
    assert!(spelled.is_empty(), "name these addresses in src/paths.rs:\n{}", spelled.join("\n"));
}

/// The names a line uses after `prefix`: `prefix::name`, or each of `prefix::{a, b::c}`.
fn named_after(line: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in line.match_indices(prefix) {
        let rest = &line[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or_default();
            names.extend(group.split(',').map(|n| n.trim().split("::").next().unwrap_or_default().to_owned()));
        } else {
            names.push(rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or_default().to_owned());
        }
    }
    names
}

/// The files of `src/survey` (the format, its translations, its spreadsheets) use each other one
/// way too: the document shape at the bottom, then reading, translating and checking it.
#[test]
fn the_survey_files_have_no_cycle() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/survey");
    // A file, or a folder of files (`xlsform/`) as one: inside it, `super::super::` is the survey's.
    // Each file's code before its tests.
    let read =
        |p: &Path| std::fs::read_to_string(p).unwrap().split("mod tests {").next().unwrap_or_default().to_owned();
    let files: BTreeMap<String, (String, bool)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                let mut parts: Vec<_> = std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()).collect();
                parts.sort();
                let text = parts.iter().filter(|f| f.extension().is_some_and(|e| e == "rs")).map(|f| read(f));
                return Some((name, (text.collect::<Vec<_>>().join("\n"), true)));
            }
            p.extension().is_some_and(|e| e == "rs").then(|| (name, (read(&p), false)))
        })
        .filter(|(name, _)| name != "mod" && name != "tests")
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, (text, folder)) in &files {
        let code = text;
        let mut uses = BTreeSet::new();
        let prefixes: &[&str] =
            if *folder { &["super::super::", "crate::survey::"] } else { &["super::", "crate::survey::"] };
        for line in code.lines().map(|l| l.split("//").next().unwrap_or_default()) {
            for prefix in prefixes {
                uses.extend(named_after(line, prefix).into_iter().filter(|n| files.contains_key(n) && n != name));
            }
        }
        graph.insert(name.clone(), uses);
    }
    assert!(graph["xlsform"].contains("document"), "uses are found: {graph:?}");
    if let Some(found) = cycle(&graph) {
        panic!("these survey files depend on each other: {}", found.join(" → "));
    }
}

#[test]
fn a_cycle_is_found_when_there_is_one() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "b")] {
        graph.entry(from.into()).or_default().insert(to.into());
        graph.entry(to.into()).or_default();
    }
    assert_eq!(cycle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    graph.get_mut("c").unwrap().clear();
    assert_eq!(cycle(&graph), None);
}

#[test]
fn a_use_up_a_layer_is_found() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.insert("state".into(), ["survey".into(), "config".into()].into());
    graph.insert("ui".into(), ["state".into(), "auth".into()].into());
    assert_eq!(uses_upwards(&graph), Vec::<(String, String)>::new(), "down and sideways are allowed");
    graph.get_mut("state").unwrap().insert("ui".into());
    assert_eq!(uses_upwards(&graph), vec![("state".to_owned(), "ui".to_owned())]);
}
