package io.github.mfasession.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;

/**
 * The time a running {@code serve} takes to answer a credentials request, as a plain HTTP client sees it: the JDK's
 * {@code HttpURLConnection} on one kept-alive connection (an SDK client refreshing), then with a new connection per
 * request (each {@code aws} process makes its own). What is measured is the whole round trip on loopback, client
 * included, so the server's own share is smaller. Prints one JSON object with the median, 99th percentile and
 * maximum of each, in microseconds; never the answers, which hold the session.
 *
 * <p>Usage: {@code ServeLatency <AWS_CONTAINER_CREDENTIALS_FULL_URI> <token file> <requests>}
 */
public final class ServeLatency {

    private ServeLatency() {
    }

    private interface Request {
        void send() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("Usage: ServeLatency <credentials URI> <token file> <requests>");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        String token = new String(Files.readAllBytes(Paths.get(args[1])), StandardCharsets.US_ASCII);
        int requests = Integer.parseInt(args[2]);

        long[] keptAlive = measure(requests, () -> get(uri, token, false));
        long[] newConnection = measure(requests, () -> get(uri, token, true));

        System.out.println("{\"requests\":" + requests + ",\"keptAlive\":" + summary(keptAlive) + ",\"newConnection\":" + summary(newConnection) + "}");
    }

    /** Times each request after a warm-up of a fifth as many (at least 200), in nanoseconds. */
    private static long[] measure(int requests, Request request) throws Exception {
        for (int i = 0; i < Math.max(200, requests / 5); i++) {
            request.send();
        }
        long[] times = new long[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            request.send();
            times[i] = System.nanoTime() - start;
        }
        Arrays.sort(times);
        return times;
    }

    /** One request; the connection is kept for the next unless {@code close}, which asks the server to close it. */
    private static void get(URI uri, String token, boolean close) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        connection.setRequestProperty("Authorization", token);
        if (close) {
            connection.setRequestProperty("Connection", "close");
        }
        int status = connection.getResponseCode();
        if (status != 200) {
            throw new IOException("The server answered " + status + ", not 200: is it serving a session?");
        }
        try (InputStream body = connection.getInputStream()) {
            // Read to the end and closed: only then is a kept-alive connection reused.
            body.readAllBytes();
        }
    }

    private static String summary(long[] sorted) {
        return String.format(Locale.ROOT, "{\"median_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f}",
                             percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3, sorted[sorted.length - 1] / 1e3);
    }

    /** The nearest-rank percentile. */
    private static long percentile(long[] sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
