#!/usr/bin/env node
// Peer benchmark for the Likeness scan throughput target:
// @vladmandic/face-api 1.7.15 on the TF.js WASM backend (Node), running the full
//   detectAllFaces(ssdMobilenetv1).withFaceLandmarks().withFaceDescriptors()
// pipeline one photo at a time. JPEGs are decoded with jpeg-js (pure JS).
//
// Usage:
//   node bench.mjs --list FILE            # text file, one image path per line
//   node bench.mjs --images DIR --limit N # first N *.jpg under DIR (recursive, C-sorted paths)
// Options:
//   --threads N         requested WASM thread count (default: os.availableParallelism())
//   --warmup N          untimed warm-up passes on the first image (default 1)
//   --min-confidence X  SSD MobileNet v1 minConfidence (default 0.5, face-api's default)
//   --progress N        progress line to stderr every N images (default 25)
//
// Output: progress on stderr; ONE JSON line on stdout at the end.
// Model weights come from the installed npm package (node_modules/@vladmandic/face-api/model);
// the .wasm binaries from node_modules/@tensorflow/tfjs-backend-wasm/dist. Nothing is fetched at run time.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);

function usage(msg) {
  if (msg) process.stderr.write(`error: ${msg}\n`);
  process.stderr.write('usage: node bench.mjs (--list FILE | --images DIR [--limit N]) [--threads N] [--warmup N] [--min-confidence X] [--progress N]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { list: null, images: null, limit: 0, threads: null, warmup: 1, minConfidence: 0.5, progress: 25 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
    switch (a) {
      case '--list': o.list = next(); break;
      case '--images': o.images = next(); break;
      case '--limit': o.limit = parseInt(next(), 10); break;
      case '--threads': o.threads = parseInt(next(), 10); break;
      case '--warmup': o.warmup = parseInt(next(), 10); break;
      case '--min-confidence': o.minConfidence = parseFloat(next()); break;
      case '--progress': o.progress = parseInt(next(), 10); break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  if (!o.list === !o.images) usage('give exactly one of --list or --images');
  if (Number.isNaN(o.limit) || o.limit < 0) usage('--limit must be >= 0');
  if (o.threads !== null && (Number.isNaN(o.threads) || o.threads < 1)) usage('--threads must be >= 1');
  if (Number.isNaN(o.warmup) || o.warmup < 0) usage('--warmup must be >= 0');
  if (!(o.minConfidence > 0 && o.minConfidence < 1)) usage('--min-confidence must be in (0,1)');
  if (!(o.progress > 0)) o.progress = 25;
  return o;
}

function listImages(o) {
  let files;
  if (o.list) {
    files = fs.readFileSync(o.list, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter((s) => s && !s.startsWith('#'));
  } else {
    files = [];
    const walk = (d) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile() && /\.jpe?g$/i.test(e.name)) files.push(p);
      }
    };
    walk(o.images);
    // byte-wise order, same as LC_ALL=C sort
    files.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }
  if (o.limit > 0) files = files.slice(0, o.limit);
  if (files.length === 0) usage('no images');
  return files;
}

