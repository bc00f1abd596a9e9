package io.github.mfasession.testkit;

/** An HTTP answer: status, XML body, and the outcome a {@link RecordedCall} reports for it. */
final class Reply {

    final int status;
    final String body;
    final String outcome;

    Reply(int status, String body, String outcome) {
        this.status = status;
        this.body = body;
        this.outcome = outcome;
    }

    static Reply ok(String body) {
        return new Reply(200, body, RecordedCall.OK);
    }

    static Reply error(StsError error, String requestId) {
        return new Reply(error.status(), StsXml.error(error.status(), error.code(), error.getMessage(), requestId), error.code());
    }
}
