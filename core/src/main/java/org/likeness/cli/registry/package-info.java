/**
 * In: command-line arguments, environment (LIKENESS_HOME, LIKENESS_DB_*, LIKENESS_MASTER_KEY), photos via a FaceSource.
 * Out: text or --json on stdout, one-line errors on stderr and exit codes from {@link org.likeness.cli.ExitCodes}, both
 * through the one handler of the command line ({@link org.likeness.cli.Failures}).
 * Never knows about: SQL, ciphers or ONNX; it calls org.likeness.registry and the FaceSource it is given.
 */
package org.likeness.cli.registry;
