"""Cosine / human-similarity summary of pair-adjacent descriptors written by run.mjs.
Usage: python3 pair_similarity.py LABELS.txt OUT_PREFIX [OUT_PREFIX ...]"""
import json, sys
import numpy as np

def human_similarity(a, b, mult=25, mn=0.2, mx=0.8):
    # @vladmandic/human src/face/match.ts distance()+normalizeDistance(), order 2, its defaults
    d = round(100 * mult * float(np.sum((a - b) ** 2))) / 100
    if d == 0:
        return 1.0
    norm = (1 - np.sqrt(d) / 100 - mn) / (mx - mn)
    return round(100 * max(min(norm, 1), 0)) / 100

lab = np.array(list(map(int, open(sys.argv[1]).read().split())))
for prefix in sys.argv[2:]:
    meta = json.load(open(f'{prefix}.json'))
    idx = [i for i, o in enumerate(meta['outputs']) if o['shape'][1] in (192, 256, 1024)][0]
    o = meta['outputs'][idx]
    e = np.fromfile(f'{prefix}.{idx}.f32', '<f4').reshape(o['shape'])
    a, b = e[0::2], e[1::2]
    cos = np.sum(a * b, 1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    hs = np.array([human_similarity(x, y) for x, y in zip(a, b)])
    p, n = cos[lab == 1], cos[lab == 0]
    auc = np.mean([(x > y) + 0.5 * (x == y) for x in p for y in n])
    print(f"{prefix.split('/')[-1]:28s} {o['name']:20s} dim={o['shape'][1]:4d} cos same={p.mean():.3f} diff={n.mean():.3f} "
          f"AUC={auc:.3f} humanSim same={hs[lab == 1].mean():.2f} diff={hs[lab == 0].mean():.2f}")
