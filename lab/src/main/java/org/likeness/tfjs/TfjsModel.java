package org.likeness.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import org.likeness.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TF.js graph model as its converter writes it: {@code model.json} ({@code format: graph-model}, a TensorFlow
 * GraphDef in JSON under {@code modelTopology.node}, and a {@code weightsManifest}) and the binary weight shards it
 * names, whose bytes hold the weights back to back in manifest order.
 */
public record TfjsModel(String name, List<Node> nodes, Map<String, Weight> weights) {
    /** A GraphDef node: inputs are {@code "node"}, {@code "node:k"} or control edges {@code "^node"}. */
    public record Node(String name, String op, List<String> inputs, JsonNode attrs) {
        /** A string attribute (TF.js writes them base64-encoded). */
        String string(String attr) {
            JsonNode s = attrs.path(attr).path("s");
            return s.isMissingNode() ? null : new String(Base64.getDecoder().decode(s.asText()), StandardCharsets.UTF_8);
        }

        List<String> strings(String attr) {
            List<String> out = new ArrayList<>();
            for (JsonNode s : attrs.path(attr).path("list").path("s")) {
                out.add(new String(Base64.getDecoder().decode(s.asText()), StandardCharsets.UTF_8));
            }
            return out;
        }

        long[] ints(String attr) {
            JsonNode l = attrs.path(attr).path("list").path("i");
            long[] out = new long[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Long.parseLong(l.get(i).asText());
            }
            return out;
        }

        boolean bool(String attr) {
            return attrs.path(attr).path("b").asBoolean(false);
        }

        float number(String attr, float fallback) {
            JsonNode f = attrs.path(attr).path("f");
            return f.isMissingNode() ? fallback : (float) f.asDouble();
        }

        /** The data inputs (control edges dropped). */
        List<String> data() {
            return inputs.stream().filter(s -> !s.startsWith("^")).toList();
        }
    }

    /** A weight, dequantised: float32 values, or int32 values for shapes, axes and paddings. */
    public record Weight(String name, long[] shape, float[] floats, int[] ints) {
        int size() {
            return floats != null ? floats.length : ints.length;
        }
    }

    /** Largest weight tensor read (elements): 64 M floats, 256 MB, far above any face network's largest layer. */
    static final long MAX_WEIGHT_ELEMENTS = 1L << 26;

    /** Largest weight group read (bytes): 1 GiB, four times the largest weight tensor, far above any face network. */
    static final long MAX_SHARD_GROUP_BYTES = 1L << 30;

    /** Reads {@code model.json} and its shards from the same folder. */
    public static TfjsModel read(Path modelJson) throws IOException {
        Path dir = modelJson.toAbsolutePath().normalize().getParent();
        return read(modelJson, shard -> {
            Path file = dir.resolve(shard).normalize();
            if (!dir.equals(file.getParent())) {
                throw new IOException(modelJson + ": weight path leaves the model's folder: " + shard);
            }
            return file;
        });
    }

    /** Where a weight shard named in the manifest is. */
    public interface Shards {
        Path locate(String name) throws IOException;
    }

