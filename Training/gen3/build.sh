#!/bin/bash
# A third scene generator, written blind (from the input format and the domain only, without reading the
# detector or either other generator): 12 scenes, 69 outfalls: rivers, braided reaches with islands, lake shores,
# tributaries; piers, moored boats, floating vegetation mats, overhanging trees, glint; thermal tiles with their own
# bias and vignetting, some on rotated grids, the whole set 1-3 m off the RGB; and a water bureau's polygon
# (river_bureau.geojson: small islands filled, inlets gone, simplified, shifted 2.4-5.5 m). Nothing is trained on
# these scenes; they are a check of what holds beyond the two generators the detector was shaped on.
# usage: Training/gen3/build.sh DIR [--aux AUXDIR]. Needs /usr/bin/python3 (or $PYTHON) with numpy, scipy and
# GDAL's bindings (Debian: apt-get install -y python3-numpy python3-scipy python3-gdal). ~20 s a scene;
# deterministic by seed. Then: outfall bench accuracy --scenes DIR [--water-error none]
set -e
here=$(cd "$(dirname "$0")" && pwd)
D=${1:?usage: build.sh DIR [--aux AUXDIR]}; aux=(); [ "$2" = --aux ] && aux=(--aux "$3")
py=${PYTHON:-/usr/bin/python3}
$py -c "import numpy, scipy; from osgeo import gdal" 2>/dev/null || { echo "build.sh: needs python3-numpy, python3-scipy and python3-gdal" >&2; exit 1; }
mkdir -p "$D"
gen() { [ -f "$D/$1/truth.geojson" ] && return; $py "$here/make_scene.py" "$D/$1" "${@:2}" "${aux[@]}"; }
gen g01 --seed 11 --type river --tributary --epsg 4536 --gsd 0.05 --boats 3 --piers 1 --trees 2 --tree-outfalls 1 --mats 2 --glint --rot-tiles 0.3 --misreg 2.0
gen g02 --seed 12 --type braid --epsg 4549 --gsd 0.04 --width 4000 --height 3500 --thermal-format uint16 --island-outfalls 1 --boats 2 --mats 3 --rot-tiles 0.5 --misreg 1.5
gen g03 --seed 13 --type lake --epsg 32650 --gsd 0.05 --width 3600 --height 3600 --piers 3 --boats 3 --glint --summer --misreg 2.5 --rot-tiles 0.25
gen g04 --seed 14 --type river --epsg 4536 --gsd 0.03 --width 4000 --height 3000 --trees 5 --tree-outfalls 2 --boats 3 --summer --tscale 6 --misreg 1.2
gen g05 --seed 15 --type braid --epsg 32650 --gsd 0.05 --mats 5 --island-outfalls 1 --boats 1 --tributary --rot-tiles 0.5 --misreg 3.0
gen g06 --seed 16 --type lake --epsg 4549 --gsd 0.04 --width 3500 --height 3500 --mats 4 --glint --trees 2 --thermal-format uint16 --misreg 2.0 --rot-tiles 0.3
gen g07 --seed 17 --type river --tributary --epsg 4549 --gsd 0.03 --width 3500 --height 3500 --piers 2 --boats 4 --tscale 6 --misreg 1.8 --rot-tiles 0.25
gen g08 --seed 18 --type braid --epsg 4536 --gsd 0.05 --island-outfalls 2 --thermal-format uint16 --boats 2 --trees 2 --summer --misreg 2.2
gen g09 --seed 19 --type lake --tributary --epsg 32650 --gsd 0.03 --width 3800 --height 3200 --trees 3 --tree-outfalls 1 --boats 3 --piers 1 --summer --tscale 5 --misreg 2.8
gen g10 --seed 20 --type river --epsg 4536 --gsd 0.04 --width 4000 --height 3200 --piers 1 --boats 3 --mats 3 --trees 3 --tree-outfalls 1 --glint --rot-tiles 0.4 --misreg 1.0
gen g11 --seed 21 --type lake --epsg 4549 --gsd 0.05 --width 4000 --height 3400 --piers 2 --mats 3 --boats 2 --plumes 7 --rot-tiles 0.5 --misreg 1.6 --thermal-format uint16
gen g12 --seed 22 --type braid --tributary --epsg 32650 --gsd 0.04 --width 4000 --height 3600 --island-outfalls 1 --boats 2 --trees 3 --tree-outfalls 1 --summer --glint --misreg 2.6 --rot-tiles 0.25
echo "$D"
