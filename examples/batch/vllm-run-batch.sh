#!/bin/sh
# One GPU node: every request file of an `ocrview batch export` through `vllm run-batch`,
# then the results back into ocrview's journal.
#
# Needs on the GPU node: Python 3.10+ and vLLM (`pip install vllm`), with the model's weights
# reachable (Hugging Face, or a local path). ocrview itself runs where the documents are; only
# the export folder travels.
#
#   ocrview batch export docs/ --model lightonai/LightOnOCR-2-1B --context 8192 --out export
#   (copy export/ to the GPU node, run this script there, copy export/ back)
#   ocrview batch import export/results-*.jsonl
#   ocrview ocr docs/ --model lightonai/LightOnOCR-2-1B -o docs.md   # only failed pages go live
set -eu
dir=${1:-export}
model=${MODEL:-lightonai/LightOnOCR-2-1B}
# The context the export assumed (--context) is the engine's: --max-model-len 8192 here.
for requests in "$dir"/requests-*.jsonl; do
  results="$dir/results-${requests##*/requests-}"
  # One image per request, as `vllm serve` is started for LightOnOCR. For an export made with
  # `--images files`, vLLM must be allowed to read them: --allowed-local-media-path "$dir/images".
  vllm run-batch -i "$requests" -o "$results" --model "$model" \
    --limit-mm-per-prompt '{"image": 1}' --max-model-len 8192 \
    --allowed-local-media-path "$(cd "$dir" && pwd)"
done
