#!/bin/sh
# Rebuild assets/vendor/plotly-partial.min.js from the npm registry (see README.md here).
# Keep PLOTLY_JS at the plotly.js version that the installed plotly (Python) bundles:
#   python3 -c 'from plotly.offline import get_plotlyjs_version as v; print(v())'
set -eu
PLOTLY_JS=${PLOTLY_JS:-4.1.1}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "plotly.js@$PLOTLY_JS" esbuild@0.28.2
for name in partial; do
  cp "$HERE/plotly-$name.entry.js" "entry-$name.js"
  npx esbuild "entry-$name.js" --bundle --minify --format=iife --global-name=Plotly --target=es2016 \
    --define:global=window --define:define.amd=false --alias:stream=stream-browserify \
    --loader:.css=empty --legal-comments=none --log-level=warning \
    --banner:js="/* plotly.js $PLOTLY_JS partial bundle ($name), MIT, (c) Plotly, Inc. */" \
    --outfile="$HERE/plotly-$name.min.js"
done
cp node_modules/plotly.js/LICENSE "$HERE/plotly.js.LICENSE.txt"
rm -rf "$WORK"
ls -l "$HERE"/plotly-*.min.js
