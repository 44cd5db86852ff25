/**
 * In: the user's command line. Out: the pipeline's results as text, JSON or files, and an exit code from {@link org.likeness.cli.ExitCodes}.
 * Never holds pipeline logic: each command wires stages together and reports what they returned.
 */
package org.likeness.cli;
