package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;

/** A third-party supplier as a plugin jar would add it: registered in test resources' META-INF/services only. */
public final class TestPluginSupplier implements MfaCodeSupplier {

    @Override
    public String name() {
        return "test-plugin";
    }

    @Override
    public String code(MfaCodeRequest request) {
        return request.setting("test_plugin_code").orElse("424242");
    }
}
