"""Where each household is and what state it is in: placement by point-in-polygon, location from
addresses (geocoding), the stored status timeline and H3 cells."""
