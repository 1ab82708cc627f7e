# Shared by scripts/check-thresholds and scripts/verdict-benchmark (sourced, not run): real
# pages with a correct reading of each, and fake-ocr-server serving a transcript. Expects
# $bin (swift build's bin path) and $work (a scratch folder) set, and sets $server and $url.

pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages/{print $2}'; }

# A transcript of correct text for FILE: ground truth, else tesseract at 300 DPI.
truth() {
  local file=$1 out=$2 base=${1%.*} n
  : >"$out"
  case $file in
    *.pdf) n=$(pages "$file") ;;
    *) n=1 ;;
  esac
  for ((p = 1; p <= n; p++)); do
    printf '<!-- page %d -->\n\n' "$p" >>"$out"
    if [[ -f $base.txt && $n == 1 ]]; then
      cat "$base.txt" >>"$out"
      source=truth
    elif [[ -f $base.expected.md ]]; then
      awk -v p="$p" '/^<!-- page /{k=($3==p)} !/^<!-- page /{if(k||NR==0)print}' \
        "$base.expected.md" >>"$out"
      grep -q '^<!-- page ' "$base.expected.md" || cat "$base.expected.md" >>"$out"
      source=truth
    else
      if [[ $file == *.pdf ]]; then
        pdftoppm -r 300 -f "$p" -l "$p" -png "$file" "$work/r" && img=$(ls "$work"/r*.png | head -1)
      else
        img=$file
      fi
      OMP_THREAD_LIMIT=1 tesseract "$img" - -l eng 2>/dev/null >>"$out" || true
      rm -f "$work"/r*.png
      source=tess300
    fi
    printf '\n' >>"$out"
  done
  echo "$source"
}

# The first half of each page's non-blank lines.
half() {
  awk '/^<!-- page /{ if (n) flush(); print; print ""; next } NF { l[n++] = $0 }
       function flush() { for (i = 0; i < int(n / 2); i++) print l[i]; print ""; n = 0 }
       END { flush() }' "$1"
}

# serve TRANSCRIPT [FAKE-SERVER OPTIONS…]: starts the fake on a free port; sets $server, $url.
serve() {
  local out=$work/server.$RANDOM.out transcript=$1
  shift
  "$bin/fake-ocr-server" --port 0 --transcript "$transcript" --first-token-ms 0 --delta-ms 0 \
    --words-per-delta 200 "$@" >"$out" 2>/dev/null &
  server=$!
  url=
  until [[ -n $url ]]; do
    sleep 0.05
    url=$(sed -n 's/.*listening on //p' "$out" 2>/dev/null)
  done
}

