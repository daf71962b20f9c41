//! The borough on a map: ward boundaries uploaded by an admin (GeoJSON, as ONS Open Geography
//! publishes them), matched to the answers of the survey's ward question, projected and
//! simplified once on upload so that every page draws a small SVG on the server, with no
//! JavaScript; and the figures the map shows, put into bands with the same figures in a table.

pub mod pages;
pub mod store;

use crate::survey::{PREFER_NOT_TO_SAY, Question, Survey};
use geo::{BoundingRect, Coord, InteriorPoint, MapCoords, MultiPolygon, Polygon, Simplify};
use serde::{Deserialize, Serialize};

/// The largest boundaries file taken: a borough's full-resolution wards are a few megabytes.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// The map's width in the SVG's units; its height follows the borough's shape.
pub const WIDTH: f64 = 600.0;
/// How far a simplified boundary may stray from the real one, in the map's units (a 600-unit
/// map drawn 600 pixels wide strays by less than half a pixel).
const TOLERANCE: f64 = 0.4;

/// A survey's map: each answer of its ward question that the file had, drawn as a path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaMap {
    pub question_id: String,
    pub width: f64,
    pub height: f64,
    pub areas: Vec<Area>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub option_id: String,
    /// The SVG path of its boundary, in the map's units.
    pub path: String,
    /// A point inside it, where its key number is written.
    pub label_at: (f64, f64),
}

/// What an upload found, said on the page after it is saved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The areas drawn, of the answers the question has.
    pub matched: usize,
    pub answers: usize,
    /// Answers with no area in the file (their labels).
    pub without_area: Vec<String>,
    /// Areas in the file matching no answer (their names), left out.
    pub left_out: Vec<String>,
    /// How many points the boundaries had, and have once simplified.
    pub points_before: usize,
    pub points_after: usize,
}

/// Reads a boundaries file for `survey`: the about-you question whose answers most areas match
/// (by any of an area's text properties against an answer's id or label, ignoring case, spaces and
/// "&"/"and"), each area projected to the map and simplified. Every problem is said in words.
pub fn read(survey: &Survey, file: &[u8]) -> Result<(AreaMap, Report), String> {
    let text = std::str::from_utf8(file).map_err(|_| "The file is not GeoJSON: it is not text.".to_owned())?;
    let geojson: geojson::GeoJson =
        text.parse().map_err(|_| "The file is not GeoJSON. Download the boundaries as GeoJSON and upload that.")?;
    let geojson::GeoJson::FeatureCollection(collection) = geojson else {
        return Err("The file must be a GeoJSON feature collection: one feature for each ward.".to_owned());
    };
    // Each area: its names (every text property) and its shape.
    let mut shapes: Vec<(Vec<String>, MultiPolygon<f64>)> = Vec::new();
    for feature in collection.features {
        let shape = match feature.geometry.map(|g| geo::Geometry::<f64>::try_from(g.value)) {
            Some(Ok(geo::Geometry::Polygon(p))) => MultiPolygon(vec![p]),
            Some(Ok(geo::Geometry::MultiPolygon(m))) => m,
            _ => continue,
        };
        let names = feature
            .properties
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(_, value)| value.as_str().map(str::to_owned))
            .collect();
        shapes.push((names, shape));
    }
    if shapes.is_empty() {
        return Err("The file has no areas in it: each ward must be a Polygon or MultiPolygon feature.".to_owned());
    }
    let matches = |q: &Question| -> Vec<Option<usize>> {
        shapes.iter().map(|(names, _)| q.options.iter().position(|o| names.iter().any(|n| same_name(n, o)))).collect()
    };
    let best = survey
        .about_you()
        .filter(|q| q.kind == crate::survey::Kind::Single)
        .map(|q| (q, matches(q)))
        .max_by_key(|(_, found)| found.iter().flatten().count())
        .filter(|(_, found)| found.iter().any(Option::is_some));
    let Some((question, found)) = best else {
        let example = shapes.first().and_then(|(names, _)| names.first()).cloned().unwrap_or_default();
        return Err(format!(
            "None of the areas in the file has the name of an answer to an about-you question (the first area is called \u{201c}{example}\u{201d}). Check that the file is of this borough's wards and that the survey's ward answers are named as the file names them."
        ));
    };

    let points_before = shapes.iter().map(|(_, s)| count_points(s)).sum();
    let project = Projection::fit(shapes.iter().map(|(_, s)| s));
    let mut areas = Vec::new();
    // "Prefer not to say" is no place; every other answer ("I do not know" too) is said when it has no area.
    let places = || question.options.iter().filter(|o| o.id != PREFER_NOT_TO_SAY);
    let mut report = Report { answers: places().count(), points_before, ..Report::default() };
    for (option, shape) in question.options.iter().enumerate().filter_map(|(i, o)| {
        // An answer drawn by several features (islands sent apart) is drawn as one.
        let parts: Vec<Polygon<f64>> =
            found.iter().zip(&shapes).filter(|(f, _)| **f == Some(i)).flat_map(|(_, (_, s))| s.0.clone()).collect();
        (!parts.is_empty()).then(|| (o, MultiPolygon(parts)))
    }) {
        let drawn = shape.map_coords(|c| project.apply(c)).simplify(TOLERANCE);
        let drawn = MultiPolygon(drawn.0.into_iter().filter(|p| p.exterior().0.len() >= 4).collect());
        let Some(inside) =
            drawn.0.iter().max_by(|a, b| area_of(a).total_cmp(&area_of(b))).and_then(|p| p.interior_point())
        else {
            continue;
        };
        report.points_after += count_points(&drawn);
        areas.push(Area {
            option_id: option.id.clone(),
            path: svg_path(&drawn),
            label_at: (round(inside.x()), round(inside.y())),
        });
    }
    report.matched = areas.len();
    report.without_area =
        places().filter(|o| !areas.iter().any(|a| a.option_id == o.id)).map(|o| o.label.clone()).collect();
    report.left_out = found
        .iter()
        .zip(&shapes)
        .filter(|(f, _)| f.is_none())
        .map(|(_, (names, _))| names.first().cloned().unwrap_or_else(|| "an area with no name".into()))
        .collect();
    let map = AreaMap { question_id: question.id.clone(), width: WIDTH, height: project.height, areas };
    Ok((map, report))
}

