package io.github.mfasession.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaSessionException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;

/** Which profile each setting of a role chain comes from. */
class ProfileChainTest {

    private static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice";
    private static final String ROLE = "arn:aws:iam::210987654321:role/admin";
    private static final String KEYS = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n";

    private final Map<String, String> arguments = new HashMap<>(Map.of("profile", "prod"));
    private final Map<String, String> environment = new HashMap<>();
    private String config = "[profile dev]\nmfa_serial = " + SERIAL + "\nregion = us-east-1\n" + KEYS
                            + "[profile prod]\nrole_arn = " + ROLE + "\nsource_profile = dev\n";

    private ProfileChain resolve() {
        SettingSources sources = new SettingSources(arguments, new Properties(), environment::get);
        ProfileFile file = ProfileFile.builder()
                                      .content(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)))
                                      .type(ProfileFile.Type.CONFIGURATION)
                                      .build();
        return ProfileChain.resolve(sources, () -> file);
    }

    private RoleSettings role() {
        return resolve().roles().get(0);
    }

    @Test
    void aProfileWithoutRoleArnIsItsOwnMfaSession() {
        arguments.put("profile", "dev");
        ProfileChain chain = resolve();

        assertEquals(List.of(), chain.roles());
        assertEquals("dev", chain.mfaSession().profileName());
    }

    @Test
    void aRoleProfilesMfaSessionIsItsSourceProfiles() {
        ProfileChain chain = resolve();

        assertEquals("dev", chain.mfaSession().profileName());
        assertEquals(SERIAL, chain.mfaSession().mfaSerial());
        assertEquals("prod", role().profileName());
        assertEquals(ROLE, role().roleArn());
        assertEquals("dev", role().sourceProfile());
    }

    @Test
    void rolesAreListedInTheOrderTheyAreAssumed() {
        config = config.replace("source_profile = dev", "source_profile = jump")
                 + "[profile jump]\nrole_arn = arn:aws:iam::123456789012:role/jump\nsource_profile = dev\n";

        List<String> roles = resolve().roles().stream().map(RoleSettings::profileName).collect(Collectors.toList());

        assertEquals(List.of("jump", "prod"), roles);
    }

    @Test
    void theRoleProfilesDurationIsTheRolesAndTheMfaSessionKeepsItsOwn() {
        config += "duration_seconds = 1800\n";
        environment.put("AWS_MFA_DURATION_SECONDS", "7200");
        ProfileChain chain = resolve();

        assertEquals(Duration.ofSeconds(1800), chain.roles().get(0).sessionDuration());
        assertEquals(Duration.ofSeconds(7200), chain.mfaSession().sessionDuration());
    }

    @Test
    void aRoleLastsAnHourByDefaultWhateverTheMfaSessionLasts() {
        environment.put("AWS_MFA_DURATION_SECONDS", "7200");
        assertEquals(Duration.ofHours(1), role().sessionDuration());
    }

    @Test
    void mfaSerialInTheRoleProfileWinsOverTheSourceProfiles() {
        String roleSerial = "arn:aws:iam::123456789012:mfa/alice-phone";
        config += "mfa_serial = " + roleSerial + "\n";
        assertEquals(roleSerial, resolve().mfaSession().mfaSerial());
    }

    @Test
    void theEnvironmentStillWinsOverMfaSerialInTheRoleProfile() {
        config += "mfa_serial = arn:aws:iam::123456789012:mfa/alice-phone\n";
        environment.put("AWS_MFA_SERIAL", "arn:aws:iam::123456789012:mfa/from-env");
        assertEquals("arn:aws:iam::123456789012:mfa/from-env", resolve().mfaSession().mfaSerial());
    }

    @Test
    void codeAndCacheSettingsInTheRoleProfileApplyToTheWholeChain() {
        config += "mfa_code_supplier = process\nmfa_process = echo 123456\nmfa_cache_dir = /tmp/role-cache\n";
        Settings mfaSession = resolve().mfaSession();

        assertEquals(Optional.of("process"), mfaSession.codeSupplier());
        assertEquals(Optional.of("echo 123456"), mfaSession.lookup("mfa_process"));
        assertEquals(Path.of("/tmp/role-cache"), mfaSession.cacheDirectory());
    }

    @Test
    void theRoleIsAssumedInTheRoleProfilesRegion() {
        config += "region = eu-west-1\n";
        ProfileChain chain = resolve();

        assertEquals(Region.EU_WEST_1, chain.roles().get(0).region());
        assertEquals(Region.US_EAST_1, chain.mfaSession().region());
    }

    @Test
    void argumentsDescribeOnlyTheNamedRoleProfile() {
        config = config.replace("source_profile = dev", "source_profile = jump")
                 + "[profile jump]\nrole_arn = arn:aws:iam::123456789012:role/jump\nsource_profile = dev\n";
        arguments.put("role_session_name", "from-argument");
        arguments.put("duration_seconds", "900");
        List<RoleSettings> roles = resolve().roles();

        assertEquals(Optional.empty(), roles.get(0).roleSessionName());
        assertEquals(Duration.ofHours(1), roles.get(0).sessionDuration());
        assertEquals(Optional.of("from-argument"), roles.get(1).roleSessionName());
        assertEquals(Duration.ofSeconds(900), roles.get(1).sessionDuration());
    }

    @Test
    void aRoleArnThatIsNotARolesArnIsRefused() {
        config = config.replace(ROLE, "admin");
        MfaSessionException e = assertThrows(MfaSessionException.class, this::resolve);
        assertTrue(e.getMessage().startsWith("role_arn 'admin' of role profile 'prod' is not valid"), e.getMessage());
    }

    @Test
    void aProfileThatIsItsOwnSourceIsACycle() {
        config = config.replace("source_profile = dev", "source_profile = prod");
        MfaSessionException e = assertThrows(MfaSessionException.class, this::resolve);
        assertTrue(e.getMessage().startsWith("The profiles prod -> prod form a cycle"), e.getMessage());
    }

    @Test
    void aSourceWithCredentialProcessCountsAsLongTermKeys() {
        config = config.replace(KEYS, "credential_process = print-my-keys\n");
        assertEquals("dev", resolve().mfaSession().profileName());
    }
}
