package io.github.mfasession.hosts;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for a Redshift database: listens on loopback and, for each connection, keeps the client's first
 * message (8 bytes) and hangs up. A driver that gets here has its database credentials already.
 */
final class LoopbackDatabase implements AutoCloseable {

    /** What a PostgreSQL-protocol client sends first to ask for TLS: length 8, then the code 80877103. */
    static final byte[] SSL_REQUEST = {0, 0, 0, 8, 0x04, (byte) 0xD2, 0x16, 0x2F};

    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    private final List<byte[]> firstMessages = new CopyOnWriteArrayList<>();

    LoopbackDatabase() throws IOException {
        Thread acceptor = new Thread(this::serve, "loopback-database");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String host() {
        return socket.getInetAddress().getHostAddress();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The first message of each connection so far, oldest first. */
    List<byte[]> firstMessages() {
        return List.copyOf(firstMessages);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                connection.setSoTimeout(READ_TIMEOUT_MILLIS);
                firstMessages.add(connection.getInputStream().readNBytes(SSL_REQUEST.length));
            } catch (IOException e) {
                // The socket was closed, or the client left early: either way this connection is over.
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
