#!/usr/bin/env python3
"""A tiny random-weight LLaVA-style (`mlp`) CLIP projector for llama-server's --mmproj:
32-px images, 16-px patches (4 image tokens), one block 64 wide, projected to N_EMBD.
usage: scripts/tiny-mmproj.py OUT_GGUF [N_EMBD]  (N_EMBD: the text model's, 512 for scripts/tiny-gguf.py's)"""
import sys
sys.path.insert(0, '/tmp/llama/src/gguf-py')
import numpy as np
import gguf

out = sys.argv[1]
n_text = int(sys.argv[2]) if len(sys.argv) > 2 else 512
embd, ff, heads, image, patch = 64, 128, 2, 32, 16
n_pos = (image // patch) ** 2 + 1
rng = np.random.default_rng(0)
def r(*shape): return (rng.standard_normal(shape) * 0.02).astype(np.float32)
def ones(n): return np.ones(n, dtype=np.float32)
def zeros(n): return np.zeros(n, dtype=np.float32)

w = gguf.GGUFWriter(out, 'clip')
w.add_name('tiny-random-llava-mmproj')
w.add_file_type(gguf.LlamaFileType.ALL_F32)
w.add_bool('clip.has_vision_encoder', True)
w.add_bool('clip.has_text_encoder', False)
w.add_string('clip.projector_type', 'mlp')
w.add_bool('clip.use_gelu', True)
w.add_uint32('clip.vision.image_size', image)
w.add_uint32('clip.vision.patch_size', patch)
w.add_uint32('clip.vision.embedding_length', embd)
w.add_uint32('clip.vision.feed_forward_length', ff)
w.add_uint32('clip.vision.projection_dim', n_text)
w.add_uint32('clip.vision.attention.head_count', heads)
w.add_float32('clip.vision.attention.layer_norm_epsilon', 1e-5)
w.add_uint32('clip.vision.block_count', 1)
w.add_array('clip.vision.image_mean', [0.5, 0.5, 0.5])
w.add_array('clip.vision.image_std', [0.5, 0.5, 0.5])

w.add_tensor('v.patch_embd.weight', r(embd, 3, patch, patch))
w.add_tensor('v.class_embd', r(embd))
w.add_tensor('v.position_embd.weight', r(n_pos, embd))
w.add_tensor('v.pre_ln.weight', ones(embd)); w.add_tensor('v.pre_ln.bias', zeros(embd))
for t in ('attn_q', 'attn_k', 'attn_v', 'attn_out'):
    w.add_tensor(f'v.blk.0.{t}.weight', r(embd, embd)); w.add_tensor(f'v.blk.0.{t}.bias', zeros(embd))
for t in ('ln1', 'ln2'):
    w.add_tensor(f'v.blk.0.{t}.weight', ones(embd)); w.add_tensor(f'v.blk.0.{t}.bias', zeros(embd))
w.add_tensor('v.blk.0.ffn_up.weight', r(ff, embd)); w.add_tensor('v.blk.0.ffn_up.bias', zeros(ff))
w.add_tensor('v.blk.0.ffn_down.weight', r(embd, ff)); w.add_tensor('v.blk.0.ffn_down.bias', zeros(embd))
w.add_tensor('mm.0.weight', r(n_text, embd)); w.add_tensor('mm.0.bias', zeros(n_text))
w.add_tensor('mm.2.weight', r(n_text, n_text)); w.add_tensor('mm.2.bias', zeros(n_text))
w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
print('wrote', out)