function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  // nearest-rank on the sorted sample, linear interpolation between ranks
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const r2 = (x) => (x === null ? null : Math.round(x * 100) / 100);
const r3 = (x) => (x === null ? null : Math.round(x * 1000) / 1000);

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const files = listImages(o);

  const tf = require('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  const jpeg = require('jpeg-js');
  // face-api's Node+WASM bundle requires the same @tensorflow/tfjs and tfjs-backend-wasm instances.
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
  const faceapiPkg = require('@vladmandic/face-api/package.json');
  const wasmPkg = require('@tensorflow/tfjs-backend-wasm/package.json');

  const requestedThreads = o.threads ?? (os.availableParallelism ? os.availableParallelism() : os.cpus().length);
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
  wasm.setWasmPaths(wasmDir);
  // setThreadsCount only takes effect with the threaded WASM binary. tfjs-backend-wasm 4.22.0
  // disables that binary under Node (WASM_HAS_MULTITHREAD_SUPPORT is hard-wired false when
  // IS_NODE; forcing it fails because Node's Worker cannot load the blob: URL the Emscripten
  // pthread glue creates), so the backend runs single-threaded. We still request it and then
  // report the count the backend actually uses.
  wasm.setThreadsCount(requestedThreads);
  const ok = await tf.setBackend('wasm');
  await tf.ready();
  if (!ok || tf.getBackend() !== 'wasm') throw new Error(`could not initialise wasm backend (got ${tf.getBackend()})`);
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const multithread = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const threads = wasm.getThreadsCount();

  const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  const tLoad0 = performance.now();
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  const loadMs = performance.now() - tLoad0;
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: o.minConfidence });

  process.stderr.write(`face-api ${faceapiPkg.version} tfjs ${tf.version_core} backend=${tf.getBackend()} `
    + `wasm ${wasmPkg.version} simd=${simd} multithread=${multithread} threads=${threads} (requested ${requestedThreads}) `
    + `models loaded in ${loadMs.toFixed(0)} ms from ${modelDir}\n`);
  process.stderr.write(`${files.length} images, warmup ${o.warmup}, minConfidence ${o.minConfidence}\n`);

  const decode = (file) => {
    const buf = fs.readFileSync(file);
    const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
    return tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
  };
  const runPipeline = (t) => faceapi.detectAllFaces(t, options).withFaceLandmarks().withFaceDescriptors();

  // Warm-up (untimed): first inference compiles/initialises kernels and allocates the heap.
  for (let w = 0; w < o.warmup; w++) {
    const t = decode(files[0]);
    await runPipeline(t);
    tf.dispose(t);
  }

  const modelMs = [];
  const decodeMs = [];
  const totalMs = [];
  let faces = 0;
  let noFace = 0;
  let errors = 0;
  const load1Start = os.loadavg()[0];
  const tStart = performance.now();
  for (let i = 0; i < files.length; i++) {
    const t0 = performance.now();
    let t;
    try {
      t = decode(files[i]);
    } catch (e) {
      errors++;
      process.stderr.write(`decode failed: ${files[i]}: ${e.message}\n`);
      continue;
    }
    const t1 = performance.now();
    const res = await runPipeline(t);
    const t2 = performance.now();
    tf.dispose(t);
    decodeMs.push(t1 - t0);
    modelMs.push(t2 - t1);
    totalMs.push(t2 - t0);
    if (res.length === 0) noFace++;
    faces += res.length;
    if ((i + 1) % o.progress === 0 || i + 1 === files.length) {
      const el = (performance.now() - tStart) / 1000;
      process.stderr.write(`[${i + 1}/${files.length}] ${el.toFixed(1)} s, ${((i + 1) / el).toFixed(2)} photos/s, `
        + `faces=${faces} no_face=${noFace} tensors=${tf.memory().numTensors}\n`);
    }
  }
  const wallS = (performance.now() - tStart) / 1000;

  const n = modelMs.length;
  const sum = (a) => a.reduce((s, x) => s + x, 0);
  const sm = [...modelMs].sort((a, b) => a - b);
  const sd = [...decodeMs].sort((a, b) => a - b);
  const st = [...totalMs].sort((a, b) => a - b);
  const modelS = sum(modelMs) / 1000;
  const decodeS = sum(decodeMs) / 1000;

  const out = {
    peer: `face-api@${faceapiPkg.version}`,
    backend: tf.getBackend(),
    threads,
    images: n,
    faces,
    no_face: noFace,
    // models only (decode excluded): throughput over summed pipeline time, per-photo percentiles
    photos_per_s: r2(n / modelS),
    median_ms: r2(quantile(sm, 0.5)),
    p90_ms: r2(quantile(sm, 0.9)),
    // wall-clock seconds of the timed loop, incl. file read + JPEG decode
    total_s: r3(wallS),
    // total incl. decode
    photos_per_s_incl_decode: r2(n / wallS),
    median_ms_incl_decode: r2(quantile(st, 0.5)),
    p90_ms_incl_decode: r2(quantile(st, 0.9)),
    model_s: r3(modelS),
    decode_s: r3(decodeS),
    decode_median_ms: r2(quantile(sd, 0.5)),
    threads_requested: requestedThreads,
    simd,
    wasm_multithread: multithread,
    min_confidence: o.minConfidence,
    warmup: o.warmup,
    decode_errors: errors,
    tfjs: tf.version_core,
    node: process.versions.node,
    // 1-minute load average at loop start/end (the machine may be shared)
    loadavg_start: r2(load1Start),
    loadavg_end: r2(os.loadavg()[0]),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
