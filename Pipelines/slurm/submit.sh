#!/bin/bash
# Submits the job array over N shards, then the merge, which starts only when every shard has succeeded.
#   bash submit.sh /shared/campaign.yaml /shared/runs/campaign 8
set -euo pipefail
PIPELINE=$(realpath "$1"); OUT=$(realpath -m "$2"); N=${3:-8}
outfall run "$PIPELINE" --validate            # fail fast, before queueing anything
here=$(dirname "$(realpath "$0")")
array=$(PIPELINE="$PIPELINE" OUT="$OUT" sbatch --parsable --array="1-$N" --export=ALL "$here/outfall-array.sbatch")
shards=$(for k in $(seq 1 "$N"); do printf '%s ' "$OUT/shard-$k"; done)
sbatch --dependency="afterok:$array" --job-name=outfall-merge --cpus-per-task=2 --mem=4G \
    --wrap "outfall merge $shards --out $OUT/merged --json"
