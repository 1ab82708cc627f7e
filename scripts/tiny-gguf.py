#!/usr/bin/env python3
"""Write a tiny random-weight qwen2-architecture GGUF, tokenizer copied from a vocab-only GGUF.
usage: scripts/tiny-gguf.py VOCAB_GGUF OUT_GGUF [n_layer n_embd n_ff n_head n_head_kv]"""
import sys
sys.path.insert(0, '/tmp/llama/src/gguf-py')
import numpy as np
import gguf
from gguf import GGUFValueType as VT

vocab_path, out = sys.argv[1], sys.argv[2]
n_layer, n_embd, n_ff, n_head, n_head_kv = (map(int, sys.argv[3:8]) if len(sys.argv) > 3 else (4, 512, 1408, 8, 2))
head_dim = n_embd // n_head
arch = 'qwen2'

r = gguf.GGUFReader(vocab_path)
w = gguf.GGUFWriter(out, arch)
w.add_name('tiny-random-' + arch)
w.add_context_length(32768)
w.add_block_count(n_layer)
w.add_embedding_length(n_embd)
w.add_feed_forward_length(n_ff)
w.add_head_count(n_head)
w.add_head_count_kv(n_head_kv)
w.add_rope_freq_base(1e6)
w.add_layer_norm_rms_eps(1e-6)
w.add_file_type(gguf.LlamaFileType.MOSTLY_F16)

n_vocab = None
for name, f in r.fields.items():
    if not (name.startswith('tokenizer.')):
        continue
    t = f.types
    val = f.contents()
    if t[0] == VT.ARRAY:
        w.add_key_value(name, val, VT.ARRAY, sub_type=t[1])
        if name == 'tokenizer.ggml.tokens':
            n_vocab = len(val)
    else:
        w.add_key_value(name, val, t[0])
if len(sys.argv) > 8:  # optional chat template source
    r2 = gguf.GGUFReader(sys.argv[8])
    w.add_chat_template(r2.fields['tokenizer.chat_template'].contents())
assert n_vocab

rng = np.random.default_rng(0)
def rnd(*shape, scale=0.02, dtype=np.float16):
    return (rng.standard_normal(shape, dtype=np.float32) * scale).astype(dtype)

# numpy shape is reversed relative to ggml ne: ggml {n_embd, n_vocab} -> numpy (n_vocab, n_embd)
w.add_tensor('token_embd.weight', rnd(n_vocab, n_embd, scale=1.0))
w.add_tensor('output_norm.weight', np.ones(n_embd, dtype=np.float32))
# untied output head scaled so logits have std ~3 (realistic, non-degenerate softmax)
w.add_tensor('output.weight', rnd(n_vocab, n_embd, scale=3.0 / np.sqrt(n_embd)))
n_kv = head_dim * n_head_kv
for i in range(n_layer):
    p = f'blk.{i}.'
    w.add_tensor(p + 'attn_norm.weight', np.ones(n_embd, dtype=np.float32))
    w.add_tensor(p + 'attn_q.weight', rnd(n_embd, n_embd))
    w.add_tensor(p + 'attn_k.weight', rnd(n_kv, n_embd))
    w.add_tensor(p + 'attn_v.weight', rnd(n_kv, n_embd))
    w.add_tensor(p + 'attn_q.bias', rnd(n_embd, dtype=np.float32))
    w.add_tensor(p + 'attn_k.bias', rnd(n_kv, dtype=np.float32))
    w.add_tensor(p + 'attn_v.bias', rnd(n_kv, dtype=np.float32))
    w.add_tensor(p + 'attn_output.weight', rnd(n_embd, n_embd))
    w.add_tensor(p + 'ffn_norm.weight', np.ones(n_embd, dtype=np.float32))
    w.add_tensor(p + 'ffn_gate.weight', rnd(n_ff, n_embd))
    w.add_tensor(p + 'ffn_up.weight', rnd(n_ff, n_embd))
    w.add_tensor(p + 'ffn_down.weight', rnd(n_embd, n_ff))

w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
print(f'wrote {out}: arch={arch} n_layer={n_layer} n_embd={n_embd} n_ff={n_ff} n_head={n_head} n_head_kv={n_head_kv} n_vocab={n_vocab}')
