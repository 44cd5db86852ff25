package org.likeness.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;

/**
 * The image front end on arbitrary bytes: every input is either decoded or refused with a DecodeException, never
 * another exception. {@code inspect} is the pure-Java part (signature, header, container walk); {@code decode} adds
 * OpenCV. Seeds: src/test/resources/org/likeness/fuzz/ImageFuzzTestInputs (docs/FUZZING.md).
 */
class ImageFuzzTest {
    /** 4 MP: large enough for any seed, small enough that a fuzzed header cannot make one run take seconds. */
    private static final ImageDecoder DECODER = new ImageDecoder(4_000_000L);

    @FuzzTest(maxDuration = "2m")
    void inspect(byte[] data) {
        try {
            DECODER.inspect("fuzz", data);
        } catch (DecodeException refused) {
            // the expected outcome for most inputs: one line naming the file
            FuzzChecks.oneLine(refused.getMessage());
        }
    }

    @FuzzTest(maxDuration = "2m")
    void decode(byte[] data) {
        try (DecodedImage img = DECODER.decode("fuzz", data)) {
            if (img.width() <= 0 || img.height() <= 0) {
                throw new AssertionError("decoded an empty image");
            }
        } catch (DecodeException refused) {
            FuzzChecks.oneLine(refused.getMessage());
        }
    }
}
