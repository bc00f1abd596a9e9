package io.github.mfasession.internal.code;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The end of a child process's output, read on a thread of its own so a chatty process never blocks on a
 * full pipe while the other stream is being read.
 */
final class OutputTail {

    private final StringBuilder tail = new StringBuilder();
    private final int maxChars;
    private final Thread reader;

    private OutputTail(InputStream stream, int maxChars, String threadName) {
        this.maxChars = maxChars;
        this.reader = new Thread(() -> drain(stream), threadName);
        // A grandchild that outlives the command may hold the pipe open; it must not keep the JVM alive.
        reader.setDaemon(true);
    }

    /** Starts reading the stream, keeping its last {@code maxChars} characters. */
    static OutputTail drain(InputStream stream, int maxChars, String threadName) {
        OutputTail tail = new OutputTail(stream, maxChars, threadName);
        tail.reader.start();
        return tail;
    }

    private void drain(InputStream stream) {
        char[] buffer = new char[4096];
        try (Reader in = new InputStreamReader(stream, Charset.defaultCharset())) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (tail) {
                    tail.append(buffer, 0, n);
                    if (tail.length() > maxChars) {
                        tail.delete(0, tail.length() - maxChars);
                    }
                }
            }
        } catch (IOException e) {
            // The process was killed or closed its end; what was read so far is kept.
        }
    }

    /** What was read, after waiting at most {@code millis} for the stream to end. */
    String text(long millis) throws InterruptedException {
        reader.join(millis);
        synchronized (tail) {
            return tail.toString();
        }
    }

    /** The last {@code count} non-blank lines of the text. */
    static List<String> lastLines(String text, int count) {
        List<String> lines = new ArrayList<>();
        Arrays.stream(text.split("\\R")).map(String::strip).filter(line -> !line.isEmpty()).forEach(lines::add);
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }
}