/// Whether an area's name is an answer's: "Bishopsgarth & Elm Tree" is
/// `bishopsgarth_elm_tree`'s "Bishopsgarth and Elm Tree".
fn same_name(name: &str, option: &crate::survey::Choice) -> bool {
    let name = normalise(name);
    !name.is_empty() && (name == normalise(&option.id) || name == normalise(&option.label))
}

fn normalise(text: &str) -> String {
    let spaced = text.to_lowercase().replace('&', " and ").replace('_', " ");
    spaced.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty() && *w != "and").collect::<Vec<_>>().join(" ")
}

fn count_points(shape: &MultiPolygon<f64>) -> usize {
    shape.0.iter().map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()).sum()
}

fn area_of(p: &Polygon<f64>) -> f64 {
    use geo::Area;
    p.unsigned_area()
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn svg_path(shape: &MultiPolygon<f64>) -> String {
    let mut d = String::new();
    for polygon in &shape.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            // The last point repeats the first; Z closes the ring instead.
            let points = &ring.0[..ring.0.len().saturating_sub(1)];
            for (i, c) in points.iter().enumerate() {
                d.push_str(&format!("{}{} {}", if i == 0 { "M" } else { "L" }, round(c.x), round(c.y)));
            }
            d.push('Z');
        }
    }
    d
}

/// From the file's coordinates to the map's: longitude and latitude (as ONS publishes in WGS 84)
/// are drawn with longitude shortened by the cosine of the borough's latitude, which at a
/// borough's size is true to shape; eastings and northings (British National Grid) are already
/// metres. North is up, and the borough fills the map's width.
struct Projection {
    x_scale: f64,
    min: Coord<f64>,
    max_y: f64,
    scale: f64,
    height: f64,
}

impl Projection {
    fn fit<'a>(shapes: impl Iterator<Item = &'a MultiPolygon<f64>>) -> Projection {
        let bounds = shapes.filter_map(|s| s.bounding_rect()).reduce(|a, b| {
            geo::Rect::new(
                Coord { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                Coord { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        });
        let bounds = bounds.unwrap_or_else(|| geo::Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 }));
        let degrees = bounds.min().x >= -180.0 && bounds.max().x <= 180.0 && bounds.max().y.abs() <= 90.0;
        let x_scale = if degrees { ((bounds.min().y + bounds.max().y) / 2.0).to_radians().cos() } else { 1.0 };
        let (width, height) = (bounds.width() * x_scale, bounds.height());
        let scale = if width > 0.0 { WIDTH / width } else { 1.0 };
        Projection {
            x_scale,
            min: bounds.min(),
            max_y: bounds.max().y,
            scale,
            height: (height * scale).max(1.0).ceil(),
        }
    }

    fn apply(&self, c: Coord<f64>) -> Coord<f64> {
        Coord { x: (c.x - self.min.x) * self.x_scale * self.scale, y: (self.max_y - c.y) * self.scale }
    }
}

/// One area's figure as the map shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shade {
    /// In band `n` of the legend (0 the lowest).
    Band(usize),
    /// Held back on a publishable map.
    HeldBack,
    /// Nobody in the area answered.
    NoAnswers,
}

/// Five bands of equal width from the lowest figure shown to the highest, each edge a whole
/// number of `step`s, so that the legend reads "20% to 30%", not "21.7% to 29.4%"; none reaching
/// past `cap` (100 for a share).
pub fn bands(values: &[f64], step: f64, cap: f64) -> Vec<(f64, f64)> {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !low.is_finite() {
        return Vec::new();
    }
    let low = (low / step).floor() * step;
    let width = (((high - low) / 5.0 / step).ceil() * step).max(step);
    (0..5)
        .map(|i| (low + width * i as f64, (low + width * (i + 1) as f64).min(cap)))
        .filter(|(from, to)| *from <= high && from < to)
        .collect()
}

