//! Pictures an option can carry, for Easy Read: simple line drawings built into the binary, so a
//! survey names one (`picture = "smartphone"`) and every instance serves the same. A picture always
//! stands beside its option's text, never instead of it.

/// Each picture's name and SVG.
const PICTURES: [(&str, &str); 12] = [
    ("computer", include_str!("pictures/computer.svg")),
    ("cost", include_str!("pictures/cost.svg")),
    ("health", include_str!("pictures/health.svg")),
    ("library", include_str!("pictures/library.svg")),
    ("mobile-data", include_str!("pictures/mobile-data.svg")),
    ("no-internet", include_str!("pictures/no-internet.svg")),
    ("not-sure", include_str!("pictures/not-sure.svg")),
    ("person", include_str!("pictures/person.svg")),
    ("smartphone", include_str!("pictures/smartphone.svg")),
    ("tablet", include_str!("pictures/tablet.svg")),
    ("wifi", include_str!("pictures/wifi.svg")),
    ("worried", include_str!("pictures/worried.svg")),
];

/// The SVG of the picture called `name`, if there is one.
pub fn picture(name: &str) -> Option<&'static str> {
    PICTURES.iter().find(|(n, _)| *n == name).map(|(_, svg)| *svg)
}

/// Every picture's name, for messages and the README.
pub fn picture_names() -> impl Iterator<Item = &'static str> {
    PICTURES.iter().map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_picture_is_a_small_svg_that_draws_with_its_own_colours() {
        for (name, svg) in super::PICTURES {
            assert!(
                svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.trim_end().ends_with("</svg>"),
                "{name}"
            );
            assert!(svg.len() < 600, "{name}: {} bytes", svg.len());
            assert!(!svg.contains("<script") && !svg.contains("href"), "{name}");
        }
    }
}
