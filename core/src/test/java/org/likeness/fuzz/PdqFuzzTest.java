package org.likeness.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.likeness.hash.PdqHasher;
import org.likeness.hash.PdqResult;

/**
 * The PDQ hasher on any size from 1×1 to 600×600 and any pixels, with one hasher reused across inputs as a scan
 * thread reuses it: the hash must not throw and must equal a fresh hasher's (nothing left over from the last image).
 */
class PdqFuzzTest {
    private static final PdqHasher REUSED = new PdqHasher();

    @FuzzTest(maxDuration = "2m")
    void hash(FuzzedDataProvider in) {
        int w = in.consumeInt(1, 600);
        int h = in.consumeInt(1, 600);
        byte[] seed = in.consumeRemainingAsBytes();
        byte[] grey = new byte[w * h];
        for (int i = 0; i < grey.length && seed.length > 0; i++) {
            grey[i] = seed[i % seed.length];
        }
        PdqResult reused = REUSED.hashGrey(grey, w, h);
        PdqResult fresh = new PdqHasher().hashGrey(grey, w, h);
        if (!reused.equals(fresh)) {
            throw new AssertionError(w + "x" + h + ": a reused hasher gave " + reused + ", a fresh one " + fresh);
        }
    }
}
