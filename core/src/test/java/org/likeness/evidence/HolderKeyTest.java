package org.likeness.evidence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The holder's key pair on disk: created once, loaded again, and refused when its halves no longer belong together. */
class HolderKeyTest {
    @TempDir
    Path tmp;

    @Test
    void loadsTheKeyItCreated() throws Exception {
        HolderKey k = HolderKey.loadOrCreate(tmp);
        HolderKey again = HolderKey.loadOrCreate(tmp);
        assertThat(HolderKey.id(again.publicKey())).isEqualTo(HolderKey.id(k.publicKey()));
        byte[] msg = "statement".getBytes();
        assertThat(HolderKey.verify(k.publicKey(), msg, again.sign(msg))).isTrue();
    }

    @Test
    void aPublicHalfThatIsNotThePrivateKeysIsRefused() throws Exception {
        HolderKey.loadOrCreate(tmp);
        Path other = tmp.resolve("other");
        HolderKey.loadOrCreate(other);
        // someone replaced the public half (or the private one): every statement signed now would fail verification
        Files.copy(other.resolve("holder-ed25519.pub"), tmp.resolve("holder-ed25519.pub"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> HolderKey.loadOrCreate(tmp)).hasMessageContaining("holder-ed25519.key")
                .hasMessageContaining("holder-ed25519.pub are not one key pair");
    }
}
