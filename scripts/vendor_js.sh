#!/usr/bin/env bash
# Fetch the graph library the web UI uses (cytoscape, MIT) from npm into the package's static
# folder, so the served pages need no CDN. Run again to update; commit the result.
set -euo pipefail
VERSION="${CYTOSCAPE_VERSION:-3.34.4}"
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/src/sourcetrace/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "cytoscape@$VERSION" >/dev/null && tar -xzf cytoscape-*.tgz)
mkdir -p "$dest"
cp "$work/package/dist/cytoscape.min.js" "$dest/cytoscape.min.js"
cp "$work/package/LICENSE" "$dest/cytoscape.LICENSE"
echo "cytoscape $VERSION -> $dest"
