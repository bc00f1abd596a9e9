package io.github.mfasession;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain HTTP/1.1 client on a socket, for what the JDK's clients will not send: any {@code Host} header (a page
 * reached through DNS rebinding names its own host), any method, no header at all. One request per connection.
 */
final class LoopbackHttp {

    private LoopbackHttp() {
    }

    static Response request(int port, String method, String path, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return Response.parse(readAll(socket.getInputStream()));
        }
    }

    /** A GET as the SDKs send it: the loopback Host with the port, and the token. */
    static Response get(int port, String path, String token) throws IOException {
        return request(port, "GET", path, Map.of("Host", "127.0.0.1:" + port, "Authorization", token));
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    record Response(int status, Map<String, String> headers, String body) {
        static Response parse(String text) {
            int end = text.indexOf("\r\n\r\n");
            String[] head = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            return new Response(Integer.parseInt(head[0].split(" ")[1]), headers, text.substring(end + 4));
        }

        @Override
        public String toString() {
            // The body may hold a session: tests print the status and headers only.
            return "Response(" + status + ", " + headers + ")";
        }
    }
}
