package io.metafed.coordinator.server.handler;

/**
 * The application behind the HTTP pipeline: answers a routed request, or throws {@link ApiException} for a
 * refusal. Called on a worker thread, never on the event loop; any other exception becomes a 500.
 */
public interface Api {
    ApiResponse handle(ApiRequest request);

    /** Largest request body {@code route} accepts; larger ones get 413 before they are buffered. */
    int maxBodyBytes(Route route);
}
