//! `near`: places within a great circle's distance of a point, as SQL that
//! SQLite and PostgreSQL evaluate alike.
//!
//! The cells the circle's bounding box covers narrow the rows first: each
//! place stores its 1°×1° cell (`migration::places::geo_cell`), indexed, and
//! the box is one range of cells per band of latitude (fewer where bands
//! join), so a small circle reads a few hundred rows at any scale, not a
//! whole band of latitude. The box itself is checked next, then the exact
//! test: the dot product of the stored unit
//! vectors (`place.unit_x/y/z`) with the centre's, against the cosine of
//! the circle's angle: plain multiplication and addition of doubles, where
//! SQLite has no trigonometry and both databases round alike.

use async_graphql::InputObject;
use migration::places::{EARTH_RADIUS_KM, geo_cell, unit_vector};
use sea_orm::Condition;
use sea_orm::sea_query::{Expr, ExprTrait};

use crate::error::{Error, Result};

/// Half the earth's circumference: a circle this wide holds every place.
const HALF_CIRCUMFERENCE_KM: f64 = std::f64::consts::PI * EARTH_RADIUS_KM;

/// A circle on the earth: the points within `km` of (latitude, longitude), along great circles.
#[derive(InputObject, Clone, Copy, Debug)]
pub struct GeoCircle {
    /// Degrees north of the centre, -90 to 90 (WGS 84).
    pub latitude: f64,
    /// Degrees east of the centre, -180 to 180 (WGS 84).
    pub longitude: f64,
    /// The radius in kilometres along the earth's surface (a sphere of 6371.0088 km), at least 0.
    pub km: f64,
}

/// A checked circle: its centre's unit vector, angle and bounding box.
pub struct Circle {
    unit: [f64; 3],
    /// cos(km / R): a point is inside when its unit vector's dot product with the centre's is at least this.
    min_dot: f64,
    latitude: (f64, f64),
    /// Longitude ranges (two where the box crosses the antimeridian); none for every longitude.
    longitude: Vec<(f64, f64)>,
    /// The cells the box covers, as ranges of cell numbers.
    cells: Vec<(i32, i32)>,
}

/// The cells of the box `latitude` x `longitude` (no longitude ranges: all),
/// as merged ranges of cell numbers.
fn cell_ranges(latitude: (f64, f64), longitude: &[(f64, f64)]) -> Vec<(i32, i32)> {
    let whole = [(-180.0, 180.0)];
    let columns = if longitude.is_empty() { &whole[..] } else { longitude };
    let (south, north) = (geo_cell(latitude.0, 0.0) / 360, geo_cell(latitude.1, 0.0) / 360);
    let mut cells: Vec<(i32, i32)> = Vec::new();
    for band in south..=north {
        let latitude = f64::from(band - 90);
        cells.extend(
            columns
                .iter()
                .map(|(west, east)| (geo_cell(latitude, *west), geo_cell(latitude, *east))),
        );
    }
    cells.sort_unstable();
    let mut ranges: Vec<(i32, i32)> = Vec::new();
    for (first, last) in cells {
        match ranges.last_mut() {
            Some(range) if first <= range.1 + 1 => range.1 = std::cmp::max(range.1, last),
            _ => ranges.push((first, last)),
        }
    }
    ranges
}

impl GeoCircle {
    /// Checks the circle (`path` names it in messages).
    pub fn check(&self, path: &str) -> Result<Circle> {
        let GeoCircle {
            latitude,
            longitude,
            km,
        } = *self;
        if !(latitude.is_finite() && (-90.0..=90.0).contains(&latitude)) {
            return Err(Error::bad_input(format!(
                "{path}.latitude must be between -90 and 90, not {latitude}"
            )));
        }
        if !(longitude.is_finite() && (-180.0..=180.0).contains(&longitude)) {
            return Err(Error::bad_input(format!(
                "{path}.longitude must be between -180 and 180, not {longitude}"
            )));
        }
        if !(km.is_finite() && km >= 0.0) {
            return Err(Error::bad_input(format!(
                "{path}.km must be a distance of 0 or more kilometres, not {km}"
            )));
        }
        let km = km.min(HALF_CIRCUMFERENCE_KM);
        let angle = km / EARTH_RADIUS_KM;
        let degrees = angle.to_degrees();
        // A little slack so that rounding never cuts off a point the exact test keeps.
        let slack = 1e-9;
        let (south, north) = (latitude - degrees - slack, latitude + degrees + slack);
        let longitude_ranges = if south <= -90.0 || north >= 90.0 {
            Vec::new()
        } else {
            // The widest longitude the circle reaches, at the latitude where it touches its meridians.
            let half = (angle.sin() / latitude.to_radians().cos())
                .clamp(-1.0, 1.0)
                .asin()
                .to_degrees()
                + slack;
            let (west, east) = (longitude - half, longitude + half);
            match (west < -180.0, east > 180.0) {
                (false, false) => vec![(west, east)],
                (true, _) => vec![(west + 360.0, 180.0), (-180.0, east)],
                (_, true) => vec![(west, 180.0), (-180.0, east - 360.0)],
            }
        };
        let latitude_range = (south.max(-90.0), north.min(90.0));
        Ok(Circle {
            unit: unit_vector(latitude, longitude),
            min_dot: angle.cos(),
            cells: cell_ranges(latitude_range, &longitude_ranges),
            latitude: latitude_range,
            longitude: longitude_ranges,
        })
    }
}

