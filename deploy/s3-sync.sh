#!/usr/bin/env bash
# Deploy a built site to S3-compatible object storage with rclone (docs/publishing.md, "Past GitHub
# Pages' 1 GB"): upload the files whose bytes changed, delete the objects whose file is gone.
#
#   deploy/s3-sync.sh [SITE_DIR [RCLONE_FLAG...]]      SITE_DIR defaults to site/
#
# The workflow's job and tests/test_deploy.py run this same script. It reads:
#   S3_BUCKET         the bucket, optionally with a folder in it (bucket/path); required
#   S3_REMOTE         the rclone remote to upload through; default `site`, configured by environment
#                     variables only: RCLONE_CONFIG_SITE_TYPE=s3, _PROVIDER, _ENDPOINT, _ACCESS_KEY_ID,
#                     _SECRET_ACCESS_KEY, _REGION (no configuration file is written)
#   S3_CACHE_CONTROL  the Cache-Control header of every uploaded object; default `public, max-age=300`
# Flags after SITE_DIR go to `rclone sync` as they are (`--dry-run` shows what would change).
#
# `--checksum`: a file is the same when its size and MD5 are, whatever its modification time, so a
# fresh checkout and build (every file new on disk) uploads only what changed. Deletions come after
# every upload has succeeded (rclone deletes nothing if an upload failed). `-v` prints each file
# copied or deleted, then rclone's totals.
set -euo pipefail

die() {
  echo "s3-sync: $*" >&2
  exit 2
}

site=${1:-site}
[ "$#" -eq 0 ] || shift
remote=${S3_REMOTE:-site}
bucket=${S3_BUCKET:-}
cache_control=${S3_CACHE_CONTROL:-public, max-age=300}

[ -n "$bucket" ] || die "S3_BUCKET is not set: name the bucket to deploy to (bucket, or bucket/folder)"
case "$bucket" in
  /* | *:*) die "S3_BUCKET=$bucket: a bucket name (bucket or bucket/folder), not a path or a remote" ;;
esac
[ -d "$site" ] || die "no site folder $site: build the site first (mkdocs build --strict)"
# A sync deletes every object that has no file: an empty or wrong folder would empty the bucket.
[ -f "$site/index.html" ] || die "$site has no index.html, so it is no built site: refusing to sync it (sync deletes what it lacks)"
command -v rclone >/dev/null || die "rclone is not installed (on Debian or Ubuntu: apt-get install rclone)"
upper=$(printf '%s' "$remote" | tr '[:lower:]-' '[:upper:]_')
rclone listremotes 2>/dev/null | grep -qxF "$remote:" ||
  die "rclone knows no remote '$remote': set RCLONE_CONFIG_${upper}_TYPE=s3 and its _PROVIDER, _ENDPOINT, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY and _REGION"

files=$(find "$site" -type f | wc -l)
echo "s3-sync: $site ($((files)) files) to $remote:$bucket; only files whose size or MD5 differ are uploaded"

# --s3-no-check-bucket: the bucket exists; the deploy key needs no right to create one.
# --fast-list: one recursive listing instead of one per folder (fewer requests; about 1 KB of memory a file).
exec rclone sync "$site/" "$remote:$bucket" \
  --checksum \
  --s3-no-check-bucket \
  --fast-list \
  --transfers 8 \
  --checkers 16 \
  --header-upload "Cache-Control: $cache_control" \
  --stats 1m \
  -v \
  "$@"
