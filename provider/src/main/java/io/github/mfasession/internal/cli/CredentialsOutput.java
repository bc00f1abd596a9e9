package io.github.mfasession.internal.cli;

import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/** Session credentials as other tools read them. */
final class CredentialsOutput {

    private CredentialsOutput() {
    }

    /** The {@code credential_process} contract, Version 1, with the expiration in ISO-8601 UTC. */
    static String processJson(AwsSessionCredentials credentials) {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject()
            .writeFieldName("Version").writeValue(1)
            .writeFieldName("AccessKeyId").writeValue(credentials.accessKeyId())
            .writeFieldName("SecretAccessKey").writeValue(credentials.secretAccessKey())
            .writeFieldName("SessionToken").writeValue(credentials.sessionToken())
            .writeFieldName("Expiration").writeValue(credentials.expirationTime().orElseThrow().toString())
            .writeEndObject();
        return new String(json.getBytes(), StandardCharsets.UTF_8);
    }

    /** POSIX shell {@code export} lines, for {@code eval "$(... export)"}. */
    static String shellExports(AwsSessionCredentials credentials) {
        return "export AWS_ACCESS_KEY_ID=" + quote(credentials.accessKeyId()) + "\n"
               + "export AWS_SECRET_ACCESS_KEY=" + quote(credentials.secretAccessKey()) + "\n"
               + "export AWS_SESSION_TOKEN=" + quote(credentials.sessionToken()) + "\n"
               + "export AWS_CREDENTIAL_EXPIRATION=" + quote(credentials.expirationTime().orElseThrow().toString()) + "\n";
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
