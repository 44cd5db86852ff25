/**
 * In: the user's command line. Out: the pipeline's results as text, JSON or files on picocli's streams
 * ({@link org.likeness.cli.BaseCommand}), and an exit code from {@link org.likeness.cli.ExitCodes}; every failure is
 * one line {@code likeness: [PATH: ]REASON} printed by {@link org.likeness.cli.Failures}.
 * Never holds pipeline logic: each command wires stages together and reports what they returned.
 */
package org.likeness.cli;
