#!/bin/sh
# OpenMPI's rsh agent for "hosts" that are network namespaces of this machine (the two-host test, see
# Tests/RLHFCommandTests/TwoHostCommandTests.swift): instead of logging in over ssh, it runs the launcher's command
# inside the namespace that holds the host's address. RLHF_NETNS_HOSTS maps addresses to namespaces:
# "10.77.0.1=ns-a,10.77.0.2=ns-b". mpirun calls it as: agent [options] host command…
while [ $# -gt 0 ]; do case "$1" in -*) shift ;; *) break ;; esac; done
host="$1"; shift
ns=""
for pair in $(echo "${RLHF_NETNS_HOSTS:-}" | tr ',' ' '); do
    [ "${pair%%=*}" = "$host" ] && ns="${pair#*=}"
done
[ -n "$ns" ] || { echo "netns-rsh-agent: no namespace for host $host in RLHF_NETNS_HOSTS" >&2; exit 1; }
exec ip netns exec "$ns" sh -c "$*"
