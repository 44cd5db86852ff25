// Reference execution of a TF.js graph model on the pure-JS CPU backend.
// Usage: node run.mjs MODEL.json INPUT.f32 N H W C OUT_PREFIX [outputName ...]
// INPUT.f32: raw little-endian float32, NHWC, N*H*W*C values.
// Writes OUT_PREFIX.<i>.f32 (raw little-endian float32) per output and OUT_PREFIX.json
// ({model, input:{name,shape}, outputs:[{index,name,shape,file}]}).
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfc from '@tensorflow/tfjs-converter';

function fail(msg) {
  process.stderr.write(`tfjs-reference: ${msg}\n`);
  process.exit(2);
}

const USAGE = 'usage: node run.mjs MODEL.json INPUT.f32 N H W C OUT_PREFIX [outputName ...]';
const argv = process.argv.slice(2);
if (argv.length < 7) fail(USAGE);
const [modelPath, inputPath, nS, hS, wS, cS, outPrefix, ...requested] = argv;
const shape = [nS, hS, wS, cS].map((s) => {
  const v = Number(s);
  if (!Number.isInteger(v) || v <= 0) fail(`${s}: not a positive integer dimension (${USAGE})`);
  return v;
});

// Reads a little-endian float32 file into a Float32Array regardless of host endianness.
function readF32(file, expected) {
  let buf;
  try { buf = fs.readFileSync(file); } catch (e) { fail(`${file}: cannot read (${e.code || e.message})`); }
  if (buf.length !== expected * 4) fail(`${file}: ${buf.length} bytes, expected ${expected * 4} for shape [${shape}]`);
  const out = new Float32Array(expected);
  for (let i = 0; i < expected; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

function writeF32(file, data) {
  const buf = Buffer.alloc(data.length * 4);
  for (let i = 0; i < data.length; i++) buf.writeFloatLE(data[i], i * 4);
  fs.writeFileSync(file, buf);
}

async function loadGraph(file) {
  let json;
  try { json = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { fail(`${file}: not a readable model.json (${e.message})`); }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) fail(`${file}: no modelTopology/weightsManifest, not a TF.js graph model`);
  const dir = path.dirname(file);
  const weightSpecs = [];
  const parts = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) {
      const binPath = path.join(dir, p);
      try { parts.push(fs.readFileSync(binPath)); } catch (e) { fail(`${binPath}: cannot read weight shard (${e.code || e.message})`); }
    }
  }
  const all = Buffer.concat(parts);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  // Single-argument ModelArtifacts form: weightSpecs keep their `quantization`
  // entries, so decodeWeights de-quantises float16 / uint8 / uint16 weights.
  const artifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs,
    weightData,
  };
  return tfc.loadGraphModel(tf.io.fromMemory(artifacts));
}

tf.env().set('PROD', true); // silences the "install tfjs-node" banner (log.warn is muted in PROD)
await tf.setBackend('cpu');
await tf.ready();
const model = await loadGraph(modelPath);
const inputs = model.inputs;
if (inputs.length !== 1) fail(`${modelPath}: ${inputs.length} inputs (${inputs.map((i) => i.name)}), this runner feeds exactly one`);
const inputName = inputs[0].name;
const declared = inputs[0].shape || [];
declared.forEach((d, i) => {
  if (d != null && d > 0 && d !== shape[i]) fail(`${modelPath}: input ${inputName} has shape [${declared}], given [${shape}]`);
});
const x = tf.tensor(readF32(inputPath, shape.reduce((a, b) => a * b, 1)), shape, 'float32');
const outputNames = requested.length > 0 ? requested : model.outputs.map((o) => o.name);
let result;
try {
  result = model.execute({ [inputName]: x }, outputNames);
} catch (e) {
  fail(`${modelPath}: execution failed for outputs [${outputNames}]: ${e.message}`);
}
const tensors = Array.isArray(result) ? result : [result];
const meta = { model: path.resolve(modelPath), backend: tf.getBackend(), tfjsVersion: tf.version_core, input: { name: inputName, shape }, outputs: [] };
tensors.forEach((t, i) => {
  const file = `${outPrefix}.${i}.f32`;
  writeF32(file, t.dataSync());
  meta.outputs.push({ index: i, name: outputNames[i], shape: t.shape, dtype: t.dtype, file: path.basename(file) });
});
fs.writeFileSync(`${outPrefix}.json`, JSON.stringify(meta, null, 2) + '\n');
for (const o of meta.outputs) console.log(`${o.index}\t${o.name}\t[${o.shape.join(',')}]\t${o.file}`);
