//! `near`: places within a great circle's distance of a point, as SQL that
//! SQLite and PostgreSQL evaluate alike.
//!
//! A bounding box on the indexed latitude and longitude columns narrows the
//! rows first; the exact test is then the dot product of the stored unit
//! vectors (`place.unit_x/y/z`) with the centre's, against the cosine of
//! the circle's angle: plain multiplication and addition of doubles, where
//! SQLite has no trigonometry and both databases round alike.

use async_graphql::InputObject;
use migration::places::{EARTH_RADIUS_KM, unit_vector};
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
        Ok(Circle {
            unit: unit_vector(latitude, longitude),
            min_dot: angle.cos(),
            latitude: (south.max(-90.0), north.min(90.0)),
            longitude: longitude_ranges,
        })
    }
}

impl Circle {
    /// The places of table `table` that lie within the circle.
    pub fn condition(&self, table: &str) -> Condition {
        let col = |name: &str| Expr::cust(format!("\"{table}\".\"{name}\""));
        let mut inside = Condition::all()
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
}
