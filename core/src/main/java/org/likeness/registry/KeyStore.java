package org.likeness.registry;

import org.likeness.files.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Subjects' data keys (each wrapped by the master key), kept outside the database so that erasure can destroy them for
 * real: a file of fixed 128-byte slots, where destroying a key overwrites its slot with zeros in place and forces it to
 * disk before the erasure is reported. The database holds only a reference to a slot (the SHA-256 of the wrapped key),
 * so neither a copy of the database nor its dead pages hold a key. Slot: state (1 = live) | length | wrapped key.
 */
final class KeyStore {
    private static final byte[] MAGIC = "LIKENESS-KEYS-1\n".getBytes(StandardCharsets.US_ASCII);
    static final int SLOT = 128;
    /** First byte of a key reference in subject_key.wrapped_key ('K'); wrapped keys stored in the row begin with 1. */
    static final byte REF = 0x4B;
    private static final byte LIVE = 1;

    private final Path file;

    KeyStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The key store of a registry: beside an H2 database file, else under $LIKENESS_HOME/registry/keystores. */
    static Path fileFor(RegistryLocation location, String registryId) {
        Path h2 = location.h2File();
        if (h2 != null) {
            return h2.resolveSibling(h2.getFileName() + ".keys");
        }
        return location.home().resolve("registry").resolve("keystores").resolve(registryId + ".keys");
    }

    static boolean isRef(byte[] column) {
        return column != null && column.length == 33 && column[0] == REF;
    }

    /** Stores a wrapped key in a new slot (forced to disk) and returns the reference the database keeps. */
    synchronized byte[] put(byte[] wrapped) {
        if (wrapped.length > SLOT - 2) {
            throw new IllegalArgumentException("wrapped key of " + wrapped.length + " bytes does not fit a slot");
        }
        byte[] slot = new byte[SLOT];
        slot[0] = LIVE;
        slot[1] = (byte) wrapped.length;
        System.arraycopy(wrapped, 0, slot, 2, wrapped.length);
        try (FileChannel ch = openLocked()) {
            try (FileLock ignored = ch.lock()) {
                long size = ch.size();
                if (size == 0) {
                    write(ch, ByteBuffer.wrap(MAGIC), 0);
                    size = MAGIC.length;
                }
                long at = MAGIC.length + (size - MAGIC.length + SLOT - 1) / SLOT * SLOT;
                write(ch, ByteBuffer.wrap(slot), at);
                ch.force(true);
            }
        } catch (IOException e) {
            throw new StorageException("key store " + file + " cannot be written: " + e.getMessage(), e);
        } finally {
            Arrays.fill(slot, (byte) 0);
        }
        byte[] ref = new byte[33];
        ref[0] = REF;
        System.arraycopy(sha256(wrapped), 0, ref, 1, 32);
        return ref;
    }

    /** Every live wrapped key, by the hex of its reference. */
    synchronized Map<String, byte[]> all() {
        Map<String, byte[]> out = new HashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            checkMagic(ch);
            ByteBuffer slot = ByteBuffer.allocate(SLOT);
            for (long at = MAGIC.length; at + SLOT <= ch.size(); at += SLOT) {
                slot.clear();
                read(ch, slot, at);
                byte[] s = slot.array();
                if (s[0] == LIVE && s[1] > 0 && s[1] <= SLOT - 2) {
                    byte[] wrapped = Arrays.copyOfRange(s, 2, 2 + s[1]);
                    out.put(HexFormat.of().formatHex(sha256(wrapped)), wrapped);
                }
            }
            Arrays.fill(slot.array(), (byte) 0);
        } catch (IOException e) {
            throw new StorageException("key store " + file + " cannot be read: " + e.getMessage(), e);
        }
        return out;
    }

    /** The wrapped key a reference names, or null when its slot was destroyed (or the key store is not this one). */
    byte[] get(byte[] ref) {
        return all().get(HexFormat.of().formatHex(ref, 1, 33));
    }

    /**
     * Overwrites with zeros, in place, every slot whose wrapped key matches the reference and forces the file to disk.
     * Returns how many slots were destroyed.
     */
    synchronized int destroy(byte[] ref) {
        if (!Files.exists(file)) {
            return 0;
        }
        int destroyed = 0;
        byte[] zeros = new byte[SLOT];
        try (FileChannel ch = openLocked()) {
            try (FileLock ignored = ch.lock()) {
                checkMagic(ch);
                ByteBuffer slot = ByteBuffer.allocate(SLOT);
                for (long at = MAGIC.length; at + SLOT <= ch.size(); at += SLOT) {
                    slot.clear();
                    read(ch, slot, at);
                    byte[] s = slot.array();
                    if (s[0] == LIVE && s[1] > 0 && s[1] <= SLOT - 2
                            && Arrays.equals(sha256(Arrays.copyOfRange(s, 2, 2 + s[1])), 0, 32, ref, 1, 33)) {
                        write(ch, ByteBuffer.wrap(zeros), at);
                        destroyed++;
                    }
                }
                Arrays.fill(slot.array(), (byte) 0);
                ch.force(true);
            }
        } catch (IOException e) {
            throw new StorageException("key store " + file + " cannot be written: " + e.getMessage(), e);
        }
        return destroyed;
    }

    private FileChannel openLocked() throws IOException {
        PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        PrivateFiles.restrict(file);
        return ch;
    }

    private void checkMagic(FileChannel ch) throws IOException {
        if (ch.size() == 0) {
            return;
        }
        ByteBuffer m = ByteBuffer.allocate(MAGIC.length);
        read(ch, m, 0);
        if (!Arrays.equals(m.array(), MAGIC)) {
            throw new StorageException("key store " + file + " is not a Likeness key store (damaged or replaced)", null);
        }
    }

    private static void read(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                break;
            }
        }
    }

    private static void write(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b, at + b.position());
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