    /** Reads {@code model.json}, finding its shards with {@code shards}. */
    public static TfjsModel read(Path modelJson, Shards shards) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(modelJson.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(modelJson + ": not JSON: " + e.getOriginalMessage());
        }
        if (!"graph-model".equals(root.path("format").asText("graph-model"))) {
            throw new IOException(modelJson + ": not a TF.js graph model (format " + root.path("format").asText() + ")");
        }
        List<Node> nodes = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonNode n : root.path("modelTopology").path("node")) {
            List<String> in = new ArrayList<>();
            n.path("input").forEach(i -> in.add(i.asText()));
            if (!names.add(n.path("name").asText())) {
                throw new IOException(modelJson + ": two nodes are named '" + n.path("name").asText() + "'");
            }
            nodes.add(new Node(n.path("name").asText(), n.path("op").asText(), List.copyOf(in), n.path("attr")));
        }
        if (nodes.isEmpty()) {
            throw new IOException(modelJson + ": no nodes under modelTopology.node");
        }
        Map<String, Weight> weights = new LinkedHashMap<>();
        for (JsonNode group : root.path("weightsManifest")) {
            ByteArrayOutputStream shard = new ByteArrayOutputStream();
            for (JsonNode p : group.path("paths")) {
                Path file = shards.locate(p.asText());
                if (Files.exists(file) && !Files.isRegularFile(file)) {
                    throw new IOException(file + ": weight shard of " + modelJson + " is not a regular file");
                }
                if (Files.exists(file) && shard.size() + Files.size(file) > MAX_SHARD_GROUP_BYTES) {
                    throw new IOException(file + ": weight shards of " + modelJson + " are over " + MAX_SHARD_GROUP_BYTES + " bytes");
                }
                shard.write(Files.readAllBytes(file));
            }
            ByteBuffer buf = ByteBuffer.wrap(shard.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode w : group.path("weights")) {
                Weight weight = weight(modelJson, w, buf);
                if (weights.put(weight.name(), weight) != null) {
                    throw new IOException(modelJson + ": weight " + weight.name() + " is named twice in the manifest");
                }
            }
            if (buf.hasRemaining()) {
                throw new IOException(modelJson + ": " + buf.remaining() + " bytes of weights left over in " + group.path("paths"));
            }
        }
        String name = modelJson.getFileName().toString().replaceFirst("\\.json$", "");
        return new TfjsModel(name, List.copyOf(nodes), weights);
    }

    private static Weight weight(Path file, JsonNode w, ByteBuffer buf) throws IOException {
        String name = w.path("name").asText();
        long[] shape = new long[w.path("shape").size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = w.path("shape").get(i).asLong(-1);
            if (shape[i] < 0 || shape[i] > MAX_WEIGHT_ELEMENTS) {
                throw new IOException(file + ": weight " + name + ": bad shape " + w.path("shape"));
            }
            n *= shape[i];
            if (n > MAX_WEIGHT_ELEMENTS) {
                throw new IOException(file + ": weight " + name + ": " + w.path("shape") + " is over "
                        + MAX_WEIGHT_ELEMENTS + " elements");
            }
        }
        int count = (int) n;
        String dtype = w.path("dtype").asText();
        JsonNode q = w.path("quantization");
        try {
            if (!q.isMissingNode()) {
                String qtype = q.path("dtype").asText();
                float[] f = new float[count];
                switch (qtype) {
                    case "float16" -> {
                        for (int i = 0; i < count; i++) {
                            f[i] = halfToFloat(buf.getShort());
                        }
                    }
                    case "uint8", "uint16" -> {
                        float scale = (float) q.path("scale").asDouble();
                        float min = (float) q.path("min").asDouble();
                        for (int i = 0; i < count; i++) {
                            int v = qtype.equals("uint8") ? buf.get() & 0xFF : buf.getShort() & 0xFFFF;
                            f[i] = v * scale + min;
                        }
                    }
                    default -> throw new IOException(file + ": weight " + name + ": unsupported quantisation " + qtype);
                }
                finite(file, name, f);
                return dtype.equals("int32") ? new Weight(name, shape, null, toInts(f)) : new Weight(name, shape, f, null);
            }
            return switch (dtype) {
                case "float32" -> {
                    float[] f = new float[count];
                    buf.asFloatBuffer().get(f);
                    buf.position(buf.position() + 4 * count);
                    finite(file, name, f);
                    yield new Weight(name, shape, f, null);
                }
                case "int32" -> {
                    int[] v = new int[count];
                    buf.asIntBuffer().get(v);
                    buf.position(buf.position() + 4 * count);
                    yield new Weight(name, shape, null, v);
                }
                default -> throw new IOException(file + ": weight " + name + ": unsupported dtype " + dtype);
            };
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException(file + ": weight " + name + " runs past the end of its shard (truncated .bin?)");
        }
    }

    /** A NaN or infinite weight makes every output NaN or infinite: such a model is corrupt, not importable. */
    private static void finite(Path file, String name, float[] f) throws IOException {
        for (int i = 0; i < f.length; i++) {
            if (!Float.isFinite(f[i])) {
                throw new IOException(file + ": weight " + name + ": value " + i + " is not finite (" + f[i] + ")");
            }
        }
    }

    /** IEEE 754 binary16 to float (Java 17 has no {@code Float.float16ToFloat}). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static int[] toInts(float[] f) {
        int[] v = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = Math.round(f[i]);
        }
        return v;
    }
}
