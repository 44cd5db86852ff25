package org.likeness.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.likeness.model.ModelCatalogue;
import org.likeness.redact.RedactMode;
import org.likeness.registry.InvalidInputException;
import org.likeness.registry.Purpose;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Options whose value is one of a fixed vocabulary ({@code --purpose}, {@code --mode}, {@code --detector}): picocli
 * converters that refuse any other value while the command line is parsed, with one line that lists the valid ones
 * (exit 2), and the completion candidates that {@code --help} and shell completion show.
 */
public final class Choices {
    private Choices() {
    }

    /** {@code --purpose}: a {@link Purpose} word. */
    public static final class PurposeWord implements ITypeConverter<String>, Iterable<String> {
        @Override
        public String convert(String value) {
            try {
                return Purpose.parse(value).word();
            } catch (InvalidInputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Purpose.values()).map(Purpose::word).iterator();
        }
    }

    /** {@code --mode}: a {@link RedactMode} word. */
    public static final class ModeWord implements ITypeConverter<String>, Iterable<String> {
        @Override
        public String convert(String value) {
            try {
                return RedactMode.parse(value).word();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(RedactMode.values()).map(RedactMode::word).iterator();
        }
    }

    /** {@code --detector}: a catalogued detector id, or a FILE.onnx (with its FILE.json) of the user's own. */
    public static final class Detector implements ITypeConverter<String>, Iterable<String> {
        static final List<String> IDS = List.of(ModelCatalogue.ULTRAFACE, ModelCatalogue.BLAZEFACE_FRONT,
                ModelCatalogue.BLAZEFACE_BACK);

        @Override
        public String convert(String value) {
            if (IDS.contains(value) || value.endsWith(".onnx")) {
                return value;
            }
            throw new TypeConversionException("unknown detector '" + org.likeness.registry.InputText.printable(value)
                    + "': use one of " + String.join(", ", IDS) + " or FILE.onnx");
        }

        @Override
        public Iterator<String> iterator() {
            return IDS.iterator();
        }
    }
}
