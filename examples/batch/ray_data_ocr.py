"""Many GPU nodes: an `ocrview batch export` through Ray Data's LLM processors.

Needs on the cluster: `pip install -U "ray[data,llm]>=2.49.1"` (it brings vLLM), GPUs, and the
export folder on storage every node reads (a shared file system, or S3/GCS: Ray Data reads and
writes those URLs too). Run from the head node:

    python ray_data_ocr.py export/ results/ --model lightonai/LightOnOCR-2-1B --replicas 8

then, where the documents are:

    ocrview batch import results/*.json --manifest export/manifest.json
    ocrview ocr docs/ --model lightonai/LightOnOCR-2-1B -o docs.md   # only failed pages go live

Each output row is an OpenAI batch result line (`custom_id`, `response.body.choices[0]`),
which is what `ocrview batch import` reads; the request's own sampling settings
(`max_tokens`, `temperature`, `top_p`) are kept per page.
"""

import argparse
import glob

import ray
from ray.data.llm import build_processor, vLLMEngineProcessorConfig


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("export", help="the folder `ocrview batch export --out` wrote")
    parser.add_argument("results", help="a folder for the result JSONL files")
    parser.add_argument("--model", default="lightonai/LightOnOCR-2-1B")
    parser.add_argument("--replicas", type=int, default=1, help="vLLM engines (one per GPU)")
    args = parser.parse_args()

    config = vLLMEngineProcessorConfig(
        model_source=args.model,
        engine_kwargs={"limit_mm_per_prompt": {"image": 1}, "max_model_len": 8192},
        concurrency=args.replicas,
        batch_size=16,
        prepare_image_stage=True,
    )

    def preprocess(row: dict) -> dict:
        body = row["body"]
        content = []
        for part in body["messages"][0]["content"]:
            if part["type"] == "image_url":
                # Ray's image stage takes the data URL (or file:// path) as it is.
                content.append({"type": "image", "image": part["image_url"]["url"]})
            else:
                content.append(part)
        return {
            "custom_id": row["custom_id"],
            "messages": [{"role": "user", "content": content}],
            "sampling_params": {
                "max_tokens": body["max_tokens"],
                "temperature": body["temperature"],
                "top_p": body["top_p"],
            },
        }

    def postprocess(row: dict) -> dict:
        tokens = int(row.get("num_generated_tokens") or 0)
        limit = row["sampling_params"]["max_tokens"]
        return {
            "id": row["custom_id"],
            "custom_id": row["custom_id"],
            "response": {
                "status_code": 200,
                "body": {
                    "object": "chat.completion",
                    "model": args.model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": row["generated_text"]},
                            # Cut at the limit: ocrview leaves such a page for a live run.
                            "finish_reason": "length" if tokens >= limit else "stop",
                        }
                    ],
                    "usage": {"completion_tokens": tokens},
                },
            },
            "error": None,
        }

    processor = build_processor(config, preprocess=preprocess, postprocess=postprocess)
    # The request files only: manifest.json stays with ocrview.
    paths = sorted(glob.glob(f"{args.export.rstrip('/')}/requests-*.jsonl"))
    requests = ray.data.read_json(paths)
    processor(requests).write_json(args.results)


if __name__ == "__main__":
    main()
