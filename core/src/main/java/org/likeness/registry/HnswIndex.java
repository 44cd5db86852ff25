package org.likeness.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Not the default: on 100k random unit 512-d vectors this graph found the brute-force best subject
 * for only 39.5% of mated probes and took 675 s to build (docs/REGISTRY.md "Benchmark"); kept as
 * {@code Search.HNSW} for real embeddings, whose neighbourhoods have structure random data lacks.
 *
 * <p>A Lucene HNSW graph (KnnFloatVectorField, DOT_PRODUCT on unit vectors) over a gallery, kept in
 * memory only: a persisted index would hold the templates unencrypted on disk. One segment, no
 * deletions, so a document id is the template's position in the gallery.
 */
final class HnswIndex implements AutoCloseable {
    private static final String FIELD = "template";
    /**
     * Graph degree: Lucene's default (Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN). 32 with beam 200
     * took 189 s to build 20k × 512-d here (docs/REGISTRY.md) for no recall gain on mated probes.
     */
    static final int MAX_CONN = 16;
    /** Construction beam: Lucene's default (Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH). */
    static final int BEAM_WIDTH = 100;
    /**
     * Templates fetched per query (also the search beam) and rescored exactly; recall measured by
     * IdentifyBenchmark and TemplateGalleryTest (docs/REGISTRY.md). Also bounds how many other
     * subjects can be seen as runner-up.
     */
    static final int CANDIDATES = 32;
    /** IndexWriter buffer large enough to flush 100k × 512-d vectors as one segment. */
    private static final double RAM_BUFFER_MB = 1024;

    private final ByteBuffersDirectory dir;
    private final DirectoryReader reader;
    private final LeafReader leaf;
    private final int dims;

    private HnswIndex(ByteBuffersDirectory dir, DirectoryReader reader, int dims) {
        this.dir = dir;
        this.reader = reader;
        this.leaf = reader.leaves().get(0).reader();
        this.dims = dims;
    }

    static HnswIndex build(float[] data, int dims) {
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriterConfig config = new IndexWriterConfig()
                .setCodec(new Lucene912Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return new Lucene99HnswVectorsFormat(MAX_CONN, BEAM_WIDTH);
                    }
                })
                .setRAMBufferSizeMB(RAM_BUFFER_MB)
                .setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        int n = data.length / dims;
        try (IndexWriter writer = new IndexWriter(dir, config)) {
            for (int t = 0; t < n; t++) {
                float[] v = new float[dims];
                System.arraycopy(data, t * dims, v, 0, dims);
                Document doc = new Document();
                doc.add(new KnnFloatVectorField(FIELD, v, VectorSimilarityFunction.DOT_PRODUCT));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
            writer.commit();
            DirectoryReader reader = DirectoryReader.open(dir);
            if (reader.leaves().size() != 1 || reader.maxDoc() != n) {
                reader.close();
                throw new IllegalStateException("HNSW index is not one segment of " + n + " documents");
            }
            return new HnswIndex(dir, reader, dims);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the in-memory HNSW index", e);
        }
    }

    /** Positions of the approximately nearest templates, best first. */
    int[] candidates(float[] unitProbe) {
        try {
            TopDocs top = leaf.searchNearestVectors(FIELD, unitProbe, CANDIDATES, null, Integer.MAX_VALUE);
            int[] out = new int[top.scoreDocs.length];
            int i = 0;
            for (ScoreDoc sd : top.scoreDocs) {
                out[i++] = sd.doc;
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("HNSW search failed", e);
        }
    }

    /** Approximate bytes per vector held by the index: the vector copy and about MAX_CONN × 2 neighbour ids on level 0. */
    long bytesPerVector() {
        return (long) dims * Float.BYTES + 2L * MAX_CONN * Integer.BYTES;
    }

    @Override
    public void close() throws IOException {
        reader.close();
        dir.close();
    }
}
