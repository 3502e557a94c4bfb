#!/bin/sh
# Run a command with no network but loopback, where this machine allows it: a test that passes
# here provably contacts no other host.
#   as root:       a new network namespace (unshare -n);
#   as any user:   a new user namespace with a network namespace (unshare -rn), where the kernel
#                  allows unprivileged user namespaces; inside it the command runs as the caller's
#                  own uid again, where unshare can map it (--map-user), else as the namespace's root.
# Neither possible (no unshare or no `ip`, user namespaces disabled, a container without the
# capability): the command runs WITH the network, and one line on stderr says so.
# Usage: tests/offline.sh COMMAND [ARGUMENT...]

# In the new namespaces: bring loopback up, then run the command; $1 is `ip`, $2 and $3 the caller's uid and gid.
inside='"$1" link set lo up || exit 125
uid=$2 gid=$3
shift 3
if [ "$(id -u)" != "$uid" ] && unshare --map-user="$uid" --map-group="$gid" true 2>/dev/null; then
  exec unshare --map-user="$uid" --map-group="$gid" "$@"
fi
exec "$@"'

# iproute2's `ip` is in /usr/sbin on some systems, which a user's PATH may not name.
ip=$(PATH="$PATH:/usr/sbin:/sbin" command -v ip)
if command -v unshare >/dev/null 2>&1 && [ -n "$ip" ]; then
  for flags in -n -rn; do
    if unshare "$flags" "$ip" link set lo up 2>/dev/null; then
      exec unshare "$flags" sh -c "$inside" sh "$ip" "$(id -u)" "$(id -g)" "$@"
    fi
  done
  why="this machine allows neither unshare -n (root) nor unshare -rn (user namespaces)"
else
  why="unshare or ip (util-linux, iproute2) is missing"
fi
echo "offline.sh: $why: running WITH the network" >&2
exec "$@"
