// The theatre of war, shared by the page and the build: the basemap is
// clipped to CLIP (longitude/latitude), and the map opens on VIEW.
export const CLIP = { west: 70, east: 156, south: 0, north: 62 };
// The page widens VIEW, should a place lie outside it.
export const VIEW = { west: 91, east: 143, south: 16, north: 47 };
// Albers equal-area conic centred on China.
export const PROJECTION = { rotate: [-112, 0], parallels: [22, 45] };