impl Circle {
    /// The places of table `table` that lie within the circle.
    pub fn condition(&self, table: &str) -> Condition {
        let col = |name: &str| Expr::cust(format!("\"{table}\".\"{name}\""));
        let mut cells = Condition::any();
        for (first, last) in &self.cells {
            cells = cells.add(col("cell").between(*first, *last));
        }
        let mut inside = Condition::all()
            .add(cells)
            .add(col("latitude").gte(self.latitude.0))
            .add(col("latitude").lte(self.latitude.1));
        if !self.longitude.is_empty() {
            let mut any = Condition::any();
            for (west, east) in &self.longitude {
                any = any.add(
                    Condition::all()
                        .add(col("longitude").gte(*west))
                        .add(col("longitude").lte(*east)),
                );
            }
            inside = inside.add(any);
        }
        let [x, y, z] = self.unit;
        let dot = col("unit_x").mul(x).add(col("unit_y").mul(y)).add(col("unit_z").mul(z));
        inside.add(dot.gte(self.min_dot))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn circle(latitude: f64, longitude: f64, km: f64) -> GeoCircle {
        GeoCircle {
            latitude,
            longitude,
            km,
        }
    }

    #[test]
    fn bad_circles_are_refused() {
        for bad in [
            circle(91.0, 0.0, 1.0),
            circle(-90.5, 0.0, 1.0),
            circle(0.0, 180.5, 1.0),
            circle(0.0, 0.0, -1.0),
            circle(f64::NAN, 0.0, 1.0),
            circle(0.0, 0.0, f64::INFINITY),
        ] {
            assert!(bad.check("filter.near").is_err(), "{bad:?}");
        }
        assert!(circle(90.0, 180.0, 0.0).check("filter.near").is_ok());
    }

    #[test]
    fn the_box_wraps_at_the_antimeridian_and_opens_at_the_poles() {
        let wrapped = circle(0.0, 179.5, 200.0).check("near").unwrap();
        assert_eq!(wrapped.longitude.len(), 2);
        assert!(wrapped.longitude[1].1 < -178.0);
        assert!(circle(89.5, 0.0, 100.0).check("near").unwrap().longitude.is_empty());
        assert!(circle(0.0, 0.0, 1e9).check("near").unwrap().longitude.is_empty());
    }

    #[test]
    fn the_cells_cover_the_box_in_one_range_per_band() {
        // About 4.5° each way around Xuzhou: ten bands, ten ranges.
        let near = circle(34.26, 117.18, 500.0).check("near").unwrap();
        assert_eq!(near.cells.len(), 10);
        assert!(near.cells.iter().all(|(a, b)| b - a < 14));
        let xuzhou = geo_cell(34.26, 117.18);
        assert!(near.cells.iter().any(|(a, b)| (*a..=*b).contains(&xuzhou)));
        // Across the antimeridian: two ranges per band, merged where they meet.
        let wrapped = circle(0.0, 179.9, 50.0).check("near").unwrap();
        assert!(wrapped.cells.iter().any(|(a, _)| *a % 360 == 0));
        assert!(wrapped.cells.iter().any(|(_, b)| *b % 360 == 359));
        // Around a pole every longitude: the bands' ranges join into one.
        assert_eq!(
            circle(90.0, 0.0, 300.0).check("near").unwrap().cells,
            vec![(geo_cell(87.3, -180.0), geo_cell(90.0, 180.0))]
        );
    }
}
