#!/bin/bash
# Submits the job array over N shards, then the merge, which starts only when every shard has succeeded (a failed
# shard leaves the merge pending: resubmit the shard's task, e.g. `sbatch --array=K ...`, or scancel the merge).
# Logs go to the directory this is run from. Prints the two job ids.
#   bash submit.sh /shared/campaign.yaml /shared/runs/campaign 8
set -euo pipefail
PIPELINE=$(realpath "$1"); OUT=$(realpath -m "$2"); N=${3:-8}
outfall run "$PIPELINE" --validate            # fail fast, before queueing anything
here=$(dirname "$(realpath "$0")")
array=$(PIPELINE="$PIPELINE" OUT="$OUT" sbatch --parsable --array="1-$N" --export=ALL "$here/outfall-array.sbatch")
shards=$(for k in $(seq 1 "$N"); do printf '%s ' "$OUT/shard-$k"; done)
merge=$(sbatch --parsable --dependency="afterok:$array" --job-name=outfall-merge --cpus-per-task=2 --mem=4G \
    --output=outfall-merge-%j.log --wrap "outfall merge $shards --out '$OUT/merged' --json")
echo "array job $array (shards 1-$N, logs outfall-${array}_K.log), merge job $merge (outfall-merge-$merge.log): $OUT/merged"
