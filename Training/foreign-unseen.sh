#!/bin/bash
# Sixteen more scenes from the independent foreign generator (../shared/foreign-scenes/make_scene.py, run from
# there, not copied), with seeds the project never trained or tuned on: a check of how the detector and the
# shipped scorer hold on scenes of that generator they have not seen. Never pass them to `outfall train`.
#   Training/foreign-unseen.sh DIR        (default /tmp/foreign-unseen; ~20 s a scene; deterministic by seed)
#   outfall bench accuracy --scenes DIR
set -e
here=$(cd "$(dirname "$0")" && pwd)
H=${FOREIGN:-$here/../../shared/foreign-scenes}; D=${1:-/tmp/foreign-unseen}; py=${PYTHON:-/usr/bin/python3}
[ -f "$H/make_scene.py" ] || { echo "foreign-unseen.sh: $H/make_scene.py not found (set FOREIGN=DIR)" >&2; exit 1; }
mkdir -p "$D"
gen() { [ -f "$D/$1/truth.geojson" ] && return; $py "$H/make_scene.py" "$D/$1" "${@:2}"; $py "$H/truth_to_geojson.py" "$D/$1"; }
gen s201 --seed 201 --epsg 4536
gen s202 --seed 202 --epsg 4549 --thermal-format uint16 --shadows
gen s203 --seed 203 --epsg 4550 --width 5000 --height 2500 --plumes 8
gen s204 --seed 204 --epsg 32650 --thermal-format uint16 --tiles 3
gen s205 --seed 205 --epsg 4536 --gsd 0.03 --tscale 5 --plumes 5
gen s206 --seed 206 --epsg 4549 --width 3000 --height 3000 --plumes 4 --shadows
gen s207 --seed 207 --epsg 4536 --plumes 6 --shadows
gen s208 --seed 208 --epsg 4550 --thermal-format uint16 --plumes 7
gen s209 --seed 209 --epsg 4536 --plumes 7 --tiles 3 --shadows
gen s210 --seed 210 --epsg 32650 --gsd 0.04 --plumes 6
gen s211 --seed 211 --epsg 4549 --width 5000 --height 2500 --plumes 8 --thermal-format uint16
gen s212 --seed 212 --epsg 4536 --plumes 6 --shadows --tiles 3
gen s213 --seed 213 --epsg 4536 --tscale 8 --plumes 6
gen s214 --seed 214 --epsg 4549 --gsd 0.04 --tscale 10 --plumes 6 --thermal-format uint16
gen s215 --seed 215 --epsg 4550 --tscale 8 --plumes 7 --shadows
gen s216 --seed 216 --epsg 4536 --gsd 0.03 --tscale 12 --plumes 6
echo "$D"
