"""How big `make bench`'s scaled dataset is: about a hundredfold the zone's own content
(projects tenfold), and 100,000 enquiries. Written here once: the builder's defaults, its
command line and the benchmark all read it."""

SCALE = {
    "parks": 100,
    "industries": 50,
    "enterprises": 10_000,
    "policies": 100,
    "projects": 200,
    "enquiries": 100_000,
}
NOTES_PER_ENQUIRY = 1
OFFICERS = 10
