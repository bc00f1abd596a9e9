package io.github.mfasession.testkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One request as it arrived: what the signature covers, and the query-protocol parameters. */
final class StsRequest {

    final String method;
    final String host;
    final String rawPath;
    final String rawQuery;
    /** Header names compared case-insensitively, as HTTP requires. */
    final Map<String, List<String>> headers;
    final byte[] body;
    final Map<String, String> params;

    StsRequest(String method, String host, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        this.method = method;
        this.host = host;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
        Map<String, List<String>> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        this.headers = Collections.unmodifiableMap(caseless);
        this.body = body;
        Map<String, String> parameters = new HashMap<>();
        parseForm(rawQuery, parameters);
        parseForm(new String(body, StandardCharsets.UTF_8), parameters);
        this.params = Collections.unmodifiableMap(parameters);
    }

    /** The first value of a header; {@code null} if absent. */
    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    String param(String name) {
        return params.get(name);
    }

    /** {@code application/x-www-form-urlencoded}, as the query protocol sends in a POST body or GET query. */
    private static void parseForm(String form, Map<String, String> into) {
        if (form == null || form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                into.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // A malformed escape leaves the parameter out; the request then fails validation or its signature.
            }
        }
    }
}
