package io.metafed.coordinator.server.handler;

/**
 * The application behind the HTTP pipeline: answers a routed request, or throws {@link ApiException} for a
 * refusal. Called on a worker thread, never on the event loop; any other exception becomes a 500.
 */
public interface Api {
    ApiResponse handle(ApiRequest request);

    /**
     * Like {@link #handle} but may answer later (a long-poll waiting for a stage to close): the future must not
     * block a worker while it waits. It may fail with {@link ApiException}, possibly wrapped in a
     * {@link java.util.concurrent.CompletionException}. By default the synchronous answer.
     */
    default java.util.concurrent.CompletableFuture<ApiResponse> handleAsync(ApiRequest request) {
        return java.util.concurrent.CompletableFuture.completedFuture(handle(request));
    }

    /** Largest request body {@code route} accepts; larger ones get 413 before they are buffered. */
    int maxBodyBytes(Route route);
}
