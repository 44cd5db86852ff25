/**
 * {@code likeness serve}: the HTTP adapter (Javalin 7 on Jetty 12). Thin: parse the request, authenticate and
 * authorise the caller ({@code account}), call the registry or a use case of {@code app}, render JSON or an
 * RFC 9457 problem. Routes are declared in one table ({@link org.likeness.serve.Route}) from which the OpenAPI 3.1
 * document is written; other packages add routes through {@link org.likeness.serve.RouteGroup}.
 * It must never know the command line or picocli (ArchitectureTest).
 */
package org.likeness.serve;