/// The band `value` falls in (the top band keeps its upper edge).
pub fn band_of(bands: &[(f64, f64)], value: f64) -> usize {
    bands.iter().position(|(_, to)| value < *to).unwrap_or(bands.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey() -> Survey {
        crate::survey::builtin()
    }

    fn square(name: &str, code: &str, x: f64, y: f64, size: f64) -> String {
        format!(
            r#"{{"type":"Feature","properties":{{"WD23CD":"{code}","WD23NM":"{name}","OBJECTID":7}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{x2},{y}],[{x2},{y2}],[{x},{y2}],[{x},{y}]]]}}}}"#,
            x2 = x + size,
            y2 = y + size
        )
    }

    fn collection(features: &[String]) -> Vec<u8> {
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(",")).into_bytes()
    }

    #[test]
    fn wards_are_matched_by_name_and_drawn_north_up() {
        let file = collection(&[
            square("Bishopsgarth & Elm Tree", "E05001511", -1.35, 54.57, 0.01),
            square("NEWTOWN", "E05001520", -1.34, 54.58, 0.01),
            square("Somewhere Else", "E05009999", -1.33, 54.57, 0.01),
        ]);
        let (map, report) = read(&survey(), &file).unwrap();
        assert_eq!(map.question_id, "ward");
        let ids: Vec<&str> = map.areas.iter().map(|a| a.option_id.as_str()).collect();
        assert_eq!(ids, ["bishopsgarth_elm_tree", "newtown"], "in the question's order");
        assert_eq!(report.matched, 2);
        assert_eq!(report.left_out, ["E05009999"]);
        assert!(report.without_area.contains(&"Billingham Central".to_owned()));
        // Newtown is north (higher latitude), so higher on the map (smaller y).
        let y = |id: &str| map.areas.iter().find(|a| a.option_id == id).unwrap().label_at.1;
        assert!(y("newtown") < y("bishopsgarth_elm_tree"));
        assert_eq!(map.width, WIDTH);
        // Three squares 0.01° apart across 0.03° of longitude at 54.6°N: about 0.58 as tall as wide.
        assert!((map.height / WIDTH - 0.02 / (0.03 * 54.575_f64.to_radians().cos())).abs() < 0.01, "{}", map.height);
        assert!(map.areas[0].path.starts_with('M') && map.areas[0].path.ends_with('Z'));
    }

    #[test]
    fn boundaries_are_simplified() {
        // A ward's edge with a point every metre along a straight line (British National Grid).
        let mut ring: Vec<String> = (0..=1000).map(|i| format!("[{}, 520000]", 445000 + i)).collect();
        ring.extend(["[446000, 521000]".into(), "[445000, 521000]".into(), "[445000, 520000]".into()]);
        let feature = format!(
            r#"{{"type":"Feature","properties":{{"name":"Newtown"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
            ring.join(",")
        );
        let (map, report) = read(&survey(), &collection(&[feature])).unwrap();
        assert_eq!(report.points_before, 1004);
        assert!(report.points_after <= 5, "{report:?}");
        assert_eq!(map.height, WIDTH, "a square");
    }

    #[test]
    fn files_that_cannot_be_drawn_are_refused_in_words() {
        assert!(read(&survey(), b"not json").unwrap_err().contains("not GeoJSON"));
        assert!(
            read(&survey(), br#"{"type":"Point","coordinates":[0,0]}"#).unwrap_err().contains("feature collection")
        );
        assert!(read(&survey(), &collection(&[])).unwrap_err().contains("no areas"));
        let elsewhere = collection(&[square("Atlantis", "X1", 0.0, 0.0, 1.0)]);
        assert!(read(&survey(), &elsewhere).unwrap_err().contains("\u{201c}X1\u{201d}"));
    }

    #[test]
    fn bands_are_round_and_cover_every_value() {
        let b = bands(&[21.7, 29.4, 48.0, 62.5], 5.0, 100.0);
        assert_eq!(b, [(20.0, 30.0), (30.0, 40.0), (40.0, 50.0), (50.0, 60.0), (60.0, 70.0)]);
        assert_eq!((band_of(&b, 21.7), band_of(&b, 30.0), band_of(&b, 62.5)), (0, 1, 4));
        assert_eq!(bands(&[40.0, 40.0], 5.0, 100.0), [(40.0, 45.0)]);
        assert!(bands(&[], 5.0, 100.0).is_empty());
        // A share of 100% is in the top band, which stops at 100.
        let b = bands(&[16.7, 60.0, 100.0], 5.0, 100.0);
        assert_eq!(b, [(15.0, 35.0), (35.0, 55.0), (55.0, 75.0), (75.0, 95.0), (95.0, 100.0)]);
        assert_eq!(band_of(&b, 100.0), 4);
    }
}
