#!/bin/bash
# A throwaway one-node Slurm cluster on this machine, to try the job array (and to test it): munged, slurmctld and
# slurmd run as root with every file (key, config, state, spool, logs, sockets) in DIR, on free ports, so nothing
# in /etc is touched (sockets and slurmd's spool sit in a short /tmp/oslurm.* directory, as socket paths are limited) and nothing clashes with a real cluster. Needs root and Debian's slurm-wlm and munge.
#
#   bash local-cluster.sh start DIR      # prints `export SLURM_CONF=DIR/slurm.conf`; waits until the node is idle
#   bash local-cluster.sh stop DIR       # stops the three daemons started in DIR
#
# The node is declared with 8 CPUs and 16 GB (SlurmdParameters=config_overrides) whatever the machine has, so
# the shipped sbatch (4 CPUs, 4G per task) is accepted on a small machine; nothing is enforced (no cgroups).
set -euo pipefail
cmd=${1:?usage: local-cluster.sh start|stop DIR}
DIR=$(realpath -m "${2:?usage: local-cluster.sh start|stop DIR}")

stop() {
    for d in slurmd slurmctld munged; do
        if [ -s "$DIR/$d.pid" ]; then
            pid=$(cat "$DIR/$d.pid")
            kill "$pid" 2>/dev/null || true
            # Gone, or a zombie (in a container whose init does not reap, the exited daemon stays one).
            for _ in $(seq 1 50); do
                kill -0 "$pid" 2>/dev/null || break
                [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
                sleep 0.1
            done
            kill -9 "$pid" 2>/dev/null || true
            rm -f "$DIR/$d.pid"
        fi
    done
    if [ -s "$DIR/runtime" ]; then rm -rf "$(cat "$DIR/runtime")"; rm -f "$DIR/runtime"; fi
}

# A TCP port nobody listens on (asks the kernel for one).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() {
    [ "$(id -u)" = 0 ] || { echo "local-cluster: must run as root (slurmd starts jobs as their user)" >&2; exit 1; }
    for t in munged mungekey slurmctld slurmd sbatch; do
        command -v "$t" >/dev/null 2>&1 || { echo "local-cluster: $t not found (apt-get install slurm-wlm munge)" >&2; exit 1; }
    done
    mkdir -p "$DIR/state" "$DIR/munge"
    chmod 700 "$DIR/munge"
    # Unix socket paths must stay under 108 bytes: slurmd's spool (its step sockets) and munge's socket go to a
    # short directory of their own, removed by `stop`.
    RUN=$(mktemp -d /tmp/oslurm.XXXXXX)
    echo "$RUN" >"$DIR/runtime"
    mkdir -p "$RUN/spool"
    mungekey --create --force --keyfile="$DIR/munge/munge.key" >/dev/null
    chmod 600 "$DIR/munge/munge.key"
    munged --force --socket="$RUN/munge.sock" --key-file="$DIR/munge/munge.key" \
        --pid-file="$DIR/munged.pid" --log-file="$DIR/munged.log" --seed-file="$DIR/munge/seed" \
        </dev/null >>"$DIR/daemons.out" 2>&1
    ctl=$(free_port); slurmd_port=$(free_port)
    cat >"$DIR/slurm.conf" <<EOF
ClusterName=outfalltest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctl
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$RUN/munge.sock
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$RUN/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SchedulerParameters=kill_invalid_depend
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
NodeName=outfallnode NodeAddr=127.0.0.1 CPUs=8 RealMemory=16000 State=UNKNOWN
PartitionName=main Nodes=outfallnode Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF="$DIR/slurm.conf"
    # The daemons fork into the background; their output goes to a file, not to whoever started this script.
    slurmctld -f "$SLURM_CONF" </dev/null >>"$DIR/daemons.out" 2>&1
    slurmd -f "$SLURM_CONF" -N outfallnode </dev/null >>"$DIR/daemons.out" 2>&1
    for _ in $(seq 1 300); do
        state=$(sinfo -h -n outfallnode -o %t 2>/dev/null || true)
        case "$state" in idle*|mix*|alloc*) echo "export SLURM_CONF=$SLURM_CONF"; return 0 ;; esac
        sleep 0.2
    done
    echo "local-cluster: the node did not come up (state '${state:-none}'); see $DIR/slurmctld.log and $DIR/slurmd.log" >&2
    stop
    exit 1
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    *) echo "local-cluster: unknown command $cmd (start or stop)" >&2; exit 64 ;;
esac
