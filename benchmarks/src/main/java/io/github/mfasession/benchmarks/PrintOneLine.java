package io.github.mfasession.benchmarks;

/** The floor for a whole process: a JVM that starts, prints one line, and exits. */
public final class PrintOneLine {

    private PrintOneLine() {
    }

    public static void main(String[] args) {
        System.out.println("{\"Version\":1}");
    }
}
