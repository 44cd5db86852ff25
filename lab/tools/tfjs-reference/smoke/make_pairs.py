"""Pick 15 same-person and 15 different-person LFW pairs (seed 7) from pairsDevTrain.txt.
Usage: python3 make_pairs.py LFW_DEV_DIR OUT_DIR  -> OUT_DIR/files.txt (60 paths, pair-adjacent), OUT_DIR/labels.txt"""
import random, sys
root, out = sys.argv[1], sys.argv[2]
lines = open(f'{root}/pairsDevTrain.txt').read().split('\n')
n = int(lines[0])
pos = [l.split('\t') for l in lines[1:1 + n]]
neg = [l.split('\t') for l in lines[1 + n:1 + 2 * n]]
random.seed(7)
pos, neg = random.sample(pos, 15), random.sample(neg, 15)
path = lambda name, i: f'{root}/images/{name}/{name}_{int(i):04d}.jpg'
files, labels = [], []
for p in pos:
    files += [path(p[0], p[1]), path(p[0], p[2])]; labels.append(1)
for q in neg:
    files += [path(q[0], q[1]), path(q[2], q[3])]; labels.append(0)
open(f'{out}/files.txt', 'w').write('\n'.join(files))
open(f'{out}/labels.txt', 'w').write(' '.join(map(str, labels)))
