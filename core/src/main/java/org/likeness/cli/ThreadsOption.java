package org.likeness.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --threads N}: worker threads, at least 1; default all cores. One declaration for every command. */
public final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", converter = AtLeastOne.class,
            description = "Worker threads, at least 1 (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    public int threads() {
        return threads;
    }

    /** A whole number of at least 1. */
    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            if (n < 1) {
                throw new TypeConversionException("must be at least 1, not " + n);
            }
            return n;
        }
    }
}
