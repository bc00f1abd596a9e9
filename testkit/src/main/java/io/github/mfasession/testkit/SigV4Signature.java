package io.github.mfasession.testkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.utils.BinaryUtils;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The SigV4 signature of a request as it arrived, over exactly the headers its client signed. Computed here
 * rather than by re-signing with the SDK's signer, because that signer adds headers of its own
 * ({@code x-amz-content-sha256}) that other clients, such as the AWS CLI, neither send nor sign.
 */
final class SigV4Signature {

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String HMAC = "HmacSHA256";

    private SigV4Signature() {
    }

    /**
     * The hex signature; {@code null} when a header the client claims to have signed is missing.
     *
     * @param scope   the credential's five parts: key id, date, region, service, terminator
     * @param amzDate the request's {@code X-Amz-Date}
     */
    static String of(StsRequest request, String signedHeaders, String[] scope, String amzDate, String secretAccessKey) {
        String headers = canonicalHeaders(request, signedHeaders);
        if (headers == null) {
            return null;
        }
        String canonicalRequest = request.method + "\n"
                                  + canonicalPath(request.rawPath) + "\n"
                                  + canonicalQuery(request.rawQuery) + "\n"
                                  + headers + "\n"
                                  + signedHeaders + "\n"
                                  + BinaryUtils.toHex(sha256(request.body));
        String credentialScope = scope[1] + "/" + scope[2] + "/" + scope[3] + "/" + scope[4];
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + credentialScope + "\n"
                              + BinaryUtils.toHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = ("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i < scope.length; i++) {
            key = hmac(key, scope[i]);
        }
        return BinaryUtils.toHex(hmac(key, stringToSign));
    }

    /** {@code name:value} lines for the signed headers, values trimmed with inner runs of spaces collapsed. */
    private static String canonicalHeaders(StsRequest request, String signedHeaders) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            List<String> values = request.headers.get(name);
            if (values == null) {
                return null;
            }
            List<String> canonical = new ArrayList<>();
            for (String value : values) {
                canonical.add(value.trim().replaceAll(" +", " "));
            }
            out.append(name).append(':').append(String.join(",", canonical)).append('\n');
        }
        return out.toString();
    }

    /** Services other than S3 sign each path segment encoded once more than it was sent. */
    private static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            out.append(c == '/' ? "/" : SdkHttpUtils.urlEncode(String.valueOf(c)));
        }
        return out.toString();
    }

    /** Parameters sorted by encoded name, then value, each encoded as RFC 3986 says. */
    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> parameters = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                parameters.add(new String[] {SdkHttpUtils.urlEncode(decode(name)), SdkHttpUtils.urlEncode(decode(value))});
            }
        }
        parameters.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        List<String> joined = new ArrayList<>();
        for (String[] parameter : parameters) {
            joined.add(parameter[0] + "=" + parameter[1]);
        }
        return String.join("&", joined);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM has no SHA-256.", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM has no " + HMAC + ".", e);
        }
    }
}
