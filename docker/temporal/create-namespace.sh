#!/bin/sh
# Registers Keywarden's Temporal namespace if it does not exist yet.
#
# Runs in the temporalio/admin-tools image once the server is up. The plain
# temporalio/server image (unlike the deprecated auto-setup image) creates no
# namespace, and the Keywarden worker refuses to start without one.
#
# Environment: TEMPORAL_ADDRESS (host:port), TEMPORAL_NAMESPACE,
# TEMPORAL_NAMESPACE_RETENTION (how long closed workflow histories are kept).
set -eu

address=${TEMPORAL_ADDRESS:-temporal:7233}
namespace=${TEMPORAL_NAMESPACE:-default}
retention=${TEMPORAL_NAMESPACE_RETENTION:-720h}
attempts=60

attempt=1
until temporal operator cluster health --address "$address" >/dev/null 2>&1; do
  if [ "$attempt" -ge "$attempts" ]; then
    echo "Temporal at $address did not become healthy" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

if temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; then
  echo "Temporal namespace '$namespace' already exists"
  exit 0
fi

attempt=1
until temporal operator namespace create --address "$address" --namespace "$namespace" --retention "$retention"; do
  # Another run may have created it in the meantime.
  if temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; then
    break
  fi
  if [ "$attempt" -ge "$attempts" ]; then
    echo "Could not create Temporal namespace '$namespace'" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

# Wait until the namespace is visible, so the worker finds it on its first try.
attempt=1
until temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; do
  if [ "$attempt" -ge "$attempts" ]; then
    echo "Temporal namespace '$namespace' was created but is not visible" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

echo "Temporal namespace '$namespace' created (retention $retention)"
