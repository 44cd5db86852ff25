package org.likeness.fuzz;

/** What every refusal must look like, whatever the input: one line that says something. */
final class FuzzChecks {
    private FuzzChecks() {
    }

    static void oneLine(String message) {
        if (message == null || message.isBlank() || message.contains("\n") || message.endsWith(": null")) {
            throw new AssertionError("a refusal must be one line with a reason, got: " + message);
        }
    }
}
